public import Logging
import NIOCore
public import Transport

/// The transport's responder: picks the protocol of each request by content type and path
/// (the connect-go way) and hands it to the handler registered for it. gRPC, Connect and REST
/// share one `RPCRouter`, so they cannot drift apart. Cross-origin requests from the origins
/// of `CORSPolicy` get its headers whatever their protocol.
public final class RPCServer: HTTPResponder {
    public struct Limits: Sendable {
        /// gRPC's default receive limit (grpc-go, grpc-swift): 4 MiB. Methods may set less
        /// (`MethodPolicy.maxRequestSize`).
        public var maxMessageSize = 4 << 20
        public var maxRESTBodySize = 4 << 20
        /// How often a quiet server-sent event stream (a server-streaming method over REST) gets
        /// a comment line, so that proxies do not take it for a dead connection.
        public var eventStreamHeartbeat: Duration = .seconds(15)
        public init() {}
    }

    /// How a request head shows credentials, for refusing requests without any before their
    /// body is read (`MethodPolicy.requiresCredentials`). Whether they are valid is the
    /// handler's business.
    public struct Credentials: Sendable {
        public let arePresent: @Sendable (HTTPFields) -> Bool
        /// The UNAUTHENTICATED message of a request without them.
        public let missingMessage: String
        /// Asked of every REST request that is not GET or HEAD, before its body is read: an
        /// error refuses it (a write a browser could have been made to send by another site).
        public let refuseWrite: @Sendable (RequestHead) -> RPCError?

        public init(
            missingMessage: String, refuseWrite: @escaping @Sendable (RequestHead) -> RPCError? = { _ in nil },
            arePresent: @escaping @Sendable (HTTPFields) -> Bool
        ) {
            self.arePresent = arePresent
            self.missingMessage = missingMessage
            self.refuseWrite = refuseWrite
        }

        /// Any `authorization` or `cookie` header.
        public static let authorizationOrCookie = Credentials(missingMessage: "credentials are required") {
            $0["authorization"] != nil || $0["cookie"] != nil
        }
    }

    public let router: RPCRouter
    public let rest: RESTRouter
    public let calls: CallRegistry
    public let metrics: RPCMetrics
    private let limits: Limits
    private let credentials: Credentials
    private let cors: CORSPolicy
    private let logger: Logger

    /// `metrics` defaults to instruments from the bootstrapped `MetricsSystem`.
    public init(
        router: RPCRouter, rest: RESTRouter, limits: Limits = Limits(),
        credentials: Credentials = .authorizationOrCookie, cors: CORSPolicy = .none,
        calls: CallRegistry = CallRegistry(), metrics: RPCMetrics? = nil, logger: Logger
    ) {
        self.calls = calls
        let metrics = metrics ?? RPCMetrics(logger: logger)
        var router = router
        router.instrument(with: metrics)
        self.router = router
        self.rest = rest
        self.limits = limits
        self.credentials = credentials
        self.cors = cors
        self.metrics = metrics
        self.logger = logger
    }

    public func makeRequestHandler(head: RequestHead, writer: ResponseWriter) -> any RequestHandler {
        var writer = writer
        if !self.cors.isEmpty, let origin = head.headers["origin"], self.cors.allows(origin: origin) {
            if head.method == "OPTIONS", head.headers["access-control-request-method"] != nil {
                return self.answerPreflight(head, origin: origin, writer)
            }
            writer = writer.adding(self.cors.responseHeaders(origin: origin))
        }
        let contentType = head.headers.firstValueUTF8("content-type") ?? []
        if let isJSON = Self.grpcCodec(contentType) {
            guard head.version == .http2 else {
                return self.refuseGRPCOverHTTP1(head, writer)
            }
            return GRPCRequestHandler.make(
                head: head, isJSON: isJSON, writer: writer, router: self.router, registry: self.calls,
                maxMessageSize: self.limits.maxMessageSize, credentials: self.credentials, metrics: self.metrics,
                logger: self.logger)
        }
        let path = head.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if head.method == "POST", Self.looksLikeRPCPath(path) {
            let contentType = String(decoding: contentType, as: UTF8.self)
            if let framed = FramedContentType(contentType) {
                return self.framedRequestHandler(head, framed, writer)
            }
            if let codec = ConnectRequestHead.codec(contentType: contentType) {
                return ConnectUnaryRequestHandler.make(
                    head: head, codec: codec, method: self.router.handler(forPath: String(path)), writer: writer,
                    registry: self.calls, limits: self.limits, credentials: self.credentials, metrics: self.metrics,
                    logger: self.logger)
            }
            // A `/package.Service/Method` POST in a content type no protocol here accepts.
            let error = RPCError(
                .invalidArgument,
                "content-type \"\(ClientText.quoted(contentType))\" is not supported; use \(Self.supportedContentTypes)")
            self.answerUnrouted(head, RESTErrorBody.parts(for: error, status: 415, extraHeaders: Self.grpcStatus(error)), error.code, writer)
            return DiscardingRequestHandler()
        }
        if head.method == "GET", Self.looksLikeRPCPath(path), let method = self.router.handler(forPath: String(path)) {
            return ConnectUnaryRequestHandler.make(
                head: head, codec: nil, method: method, writer: writer, registry: self.calls, limits: self.limits,
                credentials: self.credentials, metrics: self.metrics, logger: self.logger)
        }
        switch self.rest.match(method: head.method, path: path) {
        case .found(let route, let variables):
            return RESTRequestHandler.make(
                head: head, route: route, variables: variables, writer: writer, router: self.router,
                registry: self.calls, limits: self.limits, credentials: self.credentials, metrics: self.metrics,
                logger: self.logger)
        case .methodNotAllowed(let allowed):
            let error = RPCError(.unimplemented, "\(ClientText.quoted(head.method)) is not allowed on \(ClientText.quoted(path))")
            let parts = RESTErrorBody.parts(for: error, status: 405, extraHeaders: ["allow": allowed.joined(separator: ", ")])
            self.answerUnrouted(head, parts, error.code, writer)
        case .notFound:
            let error = RPCError(.notFound, "no route for \(ClientText.quoted(head.method)) \(ClientText.quoted(path))")
            self.answerUnrouted(head, RESTErrorBody.parts(for: error), error.code, writer)
        }
        return DiscardingRequestHandler()
    }

