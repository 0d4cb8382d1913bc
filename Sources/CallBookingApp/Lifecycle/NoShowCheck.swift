import BookingDomain
import BookingStore
import Foundation
import Logging

/// The `call.no_show_check` job, due at the start + `NO_SHOW_GRACE_SECONDS`: a call nobody
/// joined by then becomes NO_SHOW with party BOTH (CONTRACT "Call states"), decided and
/// written in one transaction by `CallRepository.checkNoShow`. A call someone joined is judged
/// when its session ends (`StreamEventEffect`); a completed, cancelled or already missed call
/// needs nothing.
struct NoShowCheck: Sendable {
    let calls: CallRepository
    let logger: Logger

    func register(in handlers: inout JobHandlers) {
        let check = self
        handlers.register(CallLifecycleJobs.noShowCheck) { job in try await check.run(job) }
    }

    func run(_ job: ClaimedJob) async throws {
        let (_, id) = try job.lifecycleCall()
        guard let verdict = try await self.calls.checkNoShow(id) else {
            self.logger.info("no-show check: the call no longer exists", metadata: ["call": "\(id)"])
            return
        }
        self.logger.info("no-show check", metadata: ["call": "\(id)", "verdict": "\(verdict)"])
    }
}
