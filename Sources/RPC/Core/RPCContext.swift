
/// Which framing a call arrived in. Handlers rarely care; metrics and logs do.
public enum WireProtocol: String, Sendable {
    case grpc
    case rest
}

/// What a handler knows about the call besides its request message.
public struct RPCContext: Sendable {
    public let method: MethodDescriptor
    public let metadata: RPCMetadata
    /// When the client stops waiting (`grpc-timeout`); the call is cancelled then.
    public let deadline: ContinuousClock.Instant?
    public let wireProtocol: WireProtocol

    public init(method: MethodDescriptor, metadata: RPCMetadata, deadline: ContinuousClock.Instant?, wireProtocol: WireProtocol) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.wireProtocol = wireProtocol
    }
}
