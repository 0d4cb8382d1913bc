public import Logging
import NIOCore
public import Transport

/// The transport's responder: picks the protocol of each request by content type and path
/// (the connect-go way) and hands it to the handler registered for it. gRPC and REST share
/// one `RPCRouter`, so the two cannot drift apart.
public final class RPCServer: HTTPResponder {
    public struct Limits: Sendable {
        /// gRPC's default receive limit (grpc-go, grpc-swift): 4 MiB.
        public var maxMessageSize = 4 << 20
        public var maxRESTBodySize = 4 << 20
        public init() {}
    }

    public let router: RPCRouter
    public let rest: RESTRouter
    public let calls = CallRegistry()
    private let limits: Limits
    private let logger: Logger

    public init(router: RPCRouter, rest: RESTRouter, limits: Limits = Limits(), logger: Logger) {
        self.router = router
        self.rest = rest
        self.limits = limits
        self.logger = logger
    }

    public func makeRequestHandler(head: RequestHead, writer: ResponseWriter) -> any RequestHandler {
        let contentType = head.headers["content-type"] ?? ""
        // gRPC-Web's types also start with "application/grpc": test them first.
        if !contentType.hasPrefix("application/grpc-web"), Self.isGRPC(contentType) {
            return GRPCRequestHandler.make(
                head: head, contentType: contentType, writer: writer, router: self.router, registry: self.calls,
                maxMessageSize: self.limits.maxMessageSize)
        }
        let path = head.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if head.method == "POST", Self.looksLikeRPCPath(path) {
            // A `/package.Service/Method` POST in a content type no protocol here accepts.
            let error = RPCError(.invalidArgument, "content-type \"\(contentType)\" is not supported; use application/grpc")
            let grpcStatus: HTTPFields = [
                "grpc-status": String(error.code.rawValue), "grpc-message": GRPCStatusMessage.percentEncode(error.message),
            ]
            writer.write(RESTErrorBody.parts(for: error, status: 415, extraHeaders: grpcStatus))
            return DiscardingRequestHandler()
        }
        switch self.rest.match(method: head.method, path: path) {
        case .found(let route, let variables):
            return RESTRequestHandler(
                head: head, route: route, variables: variables, writer: writer, router: self.router,
                registry: self.calls, maxBodySize: self.limits.maxRESTBodySize)
        case .methodNotAllowed(let allowed):
            let error = RPCError(.unimplemented, "\(head.method) is not allowed on \(path)")
            writer.write(RESTErrorBody.parts(for: error, status: 405, extraHeaders: ["allow": allowed.joined(separator: ", ")]))
        case .notFound:
            writer.write(RESTErrorBody.parts(for: RPCError(.notFound, "no route for \(head.method) \(path)")))
        }
        return DiscardingRequestHandler()
    }

    /// `application/grpc`, `application/grpc+proto`, `application/grpc+json`, `application/grpc;…`.
    static func isGRPC(_ contentType: String) -> Bool {
        guard contentType.hasPrefix("application/grpc") else { return false }
        let rest = contentType.dropFirst("application/grpc".count)
        return rest.isEmpty || rest.first == "+" || rest.first == ";"
    }

    /// `/package.Service/Method`: two segments, the first with a dot.
    static func looksLikeRPCPath(_ path: Substring) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return segments.count == 3 && segments[0].isEmpty && segments[1].contains(".") && !segments[2].isEmpty
    }
}
