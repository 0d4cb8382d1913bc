import BookingStore
import CoreMetrics
import Crypto
import NIOCore
import Observability
import RPC

/// `GET /metrics`: the Prometheus text exposition of every metric, with the database pool's
/// gauges, the running handlers and the open Watch and WatchCall streams read at that moment. No session token (CONTRACT.md); with `METRICS_TOKEN` set the
/// scraper must send `authorization: Bearer <METRICS_TOKEN>`, compared in constant time.
struct MetricsEndpoint: Sendable {
    let token: String?
    let pool: PGPool
    let calls: CallRegistry
    let watchers: WatchStreamLimiter
    let callWatches: CallWatchHub

    static let poolConnections = "db_pool_connections"
    static let poolMaxConnections = "db_pool_max_connections"
    static let poolWaiting = "db_pool_waiting_requests"
    static let handlersRunning = "rpc_server_handlers_running"
    static let watchStreams = "health_watch_streams"
    static let callWatchStreams = "call_watch_streams"

    var route: RESTRoute {
        let endpoint = self
        return RESTRoute("GET", "/metrics", .endpoint { request in endpoint.answer(request) })
    }

    func answer(_ request: RESTRequest) -> RESTResponse {
        if let token = self.token {
            let expected = Array("Bearer \(token)".utf8)
            let sent = request.head.headers.firstValueUTF8("authorization").map(Array.init) ?? []
            guard ConstantTime.equals(sent, expected) else {
                var response = RESTResponse.json(
                    401, #"{"code":16,"message":"GET /metrics needs authorization: Bearer <METRICS_TOKEN>","details":[]}"#)
                response.headers.append("www-authenticate", "Bearer")
                return response
            }
        }
        self.recordPoolUsage()
        Gauge(label: Self.handlersRunning).record(self.calls.count)
        Gauge(label: Self.watchStreams).record(self.watchers.openStreams)
        Gauge(label: Self.callWatchStreams).record(self.callWatches.openWatches)
        return RESTResponse(
            status: 200, headers: ["content-type": PrometheusExposition.contentType],
            body: ByteBuffer(bytes: PrometheusExposition.render()))
    }

    /// `db_pool_connections{state="idle"|"leased"}`, `db_pool_waiting_requests` and
    /// `db_pool_max_connections`, as the pool is now.
    private func recordPoolUsage() {
        let usage = self.pool.statistics
        Gauge(label: Self.poolConnections, dimensions: [("state", "idle")]).record(usage.idle)
        Gauge(label: Self.poolConnections, dimensions: [("state", "leased")]).record(usage.leased)
        Gauge(label: Self.poolWaiting).record(usage.waiting)
        Gauge(label: Self.poolMaxConnections).record(usage.maxConnections)
    }
}
