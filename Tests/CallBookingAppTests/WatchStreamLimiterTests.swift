import RPC
import Testing

@testable import CallBookingApp

@Suite struct WatchStreamLimiterTests {
    /// Holds `count` streams on `connection` until `release` is resumed.
    private func hold(
        _ limiter: WatchStreamLimiter, on connection: UInt64, until release: AsyncStream<Void>
    ) -> Task<RPCError.Code?, Never> {
        Task {
            do {
                try await limiter.withStream(on: connection) { for await _ in release {} }
                return nil
            } catch {
                return RPCError(from: error).code
            }
        }
    }

    private func waitFor(_ limiter: WatchStreamLimiter, open count: Int) async {
        while limiter.openStreams != count { await Task.yield() }
    }

    @Test func streamsOverTheConnectionsLimitAreResourceExhaustedWhileOtherConnectionsGetIn() async throws {
        let limiter = WatchStreamLimiter(limits: WatchLimits(total: 10, perConnection: 2))
        let (release, finish) = AsyncStream.makeStream(of: Void.self)
        let held = [self.hold(limiter, on: 1, until: release), self.hold(limiter, on: 1, until: release)]
        await self.waitFor(limiter, open: 2)
        await #expect(self.hold(limiter, on: 1, until: release).value == .resourceExhausted)
        let other = self.hold(limiter, on: 2, until: release)
        await self.waitFor(limiter, open: 3)
        finish.finish()
        for task in held + [other] { #expect(await task.value == nil) }
        #expect(limiter.openStreams == 0)
    }

    @Test func streamsOverTheServersLimitAreResourceExhausted() async throws {
        let limiter = WatchStreamLimiter(limits: WatchLimits(total: 2, perConnection: 10))
        let (release, finish) = AsyncStream.makeStream(of: Void.self)
        let held = [self.hold(limiter, on: 1, until: release), self.hold(limiter, on: 2, until: release)]
        await self.waitFor(limiter, open: 2)
        await #expect(self.hold(limiter, on: 3, until: release).value == .resourceExhausted)
        finish.finish()
        for task in held { _ = await task.value }
        #expect(limiter.openStreams == 0)
    }

    @Test func aStreamThatThrowsGivesItsPlaceBack() async {
        let limiter = WatchStreamLimiter(limits: WatchLimits(total: 1, perConnection: 1))
        await #expect(throws: CancellationError.self) {
            try await limiter.withStream(on: 1) { throw CancellationError() }
        }
        #expect(limiter.openStreams == 0)
    }
}
