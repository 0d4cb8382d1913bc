import BookingDomain
import Foundation
import Testing

@testable import CallBookingApp

/// What CreateCallToken may answer without reading the database: only while the change feed
/// listens, never across a change, never what a slow read brings back after a change.
@Suite struct JoinableCallCacheTests {
    static let call = CallTokenIssuerTests.call()

    static func listening(_ settings: JoinableCallCache.Settings = .init()) -> JoinableCallCache {
        let cache = JoinableCallCache(settings: settings)
        cache.receive(.resynchronize)
        return cache
    }

    @Test func aCallReadWhileTheFeedListensIsAnsweredAgain() {
        let cache = Self.listening()
        cache.keep(Self.call, readAfter: cache.generation)
        #expect(cache.call(Self.call.id) == Self.call)
    }

    @Test func nothingIsKeptOrAnsweredBeforeTheFeedListensOrAfterItLostItsConnection() {
        let cache = JoinableCallCache()
        cache.keep(Self.call, readAfter: cache.generation)
        #expect(cache.call(Self.call.id) == nil, "not listening yet")
        cache.receive(.resynchronize)
        cache.keep(Self.call, readAfter: cache.generation)
        cache.receive(.interrupted)
        #expect(cache.call(Self.call.id) == nil, "the feed lost its connection")
        cache.keep(Self.call, readAfter: cache.generation)
        #expect(cache.count == 0)
        cache.receive(.resynchronize)
        #expect(cache.call(Self.call.id) == nil, "listening again starts empty")
    }

    @Test func aChangeFromTheFeedOrFromThisProcessForgetsTheCall() {
        let cache = Self.listening()
        let other = CallTokenIssuerTests.call()
        cache.keep(Self.call, readAfter: cache.generation)
        cache.keep(other, readAfter: cache.generation)
        cache.receive(.changed(Self.call.id))
        #expect(cache.call(Self.call.id) == nil)
        #expect(cache.call(other.id) == other, "other calls stay")
        cache.forget([other.id])
        #expect(cache.call(other.id) == nil)
    }

    @Test func aReadThatBeganBeforeAChangeIsNotKept() {
        let cache = Self.listening()
        let generation = cache.generation
        cache.receive(.changed(Self.call.id))  // committed while the read was on its way
        cache.keep(Self.call, readAfter: generation)
        #expect(cache.call(Self.call.id) == nil)
    }

    @Test func entriesExpireAndAFullCacheStartsOver() {
        var settings = JoinableCallCache.Settings()
        settings.capacity = 2
        settings.maxAge = .seconds(60)
        let cache = Self.listening(settings)
        let start = ContinuousClock.now
        cache.keep(Self.call, readAfter: cache.generation, now: start)
        #expect(cache.call(Self.call.id, now: start + .seconds(59)) == Self.call)
        #expect(cache.call(Self.call.id, now: start + .seconds(60)) == nil)
        for _ in 0..<3 { cache.keep(CallTokenIssuerTests.call(), readAfter: cache.generation, now: start) }
        #expect(cache.count == 1, "the third call found the cache full")
    }
}
