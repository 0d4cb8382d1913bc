import Logging
import NIOCore
import ProtoWire
import Transport

/// Receives one gRPC (or gRPC-Web, or Connect streaming) request on the event loop: checks its
/// headers, deframes its single message, then runs the handler in a task. Early failures
/// answer Trailers-Only at once. (Bidirectional methods, whose messages stream in, go to
/// `GRPCStreamingRequestHandler`, over gRPC only.)
final class GRPCRequestHandler: RequestHandler {
    /// The methods served here: those taking exactly one request message.
    private enum SingleRequestMethod {
        case unary(@Sendable (EncodedRequest, MessageEncoding, RPCContext) async throws -> ByteBuffer)
        case serverStreaming(
            @Sendable (EncodedRequest, MessageEncoding, RPCContext, @escaping AnyMethodHandler.Emit) async throws -> Void)
    }

    private enum State {
        /// The request's one message, once deframed; a second one is refused.
        case receiving(GRPCMessageDeframer, message: ByteBuffer?)
        case running
        case done
    }

    private let method: SingleRequestMethod
    private let context: RPCContext
    private let encoding: MessageEncoding
    private let call: GRPCCall
    private let writer: ResponseWriter
    private let registry: CallRegistry
    private var state: State

    private init(
        method: SingleRequestMethod, context: RPCContext, encoding: MessageEncoding, call: GRPCCall,
        writer: ResponseWriter, registry: CallRegistry, maxMessageSize: Int, isGzipped: Bool
    ) {
        self.method = method
        self.context = context
        self.encoding = encoding
        self.call = call
        self.writer = writer
        self.registry = registry
        self.state = .receiving(GRPCMessageDeframer(maxMessageSize: maxMessageSize, isGzipped: isGzipped), message: nil)
    }

    /// Validates the request head; returns a handler that already answered when it is not
    /// a call we can run (including one that needs credentials and has none: refused before
    /// its message is read).
    static func make(
        head: RequestHead, dialect: FramedDialect = .grpc, isJSON: Bool, writer: ResponseWriter, router: RPCRouter,
        registry: CallRegistry, maxMessageSize: Int, credentials: RPCServer.Credentials, metrics: RPCMetrics,
        logger: Logger
    ) -> any RequestHandler {
        let encoding: MessageEncoding = isJSON ? .grpcFramedJSON : .grpcFramedProtobuf
        let found = router.handler(forPath: head.path)
        let requestID = RequestID.accept(from: head.headers)
        let record = CallRecord(
            instruments: found?.instruments ?? metrics.unknown, transport: dialect.wireProtocol, requestID: requestID)
        let call = GRPCCall(
            writer: writer, responseHead: isJSON ? GRPCCall.jsonResponseHead : GRPCCall.protobufResponseHead,
            record: record)
        func reject(_ code: RPCError.Code, _ message: String) -> any RequestHandler {
            call.finish(status: code, message: message)
            return DiscardingRequestHandler()
        }
        guard head.method == "POST" else {
            return reject(.unimplemented, "gRPC requires POST, not \(ClientText.quoted(head.method))")
        }
        guard let method = found else {
            guard let descriptor = MethodDescriptor(path: head.path[...]) else {
                return reject(.unimplemented, "malformed method name: \(ClientText.quoted(head.path))")
            }
            if router.services.contains(descriptor.service) {
                return reject(.unimplemented, "unknown method \(ClientText.quoted(descriptor.method)) for service \(descriptor.service)")
            }
            return reject(.unimplemented, "unknown service \(ClientText.quoted(descriptor.service))")
        }
        if method.policy.requiresCredentials, !credentials.arePresent(head.headers) {
            return reject(.unauthenticated, credentials.missingMessage)
        }
        let isGzipped: Bool
        switch head.headers[dialect.messageEncodingHeader] {
        case nil, "identity": isGzipped = false
        case "gzip": isGzipped = true
        case let other?:
            // compression.md: say what we do accept.
            return reject(
                .unimplemented,
                "\(dialect.messageEncodingHeader) \(ClientText.quoted(other)) is not supported; use gzip or identity")
        }
        let deadline: ContinuousClock.Instant?
        do throws(RPCError) {
            deadline = try dialect.timeout(head.headers).map { .now + $0 }
        } catch {
            return reject(error.code, error.message)
        }
        let context = RPCContext(
            method: method.descriptor, metadata: RPCMetadata(requestHeaders: head.headers), deadline: deadline,
            wireProtocol: dialect.wireProtocol, logger: logger, requestID: requestID, connectionID: head.connectionID)
        let maxMessageSize = method.policy.maxRequestSize.map { min($0, maxMessageSize) } ?? maxMessageSize
        let single: SingleRequestMethod
        switch method.kind {
        case .unary(let handle):
            single = .unary(handle)
        case .serverStreaming(let handle):
            single = .serverStreaming(handle)
        case .bidirectionalStreaming(let handle):
            // gRPC-Web and Connect over HTTP/1.1 cannot stream requests while answering.
            guard dialect == .grpc else {
                return reject(.unimplemented, "\(method.descriptor) streams both ways: call it over gRPC (HTTP/2)")
            }
            return GRPCStreamingRequestHandler(
                handle: handle, context: context, encoding: encoding, call: call, writer: writer, registry: registry,
                maxMessageSize: maxMessageSize, isGzipped: isGzipped)
        }
        return GRPCRequestHandler(
            method: single, context: context, encoding: encoding, call: call, writer: writer, registry: registry,
            maxMessageSize: maxMessageSize, isGzipped: isGzipped)
    }

