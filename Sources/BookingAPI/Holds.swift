public import ProtoWire

/// Holds a slot; the same rules as CreateCall apply.
public struct HoldSlotRequest: ProtoMessage {
    /// Empty: match an expert for the specialty, as CreateCall does.
    public var expertID = ""
    public var specialty = ""
    public var start: Timestamp?
    public var end: Timestamp?
    /// Empty: the caller.
    public var customerUserID = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.HoldSlotRequest"
    public static let schema: MessageSchema<HoldSlotRequest> = [
        .string(1, "expert_id", \.expertID),
        .string(2, "specialty", \.specialty),
        .message(3, "start", \.start),
        .message(4, "end", \.end),
        .string(5, "customer_user_id", \.customerUserID),
    ]
}

/// A slot reserved for one customer until `expiresAt`; CreateCall with `holdID` converts it.
public struct SlotHold: ProtoMessage {
    public var id = ""
    public var expertID = ""
    public var start: Timestamp?
    public var end: Timestamp?
    public var customerUserID = ""
    public var expiresAt: Timestamp?

    public init() {}

    public static let protoName = "loop.callbooking.v1.SlotHold"
    public static let schema: MessageSchema<SlotHold> = [
        .string(1, "id", \.id),
        .string(2, "expert_id", \.expertID),
        .message(3, "start", \.start),
        .message(4, "end", \.end),
        .string(5, "customer_user_id", \.customerUserID),
        .message(6, "expires_at", \.expiresAt),
    ]
}

/// Names the hold to release.
public struct ReleaseHoldRequest: ProtoMessage {
    public var id = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ReleaseHoldRequest"
    public static let schema: MessageSchema<ReleaseHoldRequest> = [
        .string(1, "id", \.id),
    ]
}
