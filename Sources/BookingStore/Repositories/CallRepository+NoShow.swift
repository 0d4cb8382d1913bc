public import BookingDomain
import Foundation

extension CallRepository {
    /// The event log's actor of a no-show the check decided.
    public static let noShowCheckActor = "no-show-check"

    /// The no-show check of a call (the `call.no_show_check` job, due at start + grace):
    /// `NoShowVerdict` under the call's row lock, with the attendance read in the same
    /// transaction so a session that started meanwhile is seen. `.noShow` is written with its
    /// event (and the jobs the change causes); `.checkAgain` enqueues the next check in the
    /// same transaction. Nil for an unknown call.
    public func checkNoShow(_ id: CallID) async throws -> NoShowVerdict? {
        let lifecycle = self.lifecycle
        let now = lifecycle.now()
        return try await self.pool.withTransaction { connection -> NoShowVerdict? in
            var verdict: NoShowVerdict?
            _ = try Self.update(id, actor: Self.noShowCheckActor, lifecycle: lifecycle, on: connection) { call in
                let decided = NoShowVerdict(
                    state: call.state, scheduledStart: call.scheduledStart, grace: lifecycle.noShowGrace,
                    attendance: try VideoRepository.attendance(of: id, on: connection), sessionEnded: false, now: now)
                verdict = decided
                switch decided {
                case .noShow(let party):
                    var machine = CallLifecycle(call: call)
                    guard case .persist(_, let party) = machine.markNoShow(party: party, at: now) else { return nil }
                    var changed = call
                    changed.state = .noShow
                    changed.noShowParty = party
                    return (changed, "no_show")
                case .checkAgain(let at):
                    try JobQueue.enqueue(CallLifecycleJobs.noShowCheck(of: id, at: at), on: connection)
                    return nil
                case .awaitSessionEnd, .attended, .notApplicable:
                    return nil
                }
            }
            return verdict
        }
    }
}
