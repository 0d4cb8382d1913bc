public import NIOCore
import ProtoWire

/// A registered method with its message types erased: the protocol layers hand it an
/// encoded request and get encoded responses back.
public struct AnyMethodHandler: Sendable {
    public typealias Emit = @Sendable (ByteBuffer) async throws -> Void

    public enum Kind: Sendable {
        case unary(@Sendable (EncodedRequest, MessageEncoding, RPCContext) async throws -> ByteBuffer)
        case serverStreaming(@Sendable (EncodedRequest, MessageEncoding, RPCContext, @escaping Emit) async throws -> Void)
        /// Served over gRPC only: the other protocols answer UNIMPLEMENTED.
        case bidirectionalStreaming(@Sendable (RequestMessages, MessageEncoding, RPCContext, @escaping Emit) async throws -> Void)
    }

    public let descriptor: MethodDescriptor
    public let idempotency: Idempotency
    public let policy: MethodPolicy
    public let kind: Kind
    /// Set by `RPCServer` for every registered method, so the gRPC path finds its metrics
    /// with the handler, without a second lookup. Unowned: instruments are never freed, and
    /// copying the handler on every request must not touch a reference count all cores share.
    public internal(set) unowned(unsafe) var instruments: MethodInstruments?
}

/// Maps each method to one closure that decodes, runs the handler and encodes. Built once
/// at start-up and then only read, so it is a plain value shared by every connection.
public struct RPCRouter: Sendable {
    private var handlers: [String: AnyMethodHandler] = [:]
    public private(set) var services: Set<String> = []

    public init() {}

    public mutating func register<Input, Output>(
        _ method: UnaryMethod<Input, Output>, policy: MethodPolicy = .authenticated,
        _ handler: @escaping @Sendable (Input, RPCContext) async throws -> Output
    ) {
        let allocator = ByteBufferAllocator()
        self.add(
            AnyMethodHandler(
                descriptor: method.descriptor, idempotency: method.idempotency, policy: policy,
                kind: .unary { request, encoding, context in
                    let input = try Input.decode(request)
                    return try await handler(input, context).encode(encoding, allocator: allocator)
                }))
    }

    public mutating func register<Input, Output>(
        _ method: ServerStreamingMethod<Input, Output>, policy: MethodPolicy = .authenticated,
        _ handler: @escaping @Sendable (Input, RPCContext, ResponseStream<Output>) async throws -> Void
    ) {
        let allocator = ByteBufferAllocator()
        self.add(
            AnyMethodHandler(
                descriptor: method.descriptor, idempotency: method.idempotency, policy: policy,
                kind: .serverStreaming { request, encoding, context, emit in
                    let input = try Input.decode(request)
                    let stream = ResponseStream<Output> { try await emit($0.encode(encoding, allocator: allocator)) }
                    try await handler(input, context, stream)
                }))
    }

    public mutating func register<Input, Output>(
        _ method: BidirectionalStreamingMethod<Input, Output>, policy: MethodPolicy = .authenticated,
        _ handler: @escaping @Sendable (RequestStream<Input>, RPCContext, ResponseStream<Output>) async throws -> Void
    ) {
        let allocator = ByteBufferAllocator()
        self.add(
            AnyMethodHandler(
                descriptor: method.descriptor, idempotency: .unknown, policy: policy,
                kind: .bidirectionalStreaming { messages, encoding, context, emit in
                    let stream = ResponseStream<Output> { try await emit($0.encode(encoding, allocator: allocator)) }
                    try await handler(RequestStream(messages: messages), context, stream)
                }))
    }

    private mutating func add(_ handler: AnyMethodHandler) {
        self.handlers[handler.descriptor.path] = handler
        self.services.insert(handler.descriptor.service)
    }

    /// Gives every method its instruments (once, when the server is made).
    mutating func instrument(with metrics: RPCMetrics) {
        for (path, handler) in self.handlers {
            self.handlers[path]?.instruments = metrics.instruments(for: handler.descriptor.description)
        }
    }

    public func handler(for method: MethodDescriptor) -> AnyMethodHandler? {
        self.handlers[method.path]
    }

    /// Looks a gRPC `:path` up as it arrived, without parsing it first (the hot path).
    public func handler(forPath path: String) -> AnyMethodHandler? {
        self.handlers[path]
    }
}
