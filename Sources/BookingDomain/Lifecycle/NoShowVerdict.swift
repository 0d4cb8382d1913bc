public import Foundation

/// Whether a call was missed, and by whom, from its attendance (CONTRACT.md "Call states"):
///
/// - SCHEDULED, nobody joined by start + grace: NO_SHOW, party BOTH.
/// - A session that ended with one side never in it: NO_SHOW, party CUSTOMER or EXPERT (BOTH
///   when only others were there). This holds for IN_PROGRESS, and for a SCHEDULED call whose
///   start event was lost; `CallStateMachine.markNoShow` accepts both.
/// - Both sides joined, however late: not a no-show (the session's end completes the call).
///
/// Time is passed in; the caller runs the check at `checkAgain(at:)`, and again when the
/// session ends, and executes `.noShow` through `CallStateMachine.markNoShow(party:at:)`.
public enum NoShowVerdict: Hashable, Sendable {
    /// Too early to tell: nobody has joined and the grace runs until `at`.
    case checkAgain(at: Date)
    /// Someone is or was in the session and it has not ended: decide when it ends.
    case awaitSessionEnd
    /// Mark the call NO_SHOW with this party.
    case noShow(NoShowParty)
    /// Both sides joined: not a no-show.
    case attended
    /// The call is COMPLETED, CANCELLED or already NO_SHOW: nothing to decide.
    case notApplicable(CallState)

    /// - Parameters:
    ///   - state: the call's current state.
    ///   - scheduledStart: its booked start.
    ///   - grace: `NO_SHOW_GRACE_SECONDS`, in seconds.
    ///   - attendance: every session row of the call (any order; `other` roles are ignored).
    ///   - sessionEnded: whether the video session has ended (Stream's `call.session_ended`).
    ///   - now: the time of the check.
    public init(
        state: CallState, scheduledStart: Date, grace: TimeInterval, attendance: [AttendanceSession], sessionEnded: Bool,
        now: Date
    ) {
        switch state {
        case .completed, .cancelled, .noShow:
            self = .notApplicable(state)
            return
        case .scheduled, .inProgress:
            break
        }
        let roles = Set(attendance.map(\.role))
        let expertCame = roles.contains(.expert)
        let customerCame = roles.contains(.customer)
        if sessionEnded {
            switch (customerCame, expertCame) {
            case (true, true): self = .attended
            case (true, false): self = .noShow(.expert)
            case (false, true): self = .noShow(.customer)
            case (false, false): self = .noShow(.both)
            }
            return
        }
        if expertCame || customerCame || state == .inProgress {
            // A started session is judged when it ends: one side may still come.
            self = .awaitSessionEnd
            return
        }
        let deadline = scheduledStart.addingTimeInterval(grace)
        self = now >= deadline ? .noShow(.both) : .checkAgain(at: deadline)
    }
}
