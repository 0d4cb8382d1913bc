public import NIOCore
public import Transport

/// A request to a route that is not an RPC (health, webhooks): the raw body is kept,
/// because webhook signatures are computed over the exact bytes.
public struct RESTRequest: Sendable {
    public let head: RequestHead
    public let pathVariables: [String: String]
    public let body: ByteBuffer
    /// The `x-request-id` the response will carry: for the endpoint's logs.
    public var requestID: String = ""
}

public struct RESTResponse: Sendable {
    public var status: Int
    public var headers: HTTPFields
    public var body: ByteBuffer

    public init(status: Int, headers: HTTPFields = HTTPFields(), body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response; `json` must already be serialised.
    public static func json(_ status: Int, _ json: String) -> RESTResponse {
        RESTResponse(status: status, headers: ["content-type": "application/json"], body: ByteBuffer(string: json))
    }
}

/// One row of the REST route table: an HTTP method and path template, mapped either onto
/// an RPC (the very handler gRPC uses) or onto a plain HTTP endpoint.
public struct RESTRoute: Sendable {
    public enum Target: Sendable {
        /// An RPC: the request message is built from the body as `body` says, then the path
        /// variables, then (for what the body leaves out) the query parameters.
        case rpc(MethodDescriptor, body: RPCBody)
        case endpoint(@Sendable (RESTRequest) async -> RESTResponse)
    }

    /// Looks at an endpoint's request head before its body is read, and answers at once when
    /// the request cannot succeed (a webhook without its signature header, a route that needs
    /// a session token and has none). Nil lets the request through.
    public typealias Gate = @Sendable (RequestHead) -> RESTResponse?

    public let method: String
    public let pattern: PathPattern
    public let target: Target
    /// Endpoints: the largest body accepted (nil: the server's REST limit). RPC routes use
    /// their method's `MethodPolicy`.
    public let maxBodySize: Int?
    public let gate: Gate?

    public init(_ method: String, _ template: String, _ target: Target, maxBodySize: Int? = nil, gate: Gate? = nil) {
        self.method = method
        self.pattern = PathPattern(template)
        self.target = target
        self.maxBodySize = maxBodySize
        self.gate = gate
    }

    /// The route of an RPC; POST, PUT and PATCH carry the whole message as their body
    /// unless `body` says otherwise.
    public init(_ method: String, _ template: String, rpc descriptor: MethodDescriptor, body: RPCBody? = nil) {
        let body = body ?? (["POST", "PUT", "PATCH"].contains(method) ? .message : RPCBody.none)
        self.init(method, template, .rpc(descriptor, body: body))
    }
}

/// What the HTTP body of an RPC route carries: google.api.http's `body`.
public enum RPCBody: Sendable, Equatable {
    /// No body (`GET`, `DELETE`): query parameters fill the message.
    case none
    /// `body: "*"`: the body is the whole request message.
    case message
    /// `body: "<field>"`: the body is that field of the request message; query parameters
    /// fill the others. `updateMask` names the request's `google.protobuf.FieldMask` field,
    /// which, when the query leaves it out, becomes the paths the body sets (as grpc-gateway
    /// does), so that a PATCH changes what it sends and nothing else.
    case field(String, updateMask: String? = nil)
}

/// Finds the route for a method and path, telling "no such path" (404) from "no such
/// method on this path" (405).
public struct RESTRouter: Sendable {
    public enum Match {
        case found(RESTRoute, variables: [(name: String, value: String)])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private let routes: [RESTRoute]

    public init(_ routes: [RESTRoute]) {
        // Most literal segments first, so that `/calls/upcoming` is never read as an id.
        self.routes = routes.sorted { $0.pattern.specificity > $1.pattern.specificity }
    }

    public var allRoutes: [RESTRoute] { self.routes }

    public func match(method: String, path: Substring) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [String] = []
        var matchedSpecificity: Int?
        for route in self.routes {
            if let specificity = matchedSpecificity, route.pattern.specificity < specificity { break }
            guard let variables = route.pattern.match(segments) else { continue }
            if route.method == method { return .found(route, variables: variables) }
            matchedSpecificity = route.pattern.specificity
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }
}
