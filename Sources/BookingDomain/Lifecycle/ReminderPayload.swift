/// What the reminder task receives (`TRIGGER_REMINDER_TASK`): everything it needs to write
/// to one recipient, with every time already in that recipient's own zone, so the task makes
/// no time-zone decision of its own.
///
/// JSON keys are lowerCamelCase, as a TypeScript task expects. `kind` is "call.reminder".
public struct ReminderPayload: Hashable, Sendable, Encodable {
    public var kind = "call.reminder"
    public var callId: String
    public var topic: String
    public var minutesBefore: Int
    public var recipient: CallParticipant
    /// Who they meet: the other side's role and name (no contact details).
    public var otherParty: OtherParty?
    public var start: ZonedTime
    public var end: ZonedTime
    public var join: JoinInstructions
    public var preparation: [String]
    /// What the customer was asked to prepare when the call was booked (`Call.preparationInstructions`),
    /// in both reminders: the expert sees what their customer was told.
    public var preparationInstructions: String
    /// The customer's booking answers, for the expert's reminder only.
    public var customerContext: [QuestionAnswer]

    public struct OtherParty: Hashable, Sendable, Encodable {
        public var role: CallParticipant.Role
        public var name: String
    }

    /// The reminder's content for `call` (the call it was planned for); `expert` names the
    /// other side in the customer's reminder; `join` is how the API lets them in.
    public init(_ reminder: Reminder, call: Call, expert: Expert?, join: JoinInstructions) {
        let recipient = reminder.recipient
        self.callId = call.id.uuidString
        self.topic = call.topic
        self.minutesBefore = reminder.minutesBefore
        self.recipient = recipient
        switch recipient.role {
        case .customer:
            self.otherParty = expert.map { OtherParty(role: .expert, name: $0.name) }
            self.customerContext = []
        case .expert:
            self.otherParty = OtherParty(role: .customer, name: call.customer.name)
            self.customerContext = call.customerContext
        }
        self.start = ZonedTime(reminder.scheduledStart, timeZone: recipient.timeZone)
        self.end = ZonedTime(
            reminder.scheduledStart.addingTimeInterval(call.scheduledEnd.timeIntervalSince(call.scheduledStart)),
            timeZone: recipient.timeZone)
        self.join = join
        self.preparation = Self.preparation(for: recipient.role, call: call)
        self.preparationInstructions = call.preparationInstructions
    }

    static func preparation(for role: CallParticipant.Role, call: Call) -> [String] {
        var steps = ["Join from a quiet place with a stable connection, and check your camera and microphone beforehand."]
        switch role {
        case .customer:
            steps.append(
                call.topic.isEmpty
                    ? "Write down the questions you want answered."
                    : "Write down the questions you want answered about \u{201C}\(call.topic)\u{201D}.")
        case .expert:
            steps.append("You host the call: join a few minutes early.")
            if !call.customerContext.isEmpty {
                steps.append("Read the customer's answers from the booking (below) before the call.")
            }
        }
        return steps
    }

    private enum CodingKeys: String, CodingKey {
        case kind, callId, topic, minutesBefore, recipient, otherParty, start, end, join, preparation, preparationInstructions
        case customerContext
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.kind, forKey: .kind)
        try container.encode(self.callId, forKey: .callId)
        try container.encode(self.topic, forKey: .topic)
        try container.encode(self.minutesBefore, forKey: .minutesBefore)
        try container.encode(self.recipient, forKey: .recipient)
        try container.encodeIfPresent(self.otherParty, forKey: .otherParty)
        try container.encode(self.start, forKey: .start)
        try container.encode(self.end, forKey: .end)
        try container.encode(self.join, forKey: .join)
        try container.encode(self.preparation, forKey: .preparation)
        try container.encode(self.preparationInstructions, forKey: .preparationInstructions)
        if !self.customerContext.isEmpty {
            try container.encode(self.customerContext.map(QuestionAnswerJSON.init), forKey: .customerContext)
        }
    }
}

/// How a participant gets into the call: through the app, which asks the API for their own
/// video token. Nothing secret travels in a reminder. The route and method are the API's,
/// named by the app.
public struct JoinInstructions: Hashable, Sendable, Encodable {
    public var callId: String
    /// The REST route that issues this call's video token.
    public var tokenRoute: String
    /// The gRPC method of the same.
    public var tokenMethod: String
    public var text: String

    public init(callID: CallID, tokenRoute: String, tokenMethod: String) {
        self.callId = callID.uuidString
        self.tokenRoute = tokenRoute
        self.tokenMethod = tokenMethod
        self.text = "Open the call in the app, signed in as yourself, at the time above. "
            + "The app gets your personal video token from CreateCallToken (\(self.tokenRoute)); "
            + "the token works only for you and only for this call."
    }
}

/// `{question, answer}`.
struct QuestionAnswerJSON: Encodable {
    var question: String
    var answer: String
    init(_ pair: QuestionAnswer) {
        self.question = pair.question
        self.answer = pair.answer
    }
}
