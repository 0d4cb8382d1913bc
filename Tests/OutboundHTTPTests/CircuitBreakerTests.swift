import OutboundHTTP
import Testing

/// The breaker's transitions as transcripts: events in, decisions and states out.
@Suite struct CircuitBreakerTests {
    let t0 = ContinuousClock.now

    @Test func consecutiveFailuresOpenTheCircuitAndASuccessResetsTheCount() {
        var breaker = CircuitBreaker(failureThreshold: 3, openDuration: .seconds(30))
        #expect(breaker.requestStarting(now: self.t0) == .proceed)
        breaker.requestFailed(now: self.t0)
        breaker.requestFailed(now: self.t0)
        #expect(breaker.state == .closed(consecutiveFailures: 2))
        breaker.requestSucceeded()
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        breaker.requestFailed(now: self.t0)
        breaker.requestFailed(now: self.t0)
        breaker.requestFailed(now: self.t0 + .seconds(1))
        #expect(breaker.state == .open(until: self.t0 + .seconds(31)))
    }

    @Test func whileOpenCallsAreRejectedUntilTheDurationHasPassed() {
        var breaker = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(30))
        breaker.requestFailed(now: self.t0)
        #expect(breaker.requestStarting(now: self.t0 + .seconds(29)) == .reject(retryAt: self.t0 + .seconds(30)))
        #expect(breaker.requestStarting(now: self.t0 + .seconds(30)) == .proceedAsProbe)
        #expect(breaker.state == .halfOpen(probeInFlight: true))
        // Only one probe at a time.
        #expect(breaker.requestStarting(now: self.t0 + .seconds(30)) == .reject(retryAt: nil))
    }

    @Test func aSuccessfulProbeClosesTheCircuit() {
        var breaker = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(10))
        breaker.requestFailed(now: self.t0)
        _ = breaker.requestStarting(now: self.t0 + .seconds(10))
        breaker.requestSucceeded()
        #expect(breaker.state == .closed(consecutiveFailures: 0))
        #expect(breaker.requestStarting(now: self.t0 + .seconds(10)) == .proceed)
    }

    @Test func aFailedProbeOpensItAgainForTheWholeDuration() {
        var breaker = CircuitBreaker(failureThreshold: 2, openDuration: .seconds(10))
        breaker.requestFailed(now: self.t0)
        breaker.requestFailed(now: self.t0)
        _ = breaker.requestStarting(now: self.t0 + .seconds(12))
        breaker.requestFailed(now: self.t0 + .seconds(13))
        #expect(breaker.state == .open(until: self.t0 + .seconds(23)))
    }

    @Test func anAbandonedProbeLetsTheNextCallProbe() {
        var breaker = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(10))
        breaker.requestFailed(now: self.t0)
        _ = breaker.requestStarting(now: self.t0 + .seconds(10))
        breaker.requestAbandoned(wasProbe: true)
        #expect(breaker.state == .halfOpen(probeInFlight: false))
        #expect(breaker.requestStarting(now: self.t0 + .seconds(10)) == .proceedAsProbe)
    }

    @Test func aLateFailureOfACallStartedBeforeOpeningDoesNotExtendIt() {
        var breaker = CircuitBreaker(failureThreshold: 1, openDuration: .seconds(10))
        breaker.requestFailed(now: self.t0)
        breaker.requestFailed(now: self.t0 + .seconds(5))
        #expect(breaker.state == .open(until: self.t0 + .seconds(10)))
    }
}
