public import Foundation

extension CallStateMachine {
    /// The longest cancellation reason kept; it is shown to the other party.
    public static let maximumReasonLength = 1_000

    /// The video session started (Stream's `call.session_started`).
    public mutating func start(at now: Date) -> OnStart {
        switch self.state {
        case .scheduled:
            self.state = .inProgress(startedAt: now)
            return .persist(startedAt: now)
        case .inProgress(let startedAt):
            return .alreadyStarted(startedAt: startedAt)
        case .completed, .cancelled, .noShow:
            return .reject(Self.illegal("start", from: self.callState, to: .inProgress))
        }
    }

    /// CompleteCall, or the video session ended.
    public mutating func complete(at now: Date) -> OnComplete {
        switch self.state {
        case .scheduled:
            self.state = .completed(startedAt: nil, endedAt: now)
            return .persist(from: .scheduled, endedAt: now, duration: nil)
        case .inProgress(let startedAt):
            self.state = .completed(startedAt: startedAt, endedAt: now)
            return .persist(from: .inProgress, endedAt: now, duration: now.timeIntervalSince(startedAt))
        case .completed(_, let endedAt):
            return .alreadyCompleted(endedAt: endedAt)
        case .cancelled, .noShow:
            return .reject(Self.illegal("complete", from: self.callState, to: .completed))
        }
    }

    /// CancelCall, or Calendly's `invitee.canceled` (reason "rescheduled" for a reschedule).
    /// Only a call that has not started can be cancelled.
    public mutating func cancel(reason: String, at now: Date) -> OnCancel {
        guard reason.count <= Self.maximumReasonLength else {
            return .reject(.invalidArgument("reason may have at most \(Self.maximumReasonLength) characters"))
        }
        switch self.state {
        case .scheduled:
            self.state = .cancelled(reason: reason)
            return .persist(reason: reason, cancelledAt: now)
        case .inProgress, .completed, .cancelled, .noShow:
            return .reject(Self.illegal("cancel", from: self.callState, to: .cancelled))
        }
    }

    /// Nobody (or one side) joined by start + grace, the session ended with one side
    /// missing, or Calendly's `invitee_no_show.created`.
    public mutating func markNoShow(party: NoShowParty, at now: Date) -> OnMarkNoShow {
        switch self.state {
        case .scheduled:
            self.state = .noShow(party: party, startedAt: nil)
            return .persist(from: .scheduled, party: party)
        case .inProgress(let startedAt):
            self.state = .noShow(party: party, startedAt: startedAt)
            return .persist(from: .inProgress, party: party)
        case .noShow(let marked, let startedAt):
            let widened = marked.union(party)
            if widened == marked { return .alreadyMarked(marked) }
            self.state = .noShow(party: widened, startedAt: startedAt)
            return .updateParty(widened)
        case .completed, .cancelled:
            return .reject(Self.illegal("mark as no-show", from: self.callState, to: .noShow))
        }
    }

    /// Calendly's `invitee_no_show.deleted`: back to `previous`, the state the event log
    /// shows before the last move into NO_SHOW (only SCHEDULED or IN_PROGRESS lead there).
    public mutating func unmarkNoShow(previous: CallState) -> OnUnmarkNoShow {
        guard case .noShow(_, let startedAt) = self.state else {
            return .notMarked(self.callState)
        }
        switch previous {
        case .scheduled:
            self.state = .scheduled
            return .persist(restored: .scheduled)
        case .inProgress:
            guard let startedAt else {
                return .reject(.failedPrecondition(
                    "cannot return a call that is NO_SHOW to IN_PROGRESS: it never started"))
            }
            self.state = .inProgress(startedAt: startedAt)
            return .persist(restored: .inProgress)
        case .completed, .cancelled, .noShow:
            return .reject(.failedPrecondition(
                "cannot return a call that is NO_SHOW to \(previous) (NO_SHOW -> \(previous) is not allowed)"))
        }
    }
}
