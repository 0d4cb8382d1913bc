import Logging
import NIOCore
import ProtoWire
import Transport

/// Receives one gRPC request on the event loop: checks its headers, deframes its single
/// message, then runs the handler in a task. Early failures answer Trailers-Only at once.
final class GRPCRequestHandler: RequestHandler {
    private enum State {
        /// The request's one message, once deframed; a second one is refused.
        case receiving(GRPCMessageDeframer, message: ByteBuffer?)
        case running
        case done
    }

    private let method: AnyMethodHandler
    private let context: RPCContext
    private let encoding: MessageEncoding
    private let call: GRPCCall
    private let writer: ResponseWriter
    private let registry: CallRegistry
    private var state: State

    private init(
        method: AnyMethodHandler, context: RPCContext, encoding: MessageEncoding, call: GRPCCall,
        writer: ResponseWriter, registry: CallRegistry, maxMessageSize: Int
    ) {
        self.method = method
        self.context = context
        self.encoding = encoding
        self.call = call
        self.writer = writer
        self.registry = registry
        self.state = .receiving(GRPCMessageDeframer(maxMessageSize: maxMessageSize), message: nil)
    }

    /// Validates the request head; returns a handler that already answered when it is not
    /// a call we can run (including one that needs credentials and has none: refused before
    /// its message is read).
    static func make(
        head: RequestHead, isJSON: Bool, writer: ResponseWriter, router: RPCRouter,
        registry: CallRegistry, maxMessageSize: Int, credentials: RPCServer.Credentials, metrics: RPCMetrics,
        logger: Logger
    ) -> any RequestHandler {
        let encoding: MessageEncoding = isJSON ? .grpcFramedJSON : .grpcFramedProtobuf
        let found = router.handler(forPath: head.path)
        let requestID = RequestID.accept(from: head.headers)
        let record = CallRecord(
            instruments: found?.instruments ?? metrics.unknown, transport: .grpc, requestID: requestID)
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
        if let requestEncoding = head.headers["grpc-encoding"], requestEncoding != "identity" {
            // compression.md: say what we do accept. (Only identity so far.)
            return reject(.unimplemented, "grpc-encoding \(ClientText.quoted(requestEncoding)) is not supported; use identity")
        }
        var deadline: ContinuousClock.Instant?
        if let timeout = head.headers["grpc-timeout"] {
            guard let duration = GRPCTimeout.parse(timeout) else {
                return reject(.internal, "malformed grpc-timeout: \(ClientText.quoted(timeout))")
            }
            deadline = .now + duration
        }
        let context = RPCContext(
            method: method.descriptor, metadata: RPCMetadata(requestHeaders: head.headers), deadline: deadline,
            wireProtocol: .grpc, logger: logger, requestID: requestID, connectionID: head.connectionID)
        return GRPCRequestHandler(
            method: method, context: context, encoding: encoding, call: call, writer: writer, registry: registry,
            maxMessageSize: method.policy.maxRequestSize.map { min($0, maxMessageSize) } ?? maxMessageSize)
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

    private func run(_ message: ByteBuffer) {
        let call = self.call
        let context = self.context
        let encoding = self.encoding
        let request: EncodedRequest
        switch encoding {
        case .protobuf, .grpcFramedProtobuf:
            request = .protobuf(message)
        case .json, .jsonEmittingUnpopulatedFields, .grpcFramedJSON:
            do {
                request = .json(try JSONValue.parse(message))
            } catch {
                call.finish(status: .invalidArgument, message: "invalid JSON: \(error)")
                return
            }
        }
        if let deadline = context.deadline, deadline <= .now {
            call.finish(status: .deadlineExceeded, message: "deadline exceeded before the call started")
            return
        }
        let kind = self.method.kind
        let registry = self.registry
        let writer = self.writer
        registry.enter(writer)
        let task = Task {
            defer { registry.leave(writer) }
            do {
                switch kind {
                case .unary(let handle):
                    call.finish(message: try await handle(request, encoding, context))
                case .serverStreaming(let handle):
                    try await handle(request, encoding, context) { try call.send(message: $0) }
                    call.finish(status: .ok, message: nil)
                }
            } catch {
                let status = Task.isCancelled && call.isFinished ? nil : context.status(for: error)
                if let status { call.finish(status: status.code, message: status.message, retryAfter: status.retryAfterSeconds) }
            }
        }
        call.attach(task)
        if let deadline = context.deadline {
            Self.enforce(deadline, on: call)
        }
    }

    /// Ends the call with DEADLINE_EXCEEDED when the deadline passes first, cancelling the
    /// handler. The timer is cancelled as soon as the call finishes otherwise.
    private static func enforce(_ deadline: ContinuousClock.Instant, on call: GRPCCall) {
        call.attachTimer(
            Task {
                do {
                    try await Task.sleep(until: deadline)
                } catch {
                    return
                }
                call.finish(status: .deadlineExceeded, message: "deadline exceeded")
            })
    }
}

/// Swallows the rest of a request that has already been answered.
final class DiscardingRequestHandler: RequestHandler {
    func receiveBody(_ buffer: ByteBuffer) {}
    func receiveEnd() {}
    func cancel() {}
}
