import Crypto
import Foundation
import Testing
import TestTokens

@testable import Clerk

/// The cache's decisions alone, as transcripts: time is passed in, fetches are events.
@Suite struct JWKSCacheTests {
    let keyA = try! RSAPublicKey(jwkModulus: TestKeys.jwkA.n, exponent: TestKeys.jwkA.e)
    let keyB = try! RSAPublicKey(jwkModulus: TestKeys.jwkB.n, exponent: TestKeys.jwkB.e)
    let unknownKey = JWKSCache.OnLookup.reject(AuthError(.unknownKey, "no JWKS key has the token's kid"))
    let unavailable = JWKSCache.OnLookup.reject(AuthError(.keySourceUnavailable, "the JWKS could not be fetched"))
    let tooOld = JWKSCache.OnLookup.reject(
        AuthError(.keySourceUnavailable, "the JWKS could not be refreshed and the keys held are too old"))

    /// `now` plus `seconds`.
    func at(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(seconds) }

    @Test func aKeyIsServedUntilItsMaxAgeThenRefetchedBeforeItIsTrusted() {
        var cache = JWKSCache(minimumRefreshInterval: 10)
        #expect(cache.lookup("ins_A", at: at(0)) == .fetch)
        #expect(cache.lookup("ins_A", at: at(0)) == .wait)   // one fetch for everyone
        cache.fetchSucceeded(["ins_A": keyA], statedLifetime: 60)
        #expect(cache.lookup("ins_A", at: at(59)) == .use(keyA))
        // Expired: the held key serves while one refetch runs; an unknown kid waits for it.
        #expect(cache.lookup("ins_A", at: at(61)) == .useAndRefresh(keyA))
        #expect(cache.lookup("ins_A", at: at(61)) == .use(keyA))
        #expect(cache.lookup("ins_B", at: at(61)) == .wait)
        // Clerk rotated: A is gone with the old document.
        cache.fetchSucceeded(["ins_B": keyB], statedLifetime: 60)
        #expect(JWKSCache.OnLookup(cache.held("ins_A", at: at(61))) == .reject(AuthError(.unknownKey, "no JWKS key has the token's kid")))
        #expect(cache.lookup("ins_B", at: at(62)) == .use(keyB))
        #expect(cache.lookup("ins_A", at: at(62)) == unknownKey)
    }

    /// The lifetime counts from when the fetch started, not from when its answer came.
    @Test func theLifetimeCountsFromTheFetchsStart() {
        var cache = JWKSCache(minimumRefreshInterval: 10)
        #expect(cache.lookup("ins_A", at: at(0)) == .fetch)
        cache.fetchSucceeded(["ins_A": keyA], statedLifetime: 60)
        #expect(cache.expiresAt == at(60))
    }

    /// No stated lifetime: an hour. `no-cache`, `max-age=0` or a few seconds: the minimum
    /// interval, never a fetch per token. Longer than a day: a day.
    @Test(arguments: [(nil, 3600), (0, 60), (30, 60), (500, 500), (86_400, 86_400), (1e12, 86_400)] as [(TimeInterval?, TimeInterval)])
    func statedLifetimesAreDefaultedAndClamped(stated: TimeInterval?, lifetime: TimeInterval) {
        var cache = JWKSCache(minimumRefreshInterval: 60)
        #expect(cache.lookup("ins_A", at: at(0)) == .fetch)
        cache.fetchSucceeded(["ins_A": keyA], statedLifetime: stated)
        #expect(cache.lookup("ins_A", at: at(lifetime - 1)) == .use(keyA))
        #expect(cache.lookup("ins_A", at: at(lifetime)) == .useAndRefresh(keyA))
    }

    @Test func anUnknownKidRefetchesAtMostOncePerInterval() {
        var cache = JWKSCache(minimumRefreshInterval: 60)
        #expect(cache.lookup("ins_A", at: at(0)) == .fetch)
        cache.fetchSucceeded(["ins_A": keyA], statedLifetime: nil)
        #expect(cache.lookup("ins_B", at: at(10)) == unknownKey)
        #expect(cache.lookup("ins_B", at: at(60)) == .fetch)
        #expect(cache.lookup("ins_A", at: at(60)) == .use(keyA))   // a fresh key does not wait for it
        cache.fetchFailed()
        #expect(cache.lookup("ins_A", at: at(61)) == .use(keyA))   // a failed fetch keeps what we had
        #expect(cache.lookup("ins_B", at: at(61)) == unavailable)
        #expect(cache.lookup("ins_B", at: at(120)) == .fetch)
        cache.fetchSucceeded(["ins_A": keyA, "ins_B": keyB], statedLifetime: nil)
        #expect(cache.lookup("ins_B", at: at(121)) == .use(keyB))
    }

    /// While refetches fail, expired keys serve for the grace past their expiry, a new attempt
    /// at most once per interval; then every token is refused until a fetch succeeds.
    @Test func expiredKeysServeForTheGraceWhileRefetchesFailThenAreRefused() {
        var cache = JWKSCache(minimumRefreshInterval: 60, staleGrace: 600)
        #expect(cache.lookup("ins_A", at: at(0)) == .fetch)
        cache.fetchSucceeded(["ins_A": keyA], statedLifetime: 100)
        #expect(cache.lookup("ins_A", at: at(100)) == .useAndRefresh(keyA))
        cache.fetchFailed()
        #expect(JWKSCache.OnLookup(cache.held("ins_A", at: at(100))) == .use(keyA))
        #expect(cache.lookup("ins_A", at: at(130)) == .use(keyA))   // too soon to retry: stale
        #expect(cache.lookup("ins_B", at: at(130)) == unavailable)
        #expect(cache.lookup("ins_A", at: at(160)) == .useAndRefresh(keyA))
        cache.fetchFailed()
        #expect(cache.lookup("ins_A", at: at(699)) == .useAndRefresh(keyA))
        cache.fetchFailed()
        #expect(JWKSCache.OnLookup(cache.held("ins_A", at: at(699))) == .use(keyA))
        #expect(cache.lookup("ins_A", at: at(700)) == tooOld)      // expiry 100 + grace 600
        #expect(cache.lookup("ins_A", at: at(758)) == tooOld)
        #expect(cache.lookup("ins_A", at: at(759)) == .fetch)       // a minute after the last attempt: waits
        cache.fetchSucceeded(["ins_A": keyA], statedLifetime: 100)
        #expect(cache.lookup("ins_A", at: at(760)) == .use(keyA))
    }

    @Test func theFirstFetchFailingLeavesNothingToServe() {
        var cache = JWKSCache(minimumRefreshInterval: 60)
        #expect(cache.lookup("ins_A", at: at(0)) == .fetch)
        cache.fetchFailed()
        #expect(JWKSCache.OnLookup(cache.held("ins_A", at: at(0))) == .reject(AuthError(.keySourceUnavailable, "the JWKS could not be fetched")))
        #expect(cache.lookup("ins_A", at: at(30)) == unavailable)
        #expect(cache.lookup("ins_A", at: at(60)) == .fetch)
    }

    @Test func anOutcomeWithoutAFetchInFlightIsIgnored() {
        var cache = JWKSCache(minimumRefreshInterval: 60)
        cache.fetchSucceeded(["ins_A": keyA], statedLifetime: nil)
        cache.fetchFailed()
        #expect(cache.expiresAt == nil)
        #expect(cache.lookup("ins_A", at: at(0)) == .fetch)
    }
}
