public import ProtoWire

/// Names the call whose timeline to read.
public struct GetCallTimelineRequest: ProtoMessage {
    public var callID = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.GetCallTimelineRequest"
    public static let schema: MessageSchema<GetCallTimelineRequest> = [
        .string(1, "call_id", \.callID),
    ]
}

/// What happened to one call, each list oldest first and bounded.
public struct CallTimeline: ProtoMessage {
    public var callID = ""
    public var events: [CallEvent] = []
    public var attendance: [Attendance] = []
    public var quality: [CallQuality] = []
    public var deliveries: [NotificationDelivery] = []
    /// As GetCall shows it: candidates and scores only for admins.
    public var assignment: Assignment?
    /// A list was cut at its limit.
    public var truncated = false

    public init() {}

    public static let protoName = "loop.callbooking.v1.CallTimeline"
    public static let schema: MessageSchema<CallTimeline> = [
        .string(1, "call_id", \.callID),
        .message(2, "events", \.events),
        .message(3, "attendance", \.attendance),
        .message(4, "quality", \.quality),
        .message(5, "deliveries", \.deliveries),
        .message(6, "assignment", \.assignment),
        .bool(7, "truncated", \.truncated),
    ]
}

/// One entry of a call's event log.
public struct CallEvent: ProtoMessage {
    public var kind = ""
    public var time: Timestamp?
    public var actor = ""
    /// JSON object text.
    public var detail = ""
    public var fromState = CallState.unspecified
    public var toState = CallState.unspecified

    public init() {}

    public static let protoName = "loop.callbooking.v1.CallEvent"
    public static let schema: MessageSchema<CallEvent> = [
        .string(1, "kind", \.kind),
        .message(2, "time", \.time),
        .string(3, "actor", \.actor),
        .string(4, "detail", \.detail),
        .enum(5, "from_state", \.fromState),
        .enum(6, "to_state", \.toState),
    ]
}

/// Who a participant of a call's video was.
public struct ParticipantRole: ProtoEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = ParticipantRole(rawValue: 0)
    public static let customer = ParticipantRole(rawValue: 1)
    public static let expert = ParticipantRole(rawValue: 2)
    public static let other = ParticipantRole(rawValue: 3)

    public static let protoName = "loop.callbooking.v1.ParticipantRole"
    public static let names: ProtoEnumNames = [
        0: "PARTICIPANT_ROLE_UNSPECIFIED", 1: "PARTICIPANT_ROLE_CUSTOMER", 2: "PARTICIPANT_ROLE_EXPERT",
        3: "PARTICIPANT_ROLE_OTHER",
    ]
}

/// One video session of one participant.
public struct Attendance: ProtoMessage {
    public var userID = ""
    public var role = ParticipantRole.unspecified
    public var joinedAt: Timestamp?
    /// Unset while the participant is still in the call.
    public var leftAt: Timestamp?

    public init() {}

    public static let protoName = "loop.callbooking.v1.Attendance"
    public static let schema: MessageSchema<Attendance> = [
        .string(1, "user_id", \.userID),
        .enum(2, "role", \.role),
        .message(3, "joined_at", \.joinedAt),
        .message(4, "left_at", \.leftAt),
    ]
}

/// Stream's quality figures for one video session.
public struct CallQuality: ProtoMessage {
    public var sessionID = ""
    public var qualityScore: Int32 = 0
    public var jitterAverageSeconds: Double = 0
    public var jitterMaxSeconds: Double = 0
    public var latencyAverageSeconds: Double = 0
    public var latencyMaxSeconds: Double = 0
    public var maxFreezesDurationSeconds: Int32 = 0
    public var maxParticipants: Int32 = 0
    public var reportedAt: Timestamp?

    public init() {}

    public static let protoName = "loop.callbooking.v1.CallQuality"
    public static let schema: MessageSchema<CallQuality> = [
        .string(1, "session_id", \.sessionID),
        .int32(2, "quality_score", \.qualityScore),
        .double(3, "jitter_average_seconds", \.jitterAverageSeconds),
        .double(4, "jitter_max_seconds", \.jitterMaxSeconds),
        .double(5, "latency_average_seconds", \.latencyAverageSeconds),
        .double(6, "latency_max_seconds", \.latencyMaxSeconds),
        .int32(7, "max_freezes_duration_seconds", \.maxFreezesDurationSeconds),
        .int32(8, "max_participants", \.maxParticipants),
        .message(9, "reported_at", \.reportedAt),
    ]
}

/// What a notification delivery is for.
public struct DeliveryKind: ProtoEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = DeliveryKind(rawValue: 0)
    public static let reminder = DeliveryKind(rawValue: 1)
    public static let followUp = DeliveryKind(rawValue: 2)
    public static let recording = DeliveryKind(rawValue: 3)

    public static let protoName = "loop.callbooking.v1.DeliveryKind"
    public static let names: ProtoEnumNames = [
        0: "DELIVERY_KIND_UNSPECIFIED", 1: "DELIVERY_KIND_REMINDER", 2: "DELIVERY_KIND_FOLLOW_UP",
        3: "DELIVERY_KIND_RECORDING",
    ]
}

/// What became of a notification delivery.
public struct DeliveryState: ProtoEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = DeliveryState(rawValue: 0)
    public static let planned = DeliveryState(rawValue: 1)
    public static let triggered = DeliveryState(rawValue: 2)
    public static let skipped = DeliveryState(rawValue: 3)
    public static let cancelled = DeliveryState(rawValue: 4)
    public static let superseded = DeliveryState(rawValue: 5)
    /// Given up: refused for good by the delivery service, or out of attempts.
    public static let failed = DeliveryState(rawValue: 6)

    public static let protoName = "loop.callbooking.v1.DeliveryState"
    public static let names: ProtoEnumNames = [
        0: "DELIVERY_STATE_UNSPECIFIED", 1: "DELIVERY_STATE_PLANNED", 2: "DELIVERY_STATE_TRIGGERED",
        3: "DELIVERY_STATE_SKIPPED", 4: "DELIVERY_STATE_CANCELLED", 5: "DELIVERY_STATE_SUPERSEDED",
        6: "DELIVERY_STATE_FAILED",
    ]
}

/// One reminder or follow-up of a call.
public struct NotificationDelivery: ProtoMessage {
    public var kind = DeliveryKind.unspecified
    public var recipient = ""
    public var minutesBefore: Int32 = 0
    public var dueAt: Timestamp?
    public var state = DeliveryState.unspecified
    /// Why it was skipped, superseded or failed.
    public var error = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.NotificationDelivery"
    public static let schema: MessageSchema<NotificationDelivery> = [
        .enum(1, "kind", \.kind),
        .string(2, "recipient", \.recipient),
        .int32(3, "minutes_before", \.minutesBefore),
        .message(4, "due_at", \.dueAt),
        .enum(5, "state", \.state),
        .string(6, "error", \.error),
    ]
}
