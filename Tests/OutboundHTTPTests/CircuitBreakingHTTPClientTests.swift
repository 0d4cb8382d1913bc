import Foundation
import MetricsTestKit
import OutboundHTTP
import Synchronization
import TestSupport
import Testing

extension RecordingHTTPClient {
    /// Answers every request with `status` from now on.
    func answer(status: Int) { self.answer(bytes: { _ in (status, Data("{}".utf8)) }) }
    /// Fails every request without an answer from now on.
    func answerNothing() { self.answer(bytes: { _ in nil }) }
}

final class FakeClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { self.instant.withLock { $0 } }
    func advance(_ duration: Duration) { self.instant.withLock { $0 += duration } }
}

@Suite struct CircuitBreakingHTTPClientTests {
    let provider = RecordingHTTPClient(status: 200, body: "{}")
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
        self.provider.answer(status: 503)
        #expect(try await self.send(client).get() == 503)  // the caller still sees the provider's answer
        self.provider.answer(status: 429)
        await self.send(client)
        self.provider.answerNothing()
        await self.send(client)
        #expect(self.provider.requestCount == 3)
        #expect(try self.gauge() == 2)

        let rejected = await self.send(client)
        guard case .failure(let error) = rejected, let open = error as? CircuitOpenError else {
            Issue.record("expected CircuitOpenError, got \(rejected)")
            return
        }
        #expect(open.name == "calendly")
        #expect(self.provider.requestCount == 3)
        #expect(try self.metrics.expectCounter(CircuitBreakingHTTPClient.rejectionsCounter, [("name", "calendly")])
            .totalValue == 1)
    }

    @Test func clientErrorsMeanTheProviderIsUpAndDoNotOpenIt() async throws {
        let client = self.client(threshold: 2)
        for status in [400, 401, 404, 409, 422] {
            self.provider.answer(status: status)
            await self.send(client)
        }
        #expect(client.state == .closed(consecutiveFailures: 0))
        #expect(try self.gauge() == 0)
    }

    @Test func afterTheOpenDurationOneProbeDecides() async throws {
        let client = self.client(threshold: 1)
        self.provider.answer(status: 500)
        await self.send(client)
        #expect(client.state.gaugeValue == 2)

        self.clock.advance(.seconds(29))
        await self.send(client)
        #expect(self.provider.requestCount == 1)  // still open

        self.clock.advance(.seconds(1))
        await self.send(client)  // the probe fails: open again
        #expect(self.provider.requestCount == 2)
        #expect(try self.gauge() == 2)

        self.clock.advance(.seconds(30))
        self.provider.answer(status: 200)
        #expect(try await self.send(client).get() == 200)  // the probe succeeds: closed
        #expect(client.state == .closed(consecutiveFailures: 0))
        #expect(try self.gauge() == 0)
        #expect(try self.metrics.expectGauge(CircuitBreakingHTTPClient.stateGauge, [("name", "calendly")]).values
            == [0, 2, 1, 2, 1, 0])
    }
}