    static let supportedContentTypes =
        "application/grpc, application/grpc-web, application/grpc-web-text, application/proto, application/json or application/connect+proto"

    /// gRPC-Web and Connect streaming, over HTTP/1.1 or HTTP/2: the gRPC request handler, its
    /// answer rewritten by the protocol's sink.
    private func framedRequestHandler(
        _ head: RequestHead, _ framed: FramedContentType, _ writer: ResponseWriter
    ) -> any RequestHandler {
        let sink: any ResponseSink =
            framed.dialect == .connect
            ? ConnectStreamResponseSink(inner: writer, contentType: framed.mediaType)
            : GRPCWebResponseSink(inner: writer, contentType: framed.mediaType, isText: framed.isText)
        let handler = GRPCRequestHandler.make(
            head: head, dialect: framed.dialect, isJSON: framed.isJSON, writer: ResponseWriter(sink: sink, streamID: 0),
            router: self.router, registry: self.calls, maxMessageSize: self.limits.maxMessageSize,
            credentials: self.credentials, metrics: self.metrics, logger: self.logger)
        return framed.isText ? GRPCWebTextRequestDecoder(inner: handler) : handler
    }

    /// A CORS preflight from an allowed origin: which methods the path takes, which headers a
    /// page may send. A path that takes nothing is 404, without CORS headers.
    private func answerPreflight(_ head: RequestHead, origin: String, _ writer: ResponseWriter) -> any RequestHandler {
        let path = head.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let methods: [String]
        if Self.looksLikeRPCPath(path) {
            methods = self.router.handler(forPath: String(path)) == nil ? [] : ["POST", "GET"]
        } else {
            switch self.rest.match(method: head.headers["access-control-request-method"] ?? "", path: path) {
            case .found(let route, _): methods = [route.method]
            case .methodNotAllowed(let allowed): methods = allowed
            case .notFound: methods = []
            }
        }
        guard !methods.isEmpty else {
            let error = RPCError(.notFound, "no route for \(ClientText.quoted(path))")
            self.answerUnrouted(head, RESTErrorBody.parts(for: error), error.code, writer)
            return DiscardingRequestHandler()
        }
        let headers = self.cors.preflightHeaders(origin: origin, methods: methods)
        let record = CallRecord(
            instruments: self.metrics.instruments(for: "OPTIONS (CORS preflight)"), transport: .rest,
            requestID: RequestID.accept(from: head.headers))
        record.respond([.head(ResponseHead(status: 204, headers: headers)), .end(trailers: nil)], code: .ok, through: writer)
        return DiscardingRequestHandler()
    }

    /// gRPC needs HTTP/2 (its status travels in trailers, which HTTP/1.1 clients do not read).
    /// 505 says so to HTTP, and the status in the headers says so to a gRPC client that reads
    /// them as Trailers-Only.
    private func refuseGRPCOverHTTP1(_ head: RequestHead, _ writer: ResponseWriter) -> any RequestHandler {
        let error = RPCError(.unimplemented, "gRPC requires HTTP/2 (prior knowledge on this port); this request came over HTTP/1.1")
        self.answerUnrouted(head, RESTErrorBody.parts(for: error, status: 505, extraHeaders: Self.grpcStatus(error)), error.code, writer)
        return DiscardingRequestHandler()
    }

    private static func grpcStatus(_ error: RPCError) -> HTTPFields {
        ["grpc-status": String(error.code.rawValue), "grpc-message": GRPCStatusMessage.percentEncode(error.message)]
    }

    /// An answer to a request that reached no method or route: it still carries its request
    /// id and is counted, under the one `unknown` method.
    private func answerUnrouted(_ head: RequestHead, _ parts: [ResponsePart], _ code: RPCError.Code, _ writer: ResponseWriter) {
        let record = CallRecord(
            instruments: self.metrics.unknown, transport: .rest, requestID: RequestID.accept(from: head.headers))
        record.respond(parts, code: code, through: writer)
    }

    private static let grpcPrefix = Array("application/grpc".utf8)
    private static let jsonSuffix = Array("+json".utf8)

    /// Nil unless the content type is gRPC's: `application/grpc`, `…+proto`, `…+json` (true),
    /// `…;params`. gRPC-Web's `application/grpc-web…` also starts with `application/grpc` and
    /// is not gRPC. Read from the header's bytes: this runs on every request.
    static func grpcCodec(_ contentType: ArraySlice<UInt8>) -> Bool? {
        guard contentType.starts(with: Self.grpcPrefix) else { return nil }
        let rest = contentType.dropFirst(Self.grpcPrefix.count)
        guard let next = rest.first else { return false }
        switch next {
        case UInt8(ascii: "+"): return rest.starts(with: Self.jsonSuffix)
        case UInt8(ascii: ";"): return false
        default: return nil
        }
    }

    /// `/package.Service/Method`: two segments, the first with a dot.
    static func looksLikeRPCPath(_ path: Substring) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return segments.count == 3 && segments[0].isEmpty && segments[1].contains(".") && !segments[2].isEmpty
    }
}
