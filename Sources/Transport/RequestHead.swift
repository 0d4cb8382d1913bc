/// What a request says before its body: enough for a responder to route it.
public struct RequestHead: Sendable {
    public enum Version: Sendable, Equatable {
        case http1_1
        case http2
    }

    public var version: Version
    public var method: String
    /// The request target as sent (`:path` or the HTTP/1.1 URI), query string included.
    public var path: String
    /// `:authority`, or the HTTP/1.1 `Host` header.
    public var authority: String?
    /// Regular headers, lower-case names; pseudo-headers are not repeated here.
    public var headers: HTTPFields
    /// Which connection the request came on (unique in this process), for limits that
    /// count per connection.
    public var connectionID: UInt64

    public init(
        version: Version, method: String, path: String, authority: String?, headers: HTTPFields,
        connectionID: UInt64 = 0
    ) {
        self.version = version
        self.method = method
        self.path = path
        self.authority = authority
        self.headers = headers
        self.connectionID = connectionID
    }
}

/// Status line and headers of a response.
public struct ResponseHead: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPFields
    /// On HTTP/2, when the response ends before the request has, follow it with
    /// RST_STREAM(NO_ERROR) so the client stops sending. gRPC asks for this
    /// (PROTOCOL-HTTP2); plain HTTP clients (curl 7.88) may report it as an error, so it
    /// is opt-in and the rest of their body is read and dropped instead.
    public var resetsUnfinishedRequest: Bool

    public init(status: Int, headers: HTTPFields = HTTPFields(), resetsUnfinishedRequest: Bool = false) {
        self.status = status
        self.headers = headers
        self.resetsUnfinishedRequest = resetsUnfinishedRequest
    }
}
