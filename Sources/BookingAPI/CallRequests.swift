public import ProtoWire

/// Books a call; retrying with the same `requestID` returns the same call.
public struct CreateCallRequest: ProtoMessage {
    /// Idempotency key chosen by the client.
    public var requestID = ""
    /// Empty: match an expert for the specialty.
    public var expertID = ""
    /// Used for matching when `expertID` is empty.
    public var specialty = ""
    /// Books the slot of this hold and converts it; empty: no hold.
    public var holdID = ""
    public var customer: Customer?
    public var topic = ""
    public var scheduledStart: Timestamp?
    public var scheduledEnd: Timestamp?
    public var customerContext: [QuestionAnswer] = []

    public init() {}

    public static let protoName = "loop.callbooking.v1.CreateCallRequest"
    public static let schema: MessageSchema<CreateCallRequest> = [
        .string(1, "request_id", \.requestID),
        .string(2, "expert_id", \.expertID),
        .string(3, "specialty", \.specialty),
        .string(4, "hold_id", \.holdID),
        .message(5, "customer", \.customer),
        .string(6, "topic", \.topic),
        .message(7, "scheduled_start", \.scheduledStart),
        .message(8, "scheduled_end", \.scheduledEnd),
        .message(9, "customer_context", \.customerContext),
    ]
}

/// Names the call to read.
public struct GetCallRequest: ProtoMessage {
    public var id = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.GetCallRequest"
    public static let schema: MessageSchema<GetCallRequest> = [
        .string(1, "id", \.id),
    ]
}

/// Names the call to join.
public struct CreateCallTokenRequest: ProtoMessage {
    public var callID = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.CreateCallTokenRequest"
    public static let schema: MessageSchema<CreateCallTokenRequest> = [
        .string(1, "call_id", \.callID),
    ]
}

/// Pages through upcoming calls, soonest first.
public struct ListUpcomingCallsRequest: ProtoMessage {
    /// Empty: the caller's own calls.
    public var expertID = ""
    /// 0: the server's default page size.
    public var pageSize: Int32 = 0
    /// `nextPageToken` of the previous page; empty for the first page.
    public var pageToken = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListUpcomingCallsRequest"
    public static let schema: MessageSchema<ListUpcomingCallsRequest> = [
        .string(1, "expert_id", \.expertID),
        .int32(2, "page_size", \.pageSize),
        .string(3, "page_token", \.pageToken),
    ]
}

/// One page of upcoming calls.
public struct ListUpcomingCallsResponse: ProtoMessage {
    public var calls: [Call] = []
    /// Empty on the last page.
    public var nextPageToken = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListUpcomingCallsResponse"
    public static let schema: MessageSchema<ListUpcomingCallsResponse> = [
        .message(1, "calls", \.calls),
        .string(2, "next_page_token", \.nextPageToken),
    ]
}

/// Names the call to complete.
public struct CompleteCallRequest: ProtoMessage {
    public var id = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.CompleteCallRequest"
    public static let schema: MessageSchema<CompleteCallRequest> = [
        .string(1, "id", \.id),
    ]
}

/// Names the call to cancel, and why.
public struct CancelCallRequest: ProtoMessage {
    public var id = ""
    public var reason = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.CancelCallRequest"
    public static let schema: MessageSchema<CancelCallRequest> = [
        .string(1, "id", \.id),
        .string(2, "reason", \.reason),
    ]
}

/// Names the call whose recordings to list.
public struct ListCallRecordingsRequest: ProtoMessage {
    public var callID = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListCallRecordingsRequest"
    public static let schema: MessageSchema<ListCallRecordingsRequest> = [
        .string(1, "call_id", \.callID),
    ]
}

/// The recordings of a call.
public struct ListCallRecordingsResponse: ProtoMessage {
    public var recordings: [Recording] = []

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListCallRecordingsResponse"
    public static let schema: MessageSchema<ListCallRecordingsResponse> = [
        .message(1, "recordings", \.recordings),
    ]
}

/// Moves a call to another expert.
public struct ReassignCallRequest: ProtoMessage {
    public var id = ""
    /// Empty: match again, excluding the current expert.
    public var expertID = ""
    public var reason = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ReassignCallRequest"
    public static let schema: MessageSchema<ReassignCallRequest> = [
        .string(1, "id", \.id),
        .string(2, "expert_id", \.expertID),
        .string(3, "reason", \.reason),
    ]
}
