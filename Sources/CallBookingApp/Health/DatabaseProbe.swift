import BookingStore
import Logging

/// Pings PostgreSQL every `interval` and tells the health board, so that health answers
/// NOT_SERVING and 503 while the database is unreachable (CONTRACT "Health").
struct DatabaseProbe: Sendable {
    let pool: PGPool
    let board: HealthStatusBoard
    let interval: Duration
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            let up: Bool
            do {
                try await self.pool.ping(timeout: .seconds(1))
                up = true
            } catch {
                up = false
                if self.board.databaseUp { self.logger.error("database unreachable", metadata: ["error": "\(error)"]) }
            }
            if up && !self.board.databaseUp { self.logger.notice("database reachable again") }
            self.board.setDatabase(up: up)
            try? await Task.sleep(for: self.interval)
        }
    }
}
