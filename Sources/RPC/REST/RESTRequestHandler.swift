import Logging
import NIOCore
import ProtoWire
import Transport

/// Receives one REST request: buffers its body (bounded), then runs the route's target in
/// a task and answers with JSON. RPC routes go through the very handler gRPC calls use.
final class RESTRequestHandler: RequestHandler {
    private let head: RequestHead
    private let route: RESTRoute
    private let variables: [(name: String, value: String)]
    private let writer: ResponseWriter
    private let router: RPCRouter
    private let registry: CallRegistry
    private let eventStreamHeartbeat: Duration
    private let logger: Logger
    /// Every answer goes out through `record.respond`: stamped with the request id, counted.
    private let record: CallRecord
    private var body: BoundedBody
    private var task: Task<Void, Never>?
    private var finished = false

    private init(
        head: RequestHead, route: RESTRoute, variables: [(name: String, value: String)], writer: ResponseWriter,
        router: RPCRouter, registry: CallRegistry, maxBodySize: Int, eventStreamHeartbeat: Duration, record: CallRecord,
        logger: Logger
    ) {
        self.logger = logger
        self.eventStreamHeartbeat = eventStreamHeartbeat
        self.head = head
        self.route = route
        self.variables = variables
        self.writer = writer
        self.router = router
        self.registry = registry
        self.body = BoundedBody(limit: maxBodySize)
        self.record = record
    }

    /// Checks what the head alone can tell (credentials, the route's gate, a declared
    /// `content-length` over the limit) and answers at once when the request cannot succeed,
    /// so its body is never buffered.
    static func make(
        head: RequestHead, route: RESTRoute, variables: [(name: String, value: String)], writer: ResponseWriter,
        router: RPCRouter, registry: CallRegistry, limits: RPCServer.Limits, credentials: RPCServer.Credentials,
        metrics: RPCMetrics, logger: Logger
    ) -> any RequestHandler {
        let instruments: MethodInstruments
        let maxBodySize: Int
        var refusal: (parts: [ResponsePart], code: RPCError.Code)?
        switch route.target {
        case .rpc(let descriptor, _):
            let method = router.handler(for: descriptor)
            instruments = method?.instruments ?? metrics.unknown
            maxBodySize = method?.policy.maxRequestSize ?? limits.maxRESTBodySize
            if method?.policy.requiresCredentials ?? true, !credentials.arePresent(head.headers) {
                let error = RPCError(.unauthenticated, credentials.missingMessage)
                refusal = (RESTErrorBody.parts(for: error), error.code)
            } else if head.method != "GET", head.method != "HEAD", let error = credentials.refuseWrite(head) {
                refusal = (RESTErrorBody.parts(for: error), error.code)
            }
        case .endpoint:
            instruments = metrics.instruments(for: "\(route.method) \(route.pattern)")
            maxBodySize = route.maxBodySize ?? limits.maxRESTBodySize
            if let response = route.gate?(head) {
                refusal = (RESTResponder.parts(for: response), RPCError.Code(httpStatus: response.status))
            }
        }
        let record = CallRecord(instruments: instruments, transport: .rest, requestID: RequestID.accept(from: head.headers))
        if refusal == nil, let declared = head.headers["content-length"].flatMap(Int.init), declared > maxBodySize {
            refusal = (RESTErrorBody.parts(for: Self.tooLarge(maxBodySize), status: 413), .resourceExhausted)
        }
        if let refusal {
            record.respond(refusal.parts, code: refusal.code, through: writer)
            return DiscardingRequestHandler()
        }
        return RESTRequestHandler(
            head: head, route: route, variables: variables, writer: writer, router: router, registry: registry,
            maxBodySize: maxBodySize, eventStreamHeartbeat: limits.eventStreamHeartbeat, record: record, logger: logger)
    }

    private static func tooLarge(_ limit: Int) -> RPCError {
        RPCError(.resourceExhausted, "request body is larger than \(limit) bytes")
    }

    func receiveBody(_ buffer: ByteBuffer) {
        guard !self.finished else { return }
        if !self.body.append(buffer) {
            self.finished = true
            let error = Self.tooLarge(self.body.limit)
            self.record.respond(RESTErrorBody.parts(for: error, status: 413), code: error.code, through: self.writer)
        }
    }

