public import ProtoWire

/// A scheduled video consultation between one customer and one expert.
public struct Call: ProtoMessage {
    /// UUID text.
    public var id = ""
    public var state = CallState.unspecified
    /// Set when state is `.noShow`.
    public var noShowParty = NoShowParty.unspecified
    /// Empty when a Calendly booking found no free expert and waits for an admin.
    public var expertID = ""
    public var assignment: Assignment?
    public var customer: Customer?
    public var topic = ""
    public var customerContext: [QuestionAnswer] = []
    public var scheduledStart: Timestamp?
    public var scheduledEnd: Timestamp?
    public var startedAt: Timestamp?
    public var endedAt: Timestamp?
    public var video: VideoRoom?
    /// "rescheduled" when the call was replaced by `rescheduledToCallID`.
    public var cancellationReason = ""
    public var rescheduledFromCallID = ""
    public var rescheduledToCallID = ""
    public var calendlyEventURI = ""
    public var calendlyInviteeURI = ""
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?
    /// What to prepare, resolved when the call was booked.
    public var preparationInstructions = ""
    /// `scheduledStart` as RFC 3339 with the offset of the customer's zone; empty when unknown.
    public var customerLocalStart = ""
    /// `scheduledStart` as RFC 3339 with the offset of the expert's zone; empty without an expert.
    public var expertLocalStart = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.Call"
    public static let schema: MessageSchema<Call> = [
        .string(1, "id", \.id),
        .enum(2, "state", \.state),
        .enum(3, "no_show_party", \.noShowParty),
        .string(4, "expert_id", \.expertID),
        .message(5, "assignment", \.assignment),
        .message(6, "customer", \.customer),
        .string(7, "topic", \.topic),
        .message(8, "customer_context", \.customerContext),
        .message(9, "scheduled_start", \.scheduledStart),
        .message(10, "scheduled_end", \.scheduledEnd),
        .message(11, "started_at", \.startedAt),
        .message(12, "ended_at", \.endedAt),
        .message(13, "video", \.video),
        .string(14, "cancellation_reason", \.cancellationReason),
        .string(15, "rescheduled_from_call_id", \.rescheduledFromCallID),
        .string(16, "rescheduled_to_call_id", \.rescheduledToCallID),
        .string(17, "calendly_event_uri", \.calendlyEventURI),
        .string(18, "calendly_invitee_uri", \.calendlyInviteeURI),
        .message(19, "created_at", \.createdAt),
        .message(20, "updated_at", \.updatedAt),
        .string(21, "preparation_instructions", \.preparationInstructions),
        .string(22, "customer_local_start", \.customerLocalStart),
        .string(23, "expert_local_start", \.expertLocalStart),
    ]
}

/// The customer of a call; `userID` is the Clerk user id (may be empty for Calendly bookings).
public struct Customer: ProtoMessage {
    public var userID = ""
    public var email = ""
    public var name = ""
    /// IANA timezone, e.g. "Europe/Berlin".
    public var timezone = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.Customer"
    public static let schema: MessageSchema<Customer> = [
        .string(1, "user_id", \.userID),
        .string(2, "email", \.email),
        .string(3, "name", \.name),
        .string(4, "timezone", \.timezone),
    ]
}

/// One answer the customer gave when booking, shown to the expert.
public struct QuestionAnswer: ProtoMessage {
    public var question = ""
    public var answer = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.QuestionAnswer"
    public static let schema: MessageSchema<QuestionAnswer> = [
        .string(1, "question", \.question),
        .string(2, "answer", \.answer),
    ]
}

/// The Stream video call that hosts a call.
public struct VideoRoom: ProtoMessage {
    public var callType = ""
    public var callID = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.VideoRoom"
    public static let schema: MessageSchema<VideoRoom> = [
        .string(1, "call_type", \.callType),
        .string(2, "call_id", \.callID),
    ]
}

/// How and why a call was given its expert.
public struct Assignment: ProtoMessage {
    public var reason = AssignmentReason.unspecified
    /// Human-readable detail, e.g. why no expert could be matched.
    public var note = ""
    /// The experts considered when matching, best first; only admins see them.
    public var candidates: [CandidateScore] = []

    public init() {}

    public static let protoName = "loop.callbooking.v1.Assignment"
    public static let schema: MessageSchema<Assignment> = [
        .enum(1, "reason", \.reason),
        .string(2, "note", \.note),
        .message(3, "candidates", \.candidates),
    ]
}

/// One expert considered by matching, with its score.
public struct CandidateScore: ProtoMessage {
    public var expertID = ""
    public var score: Double = 0
    public var explanation = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.CandidateScore"
    public static let schema: MessageSchema<CandidateScore> = [
        .string(1, "expert_id", \.expertID),
        .double(2, "score", \.score),
        .string(3, "explanation", \.explanation),
    ]
}

/// A Stream video token for one participant of a call.
public struct CallToken: ProtoMessage {
    public var token = ""
    public var apiKey = ""
    public var userID = ""
    public var callType = ""
    public var callID = ""
    /// "host" for the expert, "call_member" for the customer.
    public var role = ""
    public var expiresAt: Timestamp?

    public init() {}

    public static let protoName = "loop.callbooking.v1.CallToken"
    public static let schema: MessageSchema<CallToken> = [
        .string(1, "token", \.token),
        .string(2, "api_key", \.apiKey),
        .string(3, "user_id", \.userID),
        .string(4, "call_type", \.callType),
        .string(5, "call_id", \.callID),
        .string(6, "role", \.role),
        .message(7, "expires_at", \.expiresAt),
    ]
}

/// A recording of a call's video session.
public struct Recording: ProtoMessage {
    public var id = ""
    public var callID = ""
    public var url = ""
    public var filename = ""
    public var startTime: Timestamp?
    public var endTime: Timestamp?

    public init() {}

    public static let protoName = "loop.callbooking.v1.Recording"
    public static let schema: MessageSchema<Recording> = [
        .string(1, "id", \.id),
        .string(2, "call_id", \.callID),
        .string(3, "url", \.url),
        .string(4, "filename", \.filename),
        .message(5, "start_time", \.startTime),
        .message(6, "end_time", \.endTime),
    ]
}
