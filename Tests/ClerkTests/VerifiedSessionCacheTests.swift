import Crypto
import Foundation
import Testing
import TestSupport
import TestTokens

@testable import Clerk

/// A token verified once is answered from the cache, but never outside the window a fresh
/// verification would accept, and the cache stays within its capacity.
@Suite struct VerifiedSessionCacheTests {
    let verifier: SessionTokenVerifier
    /// The configuration's clock skew.
    let skew: TimeInterval

    init() throws {
        let configuration = pemConfiguration()
        self.verifier = try SessionTokenVerifier(configuration: configuration, httpClient: RecordingHTTPClient(.failure))
        self.skew = configuration.clockSkew.seconds
    }

    @Test func aVerifiedTokenIsAnsweredFromTheCacheInsideItsWindowOnly() async throws {
        let token = tokenA()
        let session = try await self.verifier.verify(token, now: now)
        #expect(self.verifier.verified.count == 1)
        #expect(try await self.verifier.verify(token, now: now.addingTimeInterval(30)) == session)
        #expect(self.verifier.verified.count == 1, "a hit adds nothing")
        // exp is now + 60 and nbf now − 10: outside, the answer is a fresh verification's.
        await expectRejection(self.verifier, token, .expired, at: now.addingTimeInterval(60 + self.skew + 1))
        await expectRejection(self.verifier, token, .notYetValid, at: now.addingTimeInterval(-10 - self.skew - 1))
    }

    @Test func anotherTokenOfTheSameSessionIsVerifiedOnItsOwn() async throws {
        _ = try await self.verifier.verify(tokenA(), now: now)
        let forged = tokenA().split(separator: ".").prefix(2).joined(separator: ".") + "." + String(repeating: "A", count: 342)
        await expectRejection(self.verifier, forged, .badSignature)
        #expect(self.verifier.verified.count == 1, "only verified tokens are kept")
    }

    @Test func theCacheHoldsAtMostItsCapacityAndKeepsWhatIsUsed() throws {
        let cache = VerifiedSessionCache(capacity: 4)
        let entry = VerifiedSessionCache.Entry(
            session: VerifiedSession(userID: "user_1", role: .customer, email: nil, sessionID: nil, expiresAt: now + 60),
            kid: nil, key: try RSAPublicKey(pem: TestKeys.publicA), validFrom: .distantPast, validUntil: now + 60)
        let keys = (0..<10).map { VerifiedSessionCache.key("token-\($0)") }
        cache.insert(entry, for: keys[0])
        for key in keys[1...] {
            cache.insert(entry, for: key)
            #expect(cache.count <= 4)
            #expect(cache.entry(for: keys[0], at: now) != nil, "a token in use stays")
        }
        #expect(cache.entry(for: keys[1], at: now) == nil, "an unused one went")
    }
}
