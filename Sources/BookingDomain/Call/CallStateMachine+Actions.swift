public import Foundation

/// What the caller of a `CallStateMachine` event must do, one enum per event.
extension CallStateMachine {
    public enum OnStart: Hashable, Sendable {
        /// Write IN_PROGRESS and `started_at`, with a SCHEDULED -> IN_PROGRESS log row.
        case persist(startedAt: Date)
        /// The session-started event came again; the first start time stands.
        case alreadyStarted(startedAt: Date)
        case reject(BookingError)
    }

    public enum OnComplete: Hashable, Sendable {
        /// Write COMPLETED and `ended_at`, log `from -> COMPLETED`, then end the video room.
        /// `duration` is `ended_at − started_at`, `nil` when the call never started on video.
        case persist(from: CallState, endedAt: Date, duration: TimeInterval?)
        /// CompleteCall is idempotent: answer the call as stored, keeping the first end time.
        case alreadyCompleted(endedAt: Date)
        case reject(BookingError)
    }

    public enum OnCancel: Hashable, Sendable {
        /// Write CANCELLED and the reason, with a SCHEDULED -> CANCELLED log row.
        case persist(reason: String, cancelledAt: Date)
        case reject(BookingError)
    }

    public enum OnMarkNoShow: Hashable, Sendable {
        /// Write NO_SHOW and the party, logging `from -> NO_SHOW`: unmarking reads `from` back.
        case persist(from: CallState, party: NoShowParty)
        /// Already NO_SHOW and a second report names the other side: store the wider party
        /// without a new transition, so the log's last move into NO_SHOW stays the undo point.
        case updateParty(NoShowParty)
        /// The same report came again.
        case alreadyMarked(NoShowParty)
        case reject(BookingError)
    }

    public enum OnUnmarkNoShow: Hashable, Sendable {
        /// Write `restored` (clearing `no_show_party`), logging NO_SHOW -> `restored`.
        case persist(restored: CallState)
        /// The call is not NO_SHOW (for example the unmark was delivered twice): nothing to do.
        case notMarked(CallState)
        case reject(BookingError)
    }
}
