public import Foundation

/// Where a call was booked: through our API (a customer, or an admin on their behalf) or on
/// Calendly's booking page (the invitee webhook).
public enum BookingSource: String, Hashable, Sendable, CaseIterable {
    case api
    case calendly
}

extension Call {
    /// Calendly bookings are the calls that carry their invitee.
    public var bookingSource: BookingSource { self.calendlyInviteeURI == nil ? .api : .calendly }
}

/// What a change means for the call volume figures (booked, finished, how long it lasted), so
/// that whoever counts them asks the change rather than re-deriving the lifecycle's rules.
extension CallChange {
    /// The change that created the call (a booking, or a rescheduled call's replacement).
    public var books: Bool { self.event.from == nil }

    /// The state a live call (SCHEDULED or IN_PROGRESS) ends in with this change: COMPLETED,
    /// CANCELLED or NO_SHOW. Nil for every other move, so a widened no-show party or an event
    /// that came again is not counted twice.
    public var finishes: CallState? {
        guard let from = self.event.from, from == .scheduled || from == .inProgress else { return nil }
        switch self.event.to {
        case .completed, .cancelled, .noShow: return self.event.to
        case .scheduled, .inProgress: return nil
        }
    }

    /// How long the session of a call this change completes lasted (`ended_at − started_at`);
    /// nil when the change completes nothing or a time is unknown.
    public var completedDuration: TimeInterval? {
        guard self.finishes == .completed else { return nil }
        return self.call.duration
    }
}
