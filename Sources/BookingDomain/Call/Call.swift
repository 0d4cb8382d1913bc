public import Foundation

/// A booked video consultation: the domain's view of the contract's `Call` message.
///
/// Optional fields are `nil` where the message has an empty string or an absent Timestamp.
/// The video room is not stored here: its id is the call's id and its type comes from
/// configuration, so the app derives it. State changes go through `CallLifecycle`, which
/// decides; this struct only records.
public struct Call: Hashable, Sendable {
    /// The `cancellation_reason` of a call that was replaced by `rescheduledTo`.
    public static let rescheduledReason = "rescheduled"

    public var id: CallID
    public var state: CallState
    /// Set exactly when `state` is `.noShow`.
    public var noShowParty: NoShowParty?
    /// `nil` when a Calendly booking found no free expert and waits for an admin.
    public var expertID: ExpertID?
    public var assignment: Assignment?
    public var customer: Customer
    public var topic: String
    public var customerContext: [QuestionAnswer]
    public var scheduledStart: Date
    public var scheduledEnd: Date
    public var startedAt: Date?
    public var endedAt: Date?
    public var cancellationReason: String?
    public var rescheduledFrom: CallID?
    public var rescheduledTo: CallID?
    public var calendlyEventURI: String?
    public var calendlyInviteeURI: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// What to prepare, resolved at booking (`PreparationGuide`) and kept as it was then.
    public var preparationInstructions: String
    /// The assigned expert's IANA zone as it was when the call was read: not the call's own
    /// data (the store reads it from the expert, so a moved expert is seen at once); nil without
    /// an expert or for a call built in memory.
    public var expertTimeZone: String?

    public init(
        id: CallID,
        state: CallState = .scheduled,
        noShowParty: NoShowParty? = nil,
        expertID: ExpertID?,
        assignment: Assignment? = nil,
        customer: Customer,
        topic: String,
        customerContext: [QuestionAnswer] = [],
        scheduledStart: Date,
        scheduledEnd: Date,
        startedAt: Date? = nil,
        endedAt: Date? = nil,
        cancellationReason: String? = nil,
        rescheduledFrom: CallID? = nil,
        rescheduledTo: CallID? = nil,
        calendlyEventURI: String? = nil,
        calendlyInviteeURI: String? = nil,
        createdAt: Date,
        updatedAt: Date,
        preparationInstructions: String = "",
        expertTimeZone: String? = nil
    ) {
        self.id = id
        self.state = state
        self.noShowParty = noShowParty
        self.expertID = expertID
        self.assignment = assignment
        self.customer = customer
        self.topic = topic
        self.customerContext = customerContext
        self.scheduledStart = scheduledStart
        self.scheduledEnd = scheduledEnd
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.cancellationReason = cancellationReason
        self.rescheduledFrom = rescheduledFrom
        self.rescheduledTo = rescheduledTo
        self.calendlyEventURI = calendlyEventURI
        self.calendlyInviteeURI = calendlyInviteeURI
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.preparationInstructions = preparationInstructions
        self.expertTimeZone = expertTimeZone
    }

    /// The booked range `[scheduledStart, scheduledEnd)`.
    public var scheduled: TimeSlot { TimeSlot(start: self.scheduledStart, end: self.scheduledEnd) }

    /// `scheduledStart` in the customer's zone; nil when it is unknown.
    public var customerLocalStart: String? {
        LocalTimestamp.text(self.scheduledStart, zoneIdentifier: self.customer.timeZone)
    }

    /// `scheduledStart` in the expert's zone; nil without an expert.
    public var expertLocalStart: String? {
        self.expertTimeZone.flatMap { LocalTimestamp.text(self.scheduledStart, zoneIdentifier: $0) }
    }

    /// `ended_at − started_at`, the duration analytics use; `nil` unless both are known.
    public var duration: TimeInterval? {
        guard let startedAt, let endedAt else { return nil }
        return endedAt.timeIntervalSince(startedAt)
    }
}