    func receiveEnd() {
        guard !self.finished else { return }
        self.finished = true
        let body = self.body.bytes ?? ByteBuffer()
        let writer = self.writer
        let record = self.record
        switch self.route.target {
        case .endpoint(let endpoint):
            let request = RESTRequest(
                head: self.head, pathVariables: Dictionary(self.variables, uniquingKeysWith: { $1 }), body: body,
                requestID: record.requestID)
            self.task = self.registry.start(for: writer) {
                let response = await endpoint(request)
                record.respond(
                    RESTResponder.parts(for: response), code: RPCError.Code(httpStatus: response.status), through: writer)
            }
        case .rpc(let descriptor, let bodyRule):
            guard let method = self.router.handler(for: descriptor) else {
                let error = RPCError(.unimplemented, "\(descriptor) is not served over REST")
                record.respond(RESTErrorBody.parts(for: error), code: error.code, through: writer)
                return
            }
            let request: EncodedRequest
            do {
                request = try RESTRequestMessage.assemble(
                    body: body, as: bodyRule, path: self.head.path, variables: self.variables)
            } catch {
                record.respond(RESTErrorBody.parts(for: error), code: error.code, through: writer)
                return
            }
            let context = RPCContext(
                method: descriptor, metadata: RPCMetadata(requestHeaders: self.head.headers), deadline: nil,
                wireProtocol: .rest, logger: self.logger, requestID: record.requestID,
                connectionID: self.head.connectionID)
            let handle: @Sendable (EncodedRequest, MessageEncoding, RPCContext) async throws -> ByteBuffer
            switch method.kind {
            case .unary(let unary):
                handle = unary
            case .serverStreaming(let streaming):
                self.task = RESTEventStream.start(
                    streaming, request: request, context: context, writer: writer, record: record,
                    registry: self.registry, heartbeat: self.eventStreamHeartbeat)
                return
            case .bidirectionalStreaming:
                let error = RPCError(.unimplemented, "\(descriptor) streams both ways: call it over gRPC (HTTP/2)")
                record.respond(RESTErrorBody.parts(for: error), code: error.code, through: writer)
                return
            }
            self.task = self.registry.start(for: writer) {
                do {
                    let response = try await handle(request, .jsonEmittingUnpopulatedFields, context)
                    let parts: [ResponsePart] = [
                        .head(ResponseHead(status: 200, headers: ["content-type": "application/json"])),
                        .body(response), .end(trailers: nil),
                    ]
                    record.respond(parts, code: .ok, through: writer)
                } catch {
                    let status = context.status(for: error)
                    record.respond(RESTErrorBody.parts(for: status), code: status.code, through: writer)
                }
            }
        }
    }

    func cancel() {
        // Once the request was complete, its task answers (and counts) even when cancelled.
        if !self.finished { self.record.finished(.cancelled) }
        self.finished = true
        self.task?.cancel()
    }
}

enum RESTResponder {
    static func parts(for response: RESTResponse) -> [ResponsePart] {
        [.head(ResponseHead(status: response.status, headers: response.headers)), .body(response.body), .end(trailers: nil)]
    }
}

/// The contract's REST error: `{"code": <grpc code>, "message": "...", "details": []}` with
/// the HTTP status of the Google API mapping.
enum RESTErrorBody {
    /// `status` overrides the mapped HTTP status where HTTP has a more exact one (405, 415).
    static func parts(for error: RPCError, status: Int? = nil, extraHeaders: HTTPFields = HTTPFields())
        -> [ResponsePart]
    {
        var headers = Self.headers(for: error)
        headers.append(contentsOf: extraHeaders)
        return [
            .head(ResponseHead(status: status ?? error.code.httpStatus, headers: headers)),
            .body(ByteBuffer(bytes: Self.json(for: error))), .end(trailers: nil),
        ]
    }

    /// JSON, and `Retry-After` when the error says when to come back.
    static func headers(for error: RPCError) -> HTTPFields {
        var headers: HTTPFields = ["content-type": "application/json"]
        if let seconds = error.retryAfterSeconds { headers.append("retry-after", String(seconds)) }
        return headers
    }

    static func json(for error: RPCError) -> [UInt8] {
        JSONValue.object([
            JSONMember(key: "code", value: .number(String(error.code.rawValue))),
            JSONMember(key: "message", value: .string(error.message)),
            JSONMember(key: "details", value: .array([])),
        ]).serializedUTF8Bytes()
    }
}

