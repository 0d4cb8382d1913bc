public import CoreMetrics
public import Logging
import Synchronization

/// Thrown without calling the provider while its circuit is open.
public struct CircuitOpenError: Error, Sendable, CustomStringConvertible {
    public let name: String
    public let retryAt: ContinuousClock.Instant?
    public var description: String { "\(self.name) is failing: the circuit is open, not calling it" }
}

/// An `HTTPClient` decorator that stops calling a provider after `failureThreshold`
/// consecutive failures, fails fast for `openDuration`, then lets one probe through
/// (`CircuitBreaker`). Failures are thrown transport errors, 408, 429 and 5xx (`ProviderError.isTransient`); other 4xx mean the
/// provider is up (our request was wrong), so they count as successes. Every provider client
/// gets it by wrapping its `HTTPClient`:
///
///     CalendlyClient(…, httpClient: CircuitBreakingHTTPClient(name: "calendly", wrapping: URLSessionHTTPClient()))
///
/// `circuit_breaker_state{name}` (0 closed, 1 half-open, 2 open) and
/// `circuit_breaker_rejections_total{name}` report it; opening and closing are logged.
public final class CircuitBreakingHTTPClient: HTTPClient {
    public static let stateGauge = "circuit_breaker_state"
    public static let rejectionsCounter = "circuit_breaker_rejections_total"

    public let name: String
    private let wrapped: any HTTPClient
    private let breaker: Mutex<CircuitBreaker>
    private let now: @Sendable () -> ContinuousClock.Instant
    private let stateGauge: Gauge
    private let rejections: Counter
    private let logger: Logger

    /// `now` is the clock (tests pass a fake); `metrics` the backend (the bootstrapped one by
    /// default: make clients after `MetricsSystem.bootstrap`).
    public init(
        name: String, wrapping wrapped: any HTTPClient, failureThreshold: Int = 5, openDuration: Duration = .seconds(30),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        metrics: any MetricsFactory = MetricsSystem.factory,
        logger: Logger = Logger(label: "call-booking.outbound")
    ) {
        self.name = name
        self.wrapped = wrapped
        self.breaker = Mutex(CircuitBreaker(failureThreshold: failureThreshold, openDuration: openDuration))
        self.now = now
        self.stateGauge = Gauge(label: Self.stateGauge, dimensions: [("name", name)], factory: metrics)
        self.rejections = Counter(label: Self.rejectionsCounter, dimensions: [("name", name)], factory: metrics)
        self.logger = logger
        self.stateGauge.record(0)
    }

    public var state: CircuitBreaker.State { self.breaker.withLock { $0.state } }

    public func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        let decision = self.update { $0.requestStarting(now: self.now()) }
        let isProbe: Bool
        switch decision {
        case .reject(let retryAt):
            self.rejections.increment()
            throw CircuitOpenError(name: self.name, retryAt: retryAt)
        case .proceed: isProbe = false
        case .proceedAsProbe: isProbe = true
        }
        do {
            let response = try await self.wrapped.send(request)
            if ProviderError.isTransient(status: response.status) {
                self.update { $0.requestFailed(now: self.now()) }
            } else {
                self.update { $0.requestSucceeded() }
            }
            return response
        } catch {
            if error is CancellationError || Task.isCancelled {
                self.update { $0.requestAbandoned(wasProbe: isProbe) }
            } else {
                self.update { $0.requestFailed(now: self.now()) }
            }
            throw error
        }
    }

    /// Runs one event under the lock; a change of state goes to the gauge and the log.
    @discardableResult
    private func update<T>(_ event: (inout CircuitBreaker) -> T) -> T {
        let (result, before, after) = self.breaker.withLock { breaker in
            let before = breaker.state
            let result = event(&breaker)
            return (result, before, breaker.state)
        }
        if before.gaugeValue != after.gaugeValue {
            self.stateGauge.record(after.gaugeValue)
            switch after {
            case .open: self.logger.warning("circuit opened: failing fast", metadata: ["provider": "\(self.name)"])
            case .halfOpen: self.logger.info("circuit half-open: probing", metadata: ["provider": "\(self.name)"])
            case .closed: self.logger.notice("circuit closed: provider answering again", metadata: ["provider": "\(self.name)"])
            }
        }
        return result
    }
}
