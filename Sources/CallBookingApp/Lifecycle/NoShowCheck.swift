import BookingDomain
import BookingStore
import Foundation
import Logging

/// The `NoShowCheckJob`, due at the start + `NO_SHOW_GRACE_SECONDS`: `CallTransaction.checkNoShow`
/// decides and stores in one transaction (NO_SHOW with party BOTH, or the next check). A call someone joined is judged when its session ends (`StreamEventEffect`).
struct NoShowCheck: Sendable {
    let calls: CallRepository
    let logger: Logger

    /// The event log's actor of a no-show the check decided.
    static let actor = "no-show-check"

    func register(in handlers: inout JobHandlers) {
        let check = self
        handlers.register(NoShowCheckJob.self) { payload, _ in try await check.run(payload.callID) }
    }

    func run(_ id: CallID) async throws {
        let verdict = try await self.calls.transaction { try $0.checkNoShow(id, actor: Self.actor) }
        guard let verdict else {
            self.logger.info("no-show check: the call no longer exists", metadata: ["call": "\(id)"])
            return
        }
        self.logger.info("no-show check", metadata: ["call": "\(id)", "verdict": "\(verdict)"])
    }
}
