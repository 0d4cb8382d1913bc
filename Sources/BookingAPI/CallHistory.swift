public import ProtoWire

/// Pages through calls, newest scheduled start first (then by id). Filters combine with AND.
public struct ListCallsRequest: ProtoMessage {
    /// Empty: every expert the caller may see.
    public var expertID = ""
    /// Empty: every customer the caller may see.
    public var customerUserID = ""
    /// Empty: every state.
    public var states: [CallState] = []
    /// Scheduled start at or after this time.
    public var from: Timestamp?
    /// Scheduled start before this time.
    public var to: Timestamp?
    /// 0: the server's default page size.
    public var pageSize: Int32 = 0
    /// `nextPageToken` of the previous page; empty for the first page.
    public var pageToken = ""
    /// Admins only: upcoming SCHEDULED calls whose expert is deactivated.
    public var needsReassignment = false

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListCallsRequest"
    public static let schema: MessageSchema<ListCallsRequest> = [
        .string(1, "expert_id", \.expertID),
        .string(2, "customer_user_id", \.customerUserID),
        .enum(3, "states", \.states),
        .message(4, "from", \.from),
        .message(5, "to", \.to),
        .int32(6, "page_size", \.pageSize),
        .string(7, "page_token", \.pageToken),
        .bool(8, "needs_reassignment", \.needsReassignment),
    ]
}

/// One page of calls.
public struct ListCallsResponse: ProtoMessage {
    public var calls: [Call] = []
    /// Empty on the last page.
    public var nextPageToken = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.ListCallsResponse"
    public static let schema: MessageSchema<ListCallsResponse> = [
        .message(1, "calls", \.calls),
        .string(2, "next_page_token", \.nextPageToken),
    ]
}