    func receiveBody(_ buffer: ByteBuffer) {
        guard case .receiving(var deframer, var received) = self.state else { return }
        self.state = .done  // avoid a copy of the buffered bytes while mutating
        deframer.append(buffer)
        do {
            while let message = try deframer.next() {
                guard received == nil else {
                    self.call.finish(
                        status: .unimplemented, message: "\(self.context.method) takes exactly one request message")
                    return
                }
                received = message
            }
        } catch {
            self.call.finish(status: error.code, message: error.message)
            return
        }
        self.state = .receiving(deframer, message: received)
    }

    func receiveEnd() {
        guard case .receiving(let deframer, let received) = self.state else { return }
        if deframer.hasPartialMessage {
            self.state = .done
            self.call.finish(status: .internal, message: "the request ended in the middle of a message")
            return
        }
        guard let message = received else {
            self.state = .done
            self.call.finish(status: .unimplemented, message: "\(self.context.method) takes exactly one request message")
            return
        }
        self.state = .running
        self.run(message)
    }

    func cancel() {
        self.state = .done
        self.call.cancel()
    }

    /// Ends the call with `code` before its handler runs (a body the protocol cannot read).
    func fail(_ code: RPCError.Code, _ message: String) {
        guard case .receiving = self.state else { return }
        self.state = .done
        self.call.finish(status: code, message: message)
    }

    private func run(_ message: ByteBuffer) {
        let call = self.call
        let context = self.context
        let encoding = self.encoding
        let request: EncodedRequest
        do {
            request = try Self.request(from: message, encoding: encoding)
        } catch {
            call.finish(status: error.code, message: error.message)
            return
        }
        if let deadline = context.deadline, deadline <= .now {
            call.finish(status: .deadlineExceeded, message: "deadline exceeded before the call started")
            return
        }
        let method = self.method
        let registry = self.registry
        let writer = self.writer
        registry.enter(writer)
        let task = Task(executorPreference: EventLoopTaskExecutor.current) {
            defer { registry.leave(writer) }
            do {
                switch method {
                case .unary(let handle):
                    call.finish(message: try await handle(request, encoding, context))
                case .serverStreaming(let handle):
                    try await handle(request, encoding, context) { try call.send(message: $0) }
                    call.finish(status: .ok, message: nil)
                }
            } catch {
                call.finish(failure: error, context: context)
            }
        }
        call.attach(task, deadline: context.deadline)
    }

    /// A deframed message as the handler's closure takes it: JSON is parsed here, on the event
    /// loop, so that a malformed one is refused before any task starts.
    static func request(from message: ByteBuffer, encoding: MessageEncoding) throws(RPCError) -> EncodedRequest {
        switch encoding {
        case .protobuf, .grpcFramedProtobuf:
            return .protobuf(message)
        case .json, .jsonEmittingUnpopulatedFields, .grpcFramedJSON:
            do {
                return .json(try JSONValue.parse(message))
            } catch {
                throw RPCError(.invalidArgument, "invalid JSON: \(error)")
            }
        }
    }
}

/// Swallows the rest of a request that has already been answered.
final class DiscardingRequestHandler: RequestHandler {
    func receiveBody(_ buffer: ByteBuffer) {}
    func receiveEnd() {}
    func cancel() {}
}
