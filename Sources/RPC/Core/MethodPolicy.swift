/// What a method lets through before its handler runs: decided from the request's headers
/// and size alone, so a request that cannot succeed is refused before its body is buffered.
public struct MethodPolicy: Sendable {
    /// A request without credentials (as `RPCServer.Credentials` sees them) is refused
    /// UNAUTHENTICATED when its headers arrive. Handlers still verify the credentials.
    public var requiresCredentials: Bool
    /// The largest request message (gRPC) or body (REST) accepted; nil is the server's limit
    /// (`RPCServer.Limits`).
    public var maxRequestSize: Int?

    public init(requiresCredentials: Bool, maxRequestSize: Int? = nil) {
        self.requiresCredentials = requiresCredentials
        self.maxRequestSize = maxRequestSize
    }

    /// Every booking RPC: a session token, requests up to the server's limit.
    public static let authenticated = MethodPolicy(requiresCredentials: true)

    /// Open to anyone (health), so its requests get a small limit of their own.
    public static func open(maxRequestSize: Int) -> MethodPolicy {
        MethodPolicy(requiresCredentials: false, maxRequestSize: maxRequestSize)
    }
}
