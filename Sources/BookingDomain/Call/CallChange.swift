public import Foundation

/// What one lifecycle event does to a call, decided by `CallLifecycle`: the call as it is to
/// be stored, the row the event log gets, and the work the change causes. The store persists
/// all three in one transaction and sets nothing itself.
public struct CallChange: Hashable, Sendable {
    /// The call after the event (its `updatedAt` is the store's to set).
    public var call: Call
    public var event: CallEvent
    public var effects: [CallEffect]

    public init(call: Call, event: CallEvent, effects: [CallEffect]) {
        self.call = call
        self.event = event
        self.effects = effects
    }
}

/// A row of a call's event log (`calls.call_events`): the move and what caused it.
public struct CallEvent: Hashable, Sendable {
    /// The event log's `kind`; the raw values are what the log has always stored.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case created
        case sessionStarted = "session_started"
        case sessionEnded = "session_ended"
        case completed
        case cancelled
        case rescheduled
        case rescheduleLinked = "reschedule_linked"
        case reassigned
        /// The no-show check (or the session's end) found a side missing.
        case noShow = "no_show"
        case noShowMarked = "no_show_marked"
        case noShowPartyWidened = "no_show_party_widened"
        case noShowUnmarked = "no_show_unmarked"
        /// A customer with the verified email took a booking made without a user id; the
        /// state does not move.
        case claimed
        /// An overdue call ended as the provider's session did (COMPLETED or NO_SHOW), after
        /// the session's end never arrived.
        case sessionEndConfirmed = "session_end_confirmed"
        /// An overdue call the provider could say nothing about, completed at the last
        /// attendance seen.
        case sessionEndAssumed = "session_end_assumed"
    }

    /// Nil for the call's creation.
    public var from: CallState?
    public var to: CallState
    public var kind: Kind

    public init(from: CallState?, to: CallState, kind: Kind) {
        self.from = from
        self.to = to
        self.kind = kind
    }
}

/// Work a change causes, done after it commits (the store turns each into a job in the same
/// transaction). Named for what happens, not for the provider that does it.
public enum CallEffect: Hashable, Sendable {
    /// Create the call's video room with its members.
    case setUpRoom
    /// Bring the room's members in line with the call's expert and customer.
    case syncRoomMembers
    /// Bring the call's reminders in line with the call as it is now: reminders no longer in
    /// its `ReminderPlan` are cancelled, new ones planned.
    case replanReminders
    /// Decide at `at` whether nobody came.
    case checkNoShow(at: Date)
    /// At `at`, settle a call still IN_PROGRESS whose session's end never arrived.
    case checkEnd(at: Date)
    /// The call is over before it happened: end its video call (no one can join any more) and
    /// freeze its chat.
    case closeRoom
    /// The expert no longer has the call: block them from its video call, so a token issued
    /// before no longer lets them in (the members sync takes them off it).
    case revokeRoomAccess(ExpertID)
    /// Send the follow-up of the completed call (`recording` nil), or of one recording.
    case sendFollowUp(recording: String?)
}

/// `CallLifecycle`'s answer to one event.
public enum CallDecision: Hashable, Sendable {
    /// Store this change.
    case change(CallChange)
    /// Nothing to store (the event came again, or there is nothing to decide yet); `effects`
    /// still go ahead, such as the next no-show check.
    case noChange(Call, effects: [CallEffect])
    /// The event does not apply to the call as it is; the message names the move.
    case refused(BookingError)

    /// The call the decision leaves.
    public var call: Call? {
        switch self {
        case .change(let change): change.call
        case .noChange(let call, _): call
        case .refused: nil
        }
    }
}
