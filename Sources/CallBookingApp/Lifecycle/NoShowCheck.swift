import BookingDomain
import BookingStore
import Foundation
import Logging

/// The `NoShowCheckJob`, due at the start + `NO_SHOW_GRACE_SECONDS`: `CallLifecycle.checkNoShow`
/// with the attendance read under the call's row lock, so a session that started meanwhile is
/// seen, and its decision stored in the same transaction (NO_SHOW with party BOTH, or the next
/// check). A call someone joined is judged when its session ends (`StreamEventEffect`).
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
        let verdict = try await self.calls.transaction { transaction -> NoShowVerdict? in
            var verdict: NoShowVerdict?
            try transaction.change(id, actor: Self.actor) { call in
                let checked = transaction.lifecycle.checkNoShow(
                    call, attendance: try transaction.attendance(of: id), at: transaction.now)
                verdict = checked.verdict
                return checked.decision
            }
            return verdict
        }
        guard let verdict else {
            self.logger.info("no-show check: the call no longer exists", metadata: ["call": "\(id)"])
            return
        }
        self.logger.info("no-show check", metadata: ["call": "\(id)", "verdict": "\(verdict)"])
    }
}
