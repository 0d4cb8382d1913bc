public import Foundation

extension CallLifecycle {
    /// The end check of a call still IN_PROGRESS after `endCheckDeadline`, whose session's end
    /// never arrived (a lost webhook, a provider outage), given what the provider `report`s:
    ///
    /// - ended: judged from the attendance as the session's end would have been (COMPLETED, or
    ///   NO_SHOW with the side that never came), logged `session_end_confirmed`;
    /// - live: checked again `liveSessionRecheck` later;
    /// - unknown: COMPLETED at the last attendance seen (a join or a leave; else its start),
    ///   logged `session_end_assumed`.
    ///
    /// Before the deadline (or not asked) the check is planned for the deadline; a call no
    /// longer IN_PROGRESS needs nothing.
    public func settleOverdue(
        _ call: Call, report: VideoSessionReport, attendance: [AttendanceSession], at now: Date
    ) -> CallDecision {
        guard call.state == .inProgress else { return .noChange(call, effects: []) }
        let deadline = self.endCheckDeadline(of: call)
        if now < deadline { return .noChange(call, effects: [.checkEnd(at: deadline)]) }
        switch report {
        case .notAsked:
            return .noChange(call, effects: [.checkEnd(at: now.addingTimeInterval(60))])
        case .live:
            return .noChange(call, effects: [.checkEnd(at: now.addingTimeInterval(Self.liveSessionRecheck))])
        case .ended(let at):
            let end = max(at, call.startedAt ?? at)
            return self.judgeEnd(
                call, at: end, sessionStartedAt: nil, attendance: attendance, completed: .sessionEndConfirmed,
                noShow: .sessionEndConfirmed)
        case .unknown:
            let seen = attendance.map { $0.leftAt ?? $0.joinedAt }.max()
            let end = max(seen ?? call.startedAt ?? call.scheduledEnd, call.startedAt ?? .distantPast)
            var machine = CallStateMachine(call: call)
            guard case .persist(_, let endedAt, _) = machine.complete(at: end) else { return .noChange(call, effects: []) }
            var completed = call
            completed.state = .completed
            completed.endedAt = endedAt
            return self.decide(call, completed, .sessionEndAssumed, at: now)
        }
    }
}
