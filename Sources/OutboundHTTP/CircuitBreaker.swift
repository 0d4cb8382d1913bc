/// When to stop calling a provider that keeps failing, as a state machine with time passed in
/// (no I/O, no clock: tested as transcripts).
///
/// - closed: calls go through; `failureThreshold` failures in a row open the circuit.
/// - open: calls fail at once until `openDuration` has passed since it opened.
/// - half-open: the first call after that is let through as a probe, others still fail fast;
///   the probe's success closes the circuit, its failure opens it again for `openDuration`.
public struct CircuitBreaker: Sendable {
    public enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: ContinuousClock.Instant)
        case halfOpen(probeInFlight: Bool)

        /// For the `circuit_breaker_state` gauge: 0 closed, 1 half-open, 2 open.
        public var gaugeValue: Int {
            switch self {
            case .closed: return 0
            case .halfOpen: return 1
            case .open: return 2
            }
        }
    }

    public enum OnRequest: Sendable, Equatable {
        case proceed
        /// The one call allowed through while half-open; its outcome decides.
        case proceedAsProbe
        case reject(retryAt: ContinuousClock.Instant?)
    }

    public let failureThreshold: Int
    public let openDuration: Duration
    public private(set) var state: State = .closed(consecutiveFailures: 0)

    public init(failureThreshold: Int, openDuration: Duration) {
        precondition(failureThreshold >= 1, "a circuit needs at least one failure to open")
        self.failureThreshold = failureThreshold
        self.openDuration = openDuration
    }

    public mutating func requestStarting(now: ContinuousClock.Instant) -> OnRequest {
        switch self.state {
        case .closed:
            return .proceed
        case .open(let until) where now >= until:
            self.state = .halfOpen(probeInFlight: true)
            return .proceedAsProbe
        case .open(let until):
            return .reject(retryAt: until)
        case .halfOpen(probeInFlight: true):
            return .reject(retryAt: nil)
        case .halfOpen(probeInFlight: false):
            self.state = .halfOpen(probeInFlight: true)
            return .proceedAsProbe
        }
    }

    /// The provider answered (2xx–4xx except 408 and 429): it is up.
    public mutating func requestSucceeded() {
        self.state = .closed(consecutiveFailures: 0)
    }

    /// A transport error, a 408, a 429 or a 5xx.
    public mutating func requestFailed(now: ContinuousClock.Instant) {
        switch self.state {
        case .closed(let failures) where failures + 1 >= self.failureThreshold:
            self.state = .open(until: now + self.openDuration)
        case .closed(let failures):
            self.state = .closed(consecutiveFailures: failures + 1)
        case .halfOpen:
            self.state = .open(until: now + self.openDuration)
        case .open:
            break  // a call that started before the circuit opened: it stays open as it is
        }
    }

    /// A call that ended without telling (cancelled by its caller): a probe frees its place.
    public mutating func requestAbandoned(wasProbe: Bool) {
        if wasProbe, case .halfOpen = self.state { self.state = .halfOpen(probeInFlight: false) }
    }
}
