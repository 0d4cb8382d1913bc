import Foundation
import MetricsTestKit
import OutboundHTTP
import Synchronization
import Testing

/// A provider that answers what the test scripts, counting the calls that reach it.
final class ScriptedProvider: HTTPClient {
    enum Answer: Sendable {
        case status(Int)
        case transportError
    }

    private let state = Mutex<(answer: Answer, calls: Int)>((.status(200), 0))

    var calls: Int { self.state.withLock { $0.calls } }
    func answer(_ answer: Answer) { self.state.withLock { $0.answer = answer } }

    func send(_ request: OutboundRequest) async throws -> (status: Int, body: Data) {
        let answer = self.state.withLock { state -> Answer in
            state.calls += 1
            return state.answer
        }
        switch answer {
        case .status(let status): return (status, Data("{}".utf8))
        case .transportError: throw URLError(.cannotConnectToHost)
        }
    }
}

/// A clock the test moves.
final class FakeClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { self.instant.withLock { $0 } }
    func advance(_ duration: Duration) { self.instant.withLock { $0 += duration } }
}

@Suite struct CircuitBreakingHTTPClientTests {
    let provider = ScriptedProvider()
    let clock = FakeClock()
    let metrics = TestMetrics()
    let request = OutboundRequest(method: "GET", url: URL(string: "http://127.0.0.1:9/users/me")!)

    private func client(threshold: Int = 3) -> CircuitBreakingHTTPClient {
        let clock = self.clock
        return CircuitBreakingHTTPClient(
            name: "calendly", wrapping: self.provider, failureThreshold: threshold, openDuration: .seconds(30),
            now: { clock.now }, metrics: self.metrics)
    }

    private func gauge() throws -> Double? {
        try self.metrics.expectGauge(CircuitBreakingHTTPClient.stateGauge, [("name", "calendly")]).lastValue
    }

    @discardableResult
    private func send(_ client: CircuitBreakingHTTPClient) async -> Result<Int, any Error> {
        do {
            return .success(try await client.send(self.request).status)
        } catch {
            return .failure(error)
        }
    }

    @Test func serverErrorsAndTransportErrorsOpenItThenCallsFailFastWithoutReachingTheProvider() async throws {
        let client = self.client()
        #expect(try self.gauge() == 0)
        self.provider.answer(.status(503))
        #expect(try await self.send(client).get() == 503)  // the caller still sees the provider's answer
        self.provider.answer(.status(429))
        await self.send(client)
        self.provider.answer(.transportError)
        await self.send(client)
        #expect(self.provider.calls == 3)
        #expect(try self.gauge() == 2)

        let rejected = await self.send(client)
        guard case .failure(let error) = rejected, let open = error as? CircuitOpenError else {
            Issue.record("expected CircuitOpenError, got \(rejected)")
            return
        }
        #expect(open.name == "calendly")
        #expect(self.provider.calls == 3)
        #expect(try self.metrics.expectCounter(CircuitBreakingHTTPClient.rejectionsCounter, [("name", "calendly")])
            .totalValue == 1)
    }

    @Test func clientErrorsMeanTheProviderIsUpAndDoNotOpenIt() async throws {
        let client = self.client(threshold: 2)
        for status in [400, 401, 404, 409, 422] {
            self.provider.answer(.status(status))
            await self.send(client)
        }
        #expect(client.state == .closed(consecutiveFailures: 0))
        #expect(try self.gauge() == 0)
    }

    @Test func afterTheOpenDurationOneProbeDecides() async throws {
        let client = self.client(threshold: 1)
        self.provider.answer(.status(500))
        await self.send(client)
        #expect(client.state.gaugeValue == 2)

        self.clock.advance(.seconds(29))
        await self.send(client)
        #expect(self.provider.calls == 1)  // still open

        self.clock.advance(.seconds(1))
        await self.send(client)  // the probe fails: open again
        #expect(self.provider.calls == 2)
        #expect(try self.gauge() == 2)

        self.clock.advance(.seconds(30))
        self.provider.answer(.status(200))
        #expect(try await self.send(client).get() == 200)  // the probe succeeds: closed
        #expect(client.state == .closed(consecutiveFailures: 0))
        #expect(try self.gauge() == 0)
        #expect(try self.metrics.expectGauge(CircuitBreakingHTTPClient.stateGauge, [("name", "calendly")]).values
            == [0, 2, 1, 2, 1, 0])
    }
}
