import CoreMetrics

/// What the edge refused or cut short, for operators (through the bootstrapped
/// swift-metrics backend). Each happens once per connection or per refused request, never per
/// byte or frame, so handles are made when needed.
enum TransportMetrics {
    static let connections = "http_connections"
    static let connectionsRefused = "http_connections_refused_total"
    static let timeouts = "http_timeouts_total"
    static let streamsRefused = "http2_streams_refused_total"

    enum Timeout: String {
        /// The HTTP/2 preface or a request head took longer than the header timeout.
        case header
        case idle
        /// A request body took longer than the body timeout.
        case body
        /// Response data waited on the client longer than the body timeout.
        case send
    }

    /// Connections counted against `maxConnections`.
    static func connectionsCounted(_ count: Int) {
        Gauge(label: Self.connections).record(count)
    }

    static func connectionRefused(_ reason: ConnectionAdmission.Refusal) {
        Counter(label: Self.connectionsRefused, dimensions: [("reason", reason.rawValue)]).increment()
    }

    static func timedOut(_ kind: Timeout) {
        Counter(label: Self.timeouts, dimensions: [("kind", kind.rawValue)]).increment()
    }

    /// An HTTP/2 stream refused because its connection had `maxRequestsPerConnection` in progress.
    static func streamRefused() {
        Counter(label: Self.streamsRefused).increment()
    }
}
