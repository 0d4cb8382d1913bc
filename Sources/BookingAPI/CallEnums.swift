public import ProtoWire

/// Where a call is in its lifecycle; COMPLETED and CANCELLED are final.
public struct CallState: ProtoEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = CallState(rawValue: 0)
    public static let scheduled = CallState(rawValue: 1)
    public static let inProgress = CallState(rawValue: 2)
    public static let completed = CallState(rawValue: 3)
    public static let cancelled = CallState(rawValue: 4)
    public static let noShow = CallState(rawValue: 5)

    public static let protoName = "loop.callbooking.v1.CallState"
    public static let names: ProtoEnumNames = [
        0: "CALL_STATE_UNSPECIFIED", 1: "CALL_STATE_SCHEDULED", 2: "CALL_STATE_IN_PROGRESS",
        3: "CALL_STATE_COMPLETED", 4: "CALL_STATE_CANCELLED", 5: "CALL_STATE_NO_SHOW",
    ]
}

/// Who missed a call that ended as NO_SHOW.
public struct NoShowParty: ProtoEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = NoShowParty(rawValue: 0)
    public static let customer = NoShowParty(rawValue: 1)
    public static let expert = NoShowParty(rawValue: 2)
    public static let both = NoShowParty(rawValue: 3)

    public static let protoName = "loop.callbooking.v1.NoShowParty"
    public static let names: ProtoEnumNames = [
        0: "NO_SHOW_PARTY_UNSPECIFIED", 1: "NO_SHOW_PARTY_CUSTOMER", 2: "NO_SHOW_PARTY_EXPERT", 3: "NO_SHOW_PARTY_BOTH",
    ]
}

/// Why a call has the expert it has.
public struct AssignmentReason: ProtoEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = AssignmentReason(rawValue: 0)
    /// The caller named the expert.
    public static let requested = AssignmentReason(rawValue: 1)
    /// The service matched an expert for the specialty.
    public static let matched = AssignmentReason(rawValue: 2)
    /// The host of the Calendly event.
    public static let calendlyHost = AssignmentReason(rawValue: 3)
    /// An admin reassigned the call.
    public static let reassigned = AssignmentReason(rawValue: 4)

    public static let protoName = "loop.callbooking.v1.AssignmentReason"
    public static let names: ProtoEnumNames = [
        0: "ASSIGNMENT_REASON_UNSPECIFIED", 1: "ASSIGNMENT_REASON_REQUESTED", 2: "ASSIGNMENT_REASON_MATCHED",
        3: "ASSIGNMENT_REASON_CALENDLY_HOST", 4: "ASSIGNMENT_REASON_REASSIGNED",
    ]
}
