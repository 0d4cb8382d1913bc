import Foundation

/// The isolation level a transaction begins with.
public enum PGIsolation: Sendable {
    case readCommitted, repeatableRead, serializable

    var beginStatement: String {
        switch self {
        case .readCommitted: "BEGIN"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}

extension PGPool {
    /// Runs `body` between BEGIN and COMMIT on one leased connection, rolling back when it throws.
    ///
    /// On a serialization failure or a deadlock (from a statement or from COMMIT) the whole body
    /// runs again, up to `configuration.transactionRetries` more times, on the same connection and
    /// pool thread (no extra lease, no extra hop); then the `StoreError` is thrown, which the app
    /// maps to ABORTED. `body` may therefore run more than once: it must not have effects
    /// outside the database.
    @discardableResult
    public func withTransaction<T: Sendable>(
        isolation: PGIsolation = .readCommitted,
        _ body: @escaping @Sendable (PGConnection) throws -> T
    ) async throws -> T {
        let retries = self.configuration.transactionRetries
        return try await self.withConnection { connection in
            var attempt = 0
            while true {
                do {
                    try connection.simpleQuery(isolation.beginStatement)
                    let value = try body(connection)
                    try connection.simpleQuery("COMMIT")
                    return value
                } catch {
                    if !connection.isBroken, connection.isInTransaction {
                        _ = try? connection.simpleQuery("ROLLBACK")
                    }
                    guard let storeError = error as? StoreError, storeError.isRetryableTransactionFailure,
                        attempt < retries, !connection.isBroken
                    else { throw error }
                    attempt += 1
                    // A short, jittered pause lets the transaction we collided with commit first.
                    usleep(UInt32.random(in: 1_000...5_000) * UInt32(attempt))
                }
            }
        }
    }
}
