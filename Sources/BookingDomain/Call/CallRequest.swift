public import Foundation

/// A validated `CreateCallRequest`: everything the domain checks before any database work.
///
/// Built only through `init(validating…)`, so holding one proves the checks passed. What
/// needs the database (the expert exists, the slot is free) is `ExpertAvailability`'s.
/// The start is not compared with the clock here: that is the "starts in the past" rule of
/// `ExpertAvailability.check`, which a Calendly booking (already made elsewhere) skips.
public struct CallRequest: Hashable, Sendable {
    /// Longest idempotency key kept; a UUID or a hash fits easily.
    public static let maximumRequestIDLength = 128

    /// Empty: not idempotent.
    public let requestID: String
    /// `nil`: match an expert for `specialty`.
    public let expertID: ExpertID?
    public let specialty: String
    public let customer: Customer
    public let topic: String
    public let scheduled: TimeSlot
    public let customerContext: [QuestionAnswer]

    /// Checks the request fields (times come converted from Timestamps, `nil` when absent).
    public init(
        validating requestID: String,
        expertID: String,
        specialty: String,
        customer: Customer,
        topic: String,
        scheduledStart: Date?,
        scheduledEnd: Date?,
        customerContext: [QuestionAnswer]
    ) throws(BookingError) {
        try FieldRules.length(requestID, atMost: Self.maximumRequestIDLength, field: "request_id")
        self.requestID = requestID
        self.expertID = expertID.isEmpty ? nil : try ExpertID(validating: expertID, field: "expert_id")
        try FieldRules.length(specialty, atMost: ExpertRules.maximumSpecialtyLength, field: "specialty")
        self.specialty = specialty

        guard let start = scheduledStart else { throw .invalidArgument("scheduled_start is required") }
        guard let end = scheduledEnd else { throw .invalidArgument("scheduled_end is required") }
        try Self.checkTimes(start: start, end: end)
        self.scheduled = TimeSlot(start: start, end: end)

        try Self.checkCustomer(customer)
        self.customer = customer
        try FieldRules.length(topic, atMost: CallLimits.maximumTopicLength, field: "topic")
        self.topic = topic
        try Self.checkContext(customerContext)
        self.customerContext = customerContext
    }

    static func checkTimes(start: Date, end: Date) throws(BookingError) {
        guard start < end else {
            throw .invalidArgument("scheduled_start must be before scheduled_end")
        }
        let minutes = { (interval: TimeInterval) in Int(interval / 60) }
        let duration = end.timeIntervalSince(start)
        guard duration >= CallLimits.minimumDuration else {
            throw .invalidArgument("a call lasts at least \(minutes(CallLimits.minimumDuration)) minutes")
        }
        guard duration <= CallLimits.maximumDuration else {
            throw .invalidArgument("a call lasts at most \(minutes(CallLimits.maximumDuration)) minutes")
        }
    }

    static func checkCustomer(_ customer: Customer) throws(BookingError) {
        try FieldRules.length(customer.userID, atMost: 128, field: "customer.user_id")
        try FieldRules.length(customer.name, atMost: CallLimits.maximumNameLength, field: "customer.name")
        if !customer.email.isEmpty { try FieldRules.email(customer.email, field: "customer.email") }
        if !customer.timeZone.isEmpty { try FieldRules.timeZone(customer.timeZone, field: "customer.timezone") }
    }

    static func checkContext(_ context: [QuestionAnswer]) throws(BookingError) {
        guard context.count <= CallLimits.maximumContextEntries else {
            throw .invalidArgument("customer_context may have at most \(CallLimits.maximumContextEntries) entries")
        }
        for (index, entry) in context.enumerated() {
            try FieldRules.length(entry.question, atMost: CallLimits.maximumQuestionLength, field: "customer_context[\(index)].question")
            try FieldRules.length(entry.answer, atMost: CallLimits.maximumAnswerLength, field: "customer_context[\(index)].answer")
        }
    }
}
