import Logging
import NIOCore
import ProtoWire
import Transport

/// One Connect unary call (POST, or GET for a method without side effects): the body is the
/// bare message, buffered up to the method's limit before and after decompression, then the
/// method's handler runs in a task and its message is the whole response body.
final class ConnectUnaryRequestHandler: RequestHandler {
    private typealias Handle = @Sendable (EncodedRequest, MessageEncoding, RPCContext) async throws -> ByteBuffer

    private let handle: Handle
    private let request: ConnectRequestHead
    private let context: RPCContext
    private let call: ConnectUnaryCall
    private let writer: ResponseWriter
    private let registry: CallRegistry
    private var body: BoundedBody
    private var receiving = true

    private init(
        handle: @escaping Handle, request: ConnectRequestHead, context: RPCContext, maxMessageSize: Int,
        call: ConnectUnaryCall, writer: ResponseWriter, registry: CallRegistry
    ) {
        self.handle = handle
        self.request = request
        self.context = context
        self.body = BoundedBody(limit: maxMessageSize)
        self.call = call
        self.writer = writer
        self.registry = registry
    }

    /// Checks everything the head tells (method, codec, credentials, size, deadline) and
    /// answers at once when the call cannot succeed, before any of its body is read.
    /// `codec` is the POST's content type; a GET names its codec in the query.
    static func make(
        head: RequestHead, codec: ConnectRequestHead.Codec?, method: AnyMethodHandler?, writer: ResponseWriter,
        registry: CallRegistry, limits: RPCServer.Limits, credentials: RPCServer.Credentials, metrics: RPCMetrics,
        logger: Logger
    ) -> any RequestHandler {
        let requestID = RequestID.accept(from: head.headers)
        let record = CallRecord(instruments: method?.instruments ?? metrics.unknown, transport: .connect, requestID: requestID)
        let call = ConnectUnaryCall(writer: writer, record: record)
        do throws(ConnectRefusal) {
            guard let method else {
                throw ConnectRefusal(.unimplemented, "no method \(ClientText.quoted(head.path))", status: 404)
            }
            let handle: Handle
            switch method.kind {
            case .unary(let unary):
                handle = unary
            case .serverStreaming:
                throw ConnectRefusal(
                    .unimplemented,
                    "\(method.descriptor) streams its responses: call it with application/connect+proto or application/connect+json",
                    status: 415)
            case .bidirectionalStreaming:
                throw ConnectRefusal(.unimplemented, "\(method.descriptor) streams both ways: call it over gRPC (HTTP/2)", status: 415)
            }
            let isGET = head.method == "GET"
            if isGET, method.idempotency != .noSideEffects {
                throw ConnectRefusal(
                    .unimplemented, "\(method.descriptor) has side effects: call it with POST", status: 405,
                    headers: ["allow": "POST"])
            }
            if method.policy.requiresCredentials, !credentials.arePresent(head.headers) {
                throw ConnectRefusal(RPCError(.unauthenticated, credentials.missingMessage))
            }
            if method.idempotency != .noSideEffects, let error = credentials.refuseWrite(head) {
                throw ConnectRefusal(error)
            }
            let request = isGET ? try ConnectRequestHead.get(head) : try ConnectRequestHead.post(head, codec: codec ?? .proto)
            let maxMessageSize = method.policy.maxRequestSize.map { min($0, limits.maxMessageSize) } ?? limits.maxMessageSize
            if let declared = head.headers["content-length"].flatMap(Int.init), declared > maxMessageSize {
                throw ConnectRefusal(Self.tooLarge(maxMessageSize))
            }
            let context = RPCContext(
                method: method.descriptor, metadata: RPCMetadata(requestHeaders: head.headers),
                deadline: request.timeout.map { .now + $0 }, wireProtocol: .connect, logger: logger,
                requestID: requestID, connectionID: head.connectionID)
            return ConnectUnaryRequestHandler(
                handle: handle, request: request, context: context, maxMessageSize: maxMessageSize, call: call,
                writer: writer, registry: registry)
        } catch {
            call.fail(error)
            return DiscardingRequestHandler()
        }
    }

    private static func tooLarge(_ limit: Int) -> RPCError {
        RPCError(.resourceExhausted, "request message is larger than \(limit) bytes")
    }

    func receiveBody(_ buffer: ByteBuffer) {
        guard self.receiving else { return }
        if self.request.queryMessage != nil, buffer.readableBytes > 0 {
            self.receiving = false
            self.call.fail(ConnectRefusal(.invalidArgument, "a Connect GET carries its message in the query, not a body", status: 415))
            return
        }
        if !self.body.append(buffer) {
            self.receiving = false
            self.call.fail(Self.tooLarge(self.body.limit))
        }
    }

    func receiveEnd() {
        guard self.receiving else { return }
        self.receiving = false
        let encoded: EncodedRequest
        do {
            encoded = try self.decodedRequest()
        } catch {
            self.call.fail(error)
            return
        }
        if let deadline = self.context.deadline, deadline <= .now {
            self.call.fail(RPCError(.deadlineExceeded, "deadline exceeded before the call started"))
            return
        }
        let (handle, context, call) = (self.handle, self.context, self.call)
        let responseHead = ResponseHead(status: 200, headers: ["content-type": self.request.codec.contentType])
        let encoding = self.request.codec.encoding
        call.attach(
            task: self.registry.start(for: self.writer) {
                do {
                    let response = try await handle(encoded, encoding, context)
                    call.succeed([.head(responseHead), .body(response), .end(trailers: nil)])
                } catch {
                    call.fail(context.status(for: error))
                }
            })
        if let deadline = context.deadline { call.enforce(deadline) }
    }

    func cancel() {
        self.receiving = false
        self.call.cancel()
    }

    /// The message as the codec reads it, inflated first when it came gzipped. An empty body
    /// is the empty message in either codec (and is never inflated).
    private func decodedRequest() throws(RPCError) -> EncodedRequest {
        var message = self.request.queryMessage ?? self.body.bytes ?? ByteBuffer()
        if self.request.isGzipped, message.readableBytes > 0 {
            do throws(DecompressionError) {
                message = try Gzip.decompress(message, limit: self.body.limit)
            } catch {
                switch error {
                case .tooLarge: throw Self.tooLarge(self.body.limit)
                case .malformed(let reason): throw RPCError(.invalidArgument, "could not decompress the gzip request: \(reason)")
                }
            }
        }
        switch self.request.codec {
        case .proto:
            return .protobuf(message)
        case .json:
            guard message.readableBytes > 0 else { return .json(.object([])) }
            do {
                return .json(try JSONValue.parse(message))
            } catch {
                throw RPCError(.invalidArgument, "invalid JSON: \(error)")
            }
        }
    }
}
