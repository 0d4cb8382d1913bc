public import ProtoWire

/// The .proto's `option idempotency_level` of a method. Connect lets a browser call a method
/// with no side effects by GET, which caches can keep.
public enum Idempotency: Sendable {
    case unknown
    case noSideEffects
    case idempotent
}

/// A unary RPC and its message types: the one description every protocol dispatches on.
public struct UnaryMethod<Input: ProtoMessage, Output: ProtoMessage>: Sendable {
    public let descriptor: MethodDescriptor
    public let idempotency: Idempotency
    public init(service: String, method: String, idempotency: Idempotency = .unknown) {
        self.descriptor = MethodDescriptor(service: service, method: method)
        self.idempotency = idempotency
    }
}

/// A server-streaming RPC: one request, any number of responses.
public struct ServerStreamingMethod<Input: ProtoMessage, Output: ProtoMessage>: Sendable {
    public let descriptor: MethodDescriptor
    public let idempotency: Idempotency
    public init(service: String, method: String, idempotency: Idempotency = .unknown) {
        self.descriptor = MethodDescriptor(service: service, method: method)
        self.idempotency = idempotency
    }
}

/// Sends the responses of a server-streaming call, in order.
public struct ResponseStream<Output: ProtoMessage>: Sendable {
    let emit: @Sendable (Output) async throws -> Void

    /// Throws `CancellationError` once the call is over (deadline, client gone, shutdown).
    public func send(_ message: Output) async throws {
        try await self.emit(message)
    }
}

/// A bidirectional-streaming RPC: request messages stream in while responses stream out.
/// Served over gRPC only (REST, like HTTP/1.1 request bodies, has no message stream).
public struct BidirectionalStreamingMethod<Input: ProtoMessage, Output: ProtoMessage>: Sendable {
    public let descriptor: MethodDescriptor
    public init(service: String, method: String) {
        self.descriptor = MethodDescriptor(service: service, method: method)
    }
}
