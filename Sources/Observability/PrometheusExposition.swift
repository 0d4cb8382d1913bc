import CoreMetrics
import Prometheus
import Synchronization

/// The process's Prometheus registry behind swift-metrics, and its text exposition for
/// `GET /metrics`. swift-metrics has one global backend per process, so this is global too;
/// `bootstrap()` may be called any number of times (tests start several servers).
public enum PrometheusExposition {
    private static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Finer buckets than the backend's default (5 ms – 10 s) for RPC latencies: most calls
    /// answer in well under a millisecond.
    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// Makes this registry the backend of `MetricsSystem` (once per process). Call before
    /// anything makes its metrics: handles made earlier stay with the no-op backend.
    public static func bootstrap(durationBuckets: [String: [Duration]] = [:]) {
        Self.bootstrapped.withLock { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: Self.registry)
            factory.defaultDurationHistogramBuckets = Self.latencyBuckets
            factory.durationHistogramBuckets = [OperationsMetrics.callDuration: OperationsMetrics.callDurationBuckets]
                .merging(durationBuckets) { _, given in given }
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }

    /// The text exposition format (version 0.0.4) of every metric made so far.
    public static func render() -> [UInt8] {
        Self.registry.emitToBuffer()
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
