import NIOCore
import Transport

/// Receives a gRPC request whose messages stream in (bidirectional methods), on the event
/// loop. Each message goes to the running handler as soon as it is whole, so a client that
/// waits for an answer before sending its next request (grpcurl's reflection client) is
/// served; the end of the request ends the handler's sequence.
///
/// The handler starts with the first message (or at the end of a request without one). What a
/// client can make it hold is bounded: each message by the method's size limit (checked from
/// its 5-byte prefix), and the messages waiting for the handler by `maxWaitingMessages`; one
/// more is RESOURCE_EXHAUSTED. (The connection's request body credit bounds the bytes of every
/// request in progress on top of that.)
final class GRPCStreamingRequestHandler: RequestHandler {
    typealias Handle = @Sendable (RequestMessages, MessageEncoding, RPCContext, @escaping AnyMethodHandler.Emit) async throws
        -> Void

    /// Messages received and not yet taken by the handler, at most.
    static let maxWaitingMessages = 16

    private enum State {
        case receiving(GRPCMessageDeframer, started: Bool)
        case done
    }

    private let handle: Handle
    private let context: RPCContext
    private let encoding: MessageEncoding
    private let call: GRPCCall
    private let writer: ResponseWriter
    private let registry: CallRegistry
    private let messages: RequestMessages
    private let source: RequestMessages.Continuation
    private var state: State

    init(
        handle: @escaping Handle, context: RPCContext, encoding: MessageEncoding, call: GRPCCall, writer: ResponseWriter,
        registry: CallRegistry, maxMessageSize: Int, isGzipped: Bool
    ) {
        self.handle = handle
        self.context = context
        self.encoding = encoding
        self.call = call
        self.writer = writer
        self.registry = registry
        (self.messages, self.source) = RequestMessages.makeStream(bufferingPolicy: .bufferingOldest(Self.maxWaitingMessages))
        self.state = .receiving(GRPCMessageDeframer(maxMessageSize: maxMessageSize, isGzipped: isGzipped), started: false)
    }

    func receiveBody(_ buffer: ByteBuffer) {
        guard case .receiving(var deframer, var started) = self.state else { return }
        self.state = .done  // avoid a copy of the buffered bytes while mutating
        deframer.append(buffer)
        do throws(RPCError) {
            while let message = try deframer.next() {
                let request = try GRPCRequestHandler.request(from: message, encoding: self.encoding)
                if case .dropped = self.source.yield(request) {
                    throw RPCError(
                        .resourceExhausted,
                        "more than \(Self.maxWaitingMessages) request messages are waiting for \(self.context.method)")
                }
                if !started {
                    started = true
                    self.start()
                }
            }
        } catch {
            self.fail(error)
            return
        }
        self.state = .receiving(deframer, started: started)
    }

    func receiveEnd() {
        guard case .receiving(let deframer, let started) = self.state else { return }
        self.state = .done
        if deframer.hasPartialMessage {
            self.fail(RPCError(.internal, "the request ended in the middle of a message"))
            return
        }
        self.source.finish()
        if !started { self.start() }
    }

    func cancel() {
        self.state = .done
        self.source.finish(throwing: CancellationError())
        self.call.cancel()
    }

    /// Answers with the client's error and ends the handler's sequence with it.
    private func fail(_ error: RPCError) {
        self.state = .done
        self.call.finish(status: error.code, message: error.message)
        self.source.finish(throwing: error)
    }

    private func start() {
        let call = self.call
        let context = self.context
        let encoding = self.encoding
        let handle = self.handle
        let messages = self.messages
        let registry = self.registry
        let writer = self.writer
        registry.enter(writer)
        let task = Task(executorPreference: EventLoopTaskExecutor.current) {
            defer { registry.leave(writer) }
            do {
                try await handle(messages, encoding, context) { try call.send(message: $0) }
                call.finish(status: .ok, message: nil)
            } catch {
                call.finish(failure: error, context: context)
            }
        }
        call.attach(task, deadline: context.deadline)
    }
}

@available(*, unavailable)
extension GRPCStreamingRequestHandler: Sendable {}
