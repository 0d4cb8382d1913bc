import BookingAPI
import NIOCore
import ProtoWire
import RPC

/// `grpc.health.v1.Health` (health-checking.md) and `GET /api/health`, both reading the
/// same status board.
struct HealthService {
    let board: HealthStatusBoard
    let watchers: WatchStreamLimiter

    /// Services listed by `List` at most, as the health proto asks.
    static let maxListedServices = 100
    /// Health is open to anyone, so its requests are small: a service name and its framing.
    static let policy = MethodPolicy.open(maxRequestSize: 1024)
    /// The longest `service` name looked up; ours are under 40 bytes.
    static let maxServiceNameBytes = 256

    func register(in router: inout RPCRouter) {
        let board = self.board
        let watchers = self.watchers
        router.register(HealthMethods.check, policy: Self.policy) { request, _ in
            try Self.validate(request)
            guard let status = board.status(of: request.service) else {
                throw RPCError(.notFound, "unknown service \(request.service)")
            }
            return HealthCheckResponse(status: status)
        }
        router.register(HealthMethods.list, policy: Self.policy) { _, _ in
            let statuses = board.allStatuses
            guard statuses.count <= Self.maxListedServices else {
                throw RPCError(.resourceExhausted, "more than \(Self.maxListedServices) services")
            }
            var response = HealthListResponse()
            response.statuses = statuses.mapValues { HealthCheckResponse(status: $0) }
            return response
        }
        router.register(HealthMethods.watch, policy: Self.policy) { request, context, stream in
            try Self.validate(request)
            try await watchers.withStream(on: context.connectionID) {
                for await status in board.updates(for: request.service) {
                    try await stream.send(HealthCheckResponse(status: status))
                }
            }
        }
    }

    private static func validate(_ request: HealthCheckRequest) throws(RPCError) {
        guard request.service.utf8.count <= Self.maxServiceNameBytes else {
            throw RPCError(.invalidArgument, "service names are at most \(Self.maxServiceNameBytes) bytes")
        }
    }

    /// `GET /api/health` (CONTRACT "Health"): 200 `{"status":"ok","database":"up"}`, or 503
    /// `{"status":"degraded","database":"down"}` while PostgreSQL is unreachable
    /// (`"shutting_down"` once SIGTERM arrived).
    var restRoute: RESTRoute {
        let board = self.board
        return RESTRoute(
            "GET", "/api/health",
            .endpoint { _ in
                let databaseUp = board.databaseUp
                let status = board.isShutDown ? "shutting_down" : databaseUp ? "ok" : "degraded"
                let body = JSONValue.object([
                    JSONMember(key: "status", value: .string(status)),
                    JSONMember(key: "database", value: .string(databaseUp ? "up" : "down")),
                ])
                return RESTResponse(
                    status: status == "ok" ? 200 : 503, headers: ["content-type": "application/json"],
                    body: ByteBuffer(bytes: body.serializedUTF8Bytes()))
            })
    }
}

extension HealthCheckResponse {
    init(status: ServingStatus) {
        self.init()
        self.status = status
    }
}
