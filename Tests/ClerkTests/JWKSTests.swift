import Crypto
import Foundation
import Testing
import TestSupport
import TestTokens

@testable import Clerk

@Suite struct JWKSTests {
    static let keyA = (kid: "ins_A", n: TestKeys.jwkA.n, e: TestKeys.jwkA.e)
    static let keyB = (kid: "ins_B", n: TestKeys.jwkB.n, e: TestKeys.jwkB.e)
    /// Valid for the hour these tests move the clock through.
    static var hour: [String: Any] { claims(["exp": 1_718_031_600]) }

    static func jwksVerifier(
        _ client: RecordingHTTPClient, pem: String? = nil, headers: [String: String] = [:]
    ) throws -> SessionTokenVerifier {
        var configuration = pemConfiguration()
        configuration.jwtKeyPEM = pem
        configuration.jwksURL = jwksURL
        configuration.jwksHeaders = headers
        return try SessionTokenVerifier(configuration: configuration, httpClient: client)
    }

    @Test func kidSelectsTheJWKSKey() async throws {
        let client = RecordingHTTPClient(.ok(jwks([Self.keyA, Self.keyB])))
        let verifier = try Self.jwksVerifier(client)
        #expect(try await verifier.verify(tokenB(kid: "ins_B"), now: now).userID == "user_2hK9abc")
        #expect(try await verifier.verify(tokenA(kid: "ins_A"), now: now).role == .expert)
        #expect(client.requestCount == 1)   // fetched once, then served from the cache
        // The kid names the key: B's token under A's kid does not verify.
        await expectRejection(verifier, tokenB(kid: "ins_A"), .badSignature)
    }

    @Test func withAPEMKeyTooTheJWKSKeyOfTheKidIsPreferred() async throws {
        let client = RecordingHTTPClient(.ok(jwks([Self.keyB])))
        let verifier = try Self.jwksVerifier(client, pem: TestKeys.publicA)
        _ = try await verifier.verify(tokenB(kid: "ins_B"), now: now)   // the PEM (A) could not verify this
        _ = try await verifier.verify(tokenA(), now: now)               // no kid: the PEM key
        #expect(client.requestCount == 1)
    }

    @Test func withAPEMKeyJWKSTroubleFallsBackToThePEM() async throws {
        let client = RecordingHTTPClient(.failure)
        let verifier = try Self.jwksVerifier(client, pem: TestKeys.publicA)
        _ = try await verifier.verify(tokenA(Self.hour, kid: "ins_A"), now: now)
        client.set(.ok(jwks([Self.keyB])))
        _ = try await verifier.verify(tokenA(Self.hour, kid: "ins_A"), now: now.addingTimeInterval(61))
        await expectRejection(verifier, tokenB(Self.hour, kid: "ins_unknown"), .badSignature, at: now.addingTimeInterval(61))
    }

    @Test func tokenWithoutKidNeedsAPEMKey() async throws {
        let client = RecordingHTTPClient(.ok(jwks([Self.keyA])))
        let verifier = try Self.jwksVerifier(client)
        await expectRejection(verifier, tokenA(kid: nil), .unknownKey)
        #expect(client.requestCount == 0)
    }

    /// providers.md 5.3: refetch on an unknown kid, but at most once per minimum interval.
    @Test func unknownKidRefetchesOnceThenRespectsTheMinimumInterval() async throws {
        let client = RecordingHTTPClient(.ok(jwks([Self.keyA])))
        let verifier = try Self.jwksVerifier(client)
        _ = try await verifier.verify(tokenA(Self.hour, kid: "ins_A"), now: now)
        #expect(client.requestCount == 1)

        // Clerk rotates to B. The first token with B's kid refetches…
        client.set(.ok(jwks([Self.keyB])))
        _ = try await verifier.verify(tokenB(Self.hour, kid: "ins_B"), now: now.addingTimeInterval(61))
        #expect(client.requestCount == 2)
        // …and the rotated-out key is gone with the old document.
        await expectRejection(verifier, tokenA(Self.hour, kid: "ins_A"), .unknownKey, at: now.addingTimeInterval(62))
        #expect(client.requestCount == 2)

        // Made-up kids within the interval cost no request.
        for second in 62..<120 {
            await expectRejection(verifier, tokenB(Self.hour, kid: "ins_made_up_\(second)"), .unknownKey, at: now.addingTimeInterval(TimeInterval(second)))
        }
        #expect(client.requestCount == 2)

        // Once the interval has passed, an unknown kid may refetch again.
        client.set(.ok(jwks([Self.keyA, Self.keyB])))
        _ = try await verifier.verify(tokenA(Self.hour, kid: "ins_A"), now: now.addingTimeInterval(121))
        #expect(client.requestCount == 3)
    }

    @Test func concurrentUnknownKidsShareOneFetch() async throws {
        let client = RecordingHTTPClient(.ok(jwks([Self.keyA, Self.keyB])), delay: .milliseconds(100))
        let verifier = try Self.jwksVerifier(client)
        let token = tokenB(kid: "ins_B")
        try await withThrowingTaskGroup(of: VerifiedSession.self) { group in
            for _ in 0..<50 {
                group.addTask { try await verifier.verify(token, now: now) }
            }
            for try await session in group { #expect(session.userID == "user_2hK9abc") }
        }
        #expect(client.requestCount == 1)
    }

    @Test func fetchFailureIsKeySourceUnavailable() async throws {
        for reply: JWKSReply in [
            .failure, .status(500, Data()), .status(404, jwks([Self.keyB])), .ok(Data("<html>".utf8)),
            .ok(Data(#"{"keys":[]}"#.utf8)), .ok(Data(#"{"keys":[{"kty":"EC","kid":"ins_B","crv":"P-256"}]}"#.utf8)),
        ] {
            let client = RecordingHTTPClient(reply)
            let verifier = try Self.jwksVerifier(client)
            await expectRejection(verifier, tokenB(kid: "ins_B"), .keySourceUnavailable)
            // Still failing within the interval, without another request.
            await expectRejection(verifier, tokenB(kid: "ins_B"), .keySourceUnavailable, at: now.addingTimeInterval(30))
            #expect(client.requestCount == 1)
        }
    }

    @Test func aFailedRefreshKeepsTheKeysWeHad() async throws {
        let client = RecordingHTTPClient(.ok(jwks([Self.keyA])))
        let verifier = try Self.jwksVerifier(client)
        _ = try await verifier.verify(tokenA(Self.hour, kid: "ins_A"), now: now)
        client.set(.failure)
        await expectRejection(verifier, tokenB(Self.hour, kid: "ins_B"), .keySourceUnavailable, at: now.addingTimeInterval(61))
        _ = try await verifier.verify(tokenA(Self.hour, kid: "ins_A"), now: now.addingTimeInterval(62))
        // Recovery after the interval.
        client.set(.ok(jwks([Self.keyA, Self.keyB])))
        _ = try await verifier.verify(tokenB(Self.hour, kid: "ins_B"), now: now.addingTimeInterval(122))
    }

    @Test func unusableKeysInTheDocumentAreSkipped() async throws {
        let document: [String: Any] = ["keys": [
            ["kid": "ins_enc", "kty": "RSA", "use": "enc", "n": TestKeys.jwkA.n, "e": "AQAB"],
            ["kid": "ins_ps", "kty": "RSA", "alg": "PS256", "n": TestKeys.jwkA.n, "e": "AQAB"],
            ["kid": "ins_bad", "kty": "RSA", "n": "!!", "e": "AQAB"],
            ["kty": "RSA", "n": TestKeys.jwkA.n, "e": "AQAB"],
            ["kid": "ins_B", "kty": "RSA", "n": TestKeys.jwkB.n, "e": "AQAB"],   // no alg/use: allowed
        ]]
        let client = RecordingHTTPClient(.ok(try JSONSerialization.data(withJSONObject: document)))
        let verifier = try Self.jwksVerifier(client)
        _ = try await verifier.verify(tokenB(kid: "ins_B"), now: now)
        await expectRejection(verifier, tokenA(kid: "ins_enc"), .unknownKey)
        await expectRejection(verifier, tokenA(kid: "ins_ps"), .unknownKey)
    }

    @Test func headersGoWithTheFetch() async throws {
        let client = RecordingHTTPClient(.ok(jwks([Self.keyB])))
        let verifier = try Self.jwksVerifier(client, headers: ["Authorization": "Bearer sk_test_x"])
        _ = try await verifier.verify(tokenB(kid: "ins_B"), now: now)
        #expect(client.lastHeaders == ["Authorization": "Bearer sk_test_x"])
    }
}

/// Keys expire by the age their JWKS answer allows, through the real source.
@Suite struct JWKSExpiryTests {
    /// Valid for the three hours these tests move the clock through.
    static var longLived: [String: Any] { claims(["exp": 1_718_038_800]) }

    /// The background refetch a held key starts: done when the client has been asked `count`
    /// times and the answer has landed (a moment later).
    static func refetched(_ client: RecordingHTTPClient, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while client.requestCount < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(client.requestCount == count)
        try await Task.sleep(for: .milliseconds(200))
    }

    @Test func aKeyRemovedFromTheJWKSIsRefusedOnceMaxAgeHasPassed() async throws {
        let client = RecordingHTTPClient(.ok(jwks([JWKSTests.keyA]), headers: ["Cache-Control": "public, max-age=300"]))
        let verifier = try JWKSTests.jwksVerifier(client)
        _ = try await verifier.verify(tokenA(Self.longLived, kid: "ins_A"), now: now)
        // Clerk rotates to B and removes A; the document we hold is still fresh.
        client.set(.ok(jwks([JWKSTests.keyB]), headers: ["Cache-Control": "public, max-age=300"]))
        _ = try await verifier.verify(tokenA(Self.longLived, kid: "ins_A"), now: now.addingTimeInterval(299))
        #expect(client.requestCount == 1)
        // Past max-age the held key answers once more while the JWKS is fetched again; from the
        // new document on, A is refused.
        _ = try await verifier.verify(tokenA(Self.longLived, kid: "ins_A"), now: now.addingTimeInterval(301))
        try await Self.refetched(client, count: 2)
        await expectRejection(verifier, tokenA(Self.longLived, kid: "ins_A"), .unknownKey, at: now.addingTimeInterval(302))
        _ = try await verifier.verify(tokenB(Self.longLived, kid: "ins_B"), now: now.addingTimeInterval(302))
        #expect(client.requestCount == 2)
    }

    @Test func whileClerkIsUnreachableExpiredKeysServeForTheGraceOnly() async throws {
        let client = RecordingHTTPClient(.ok(jwks([JWKSTests.keyA]), headers: ["Cache-Control": "max-age=60"]))
        let verifier = try JWKSTests.jwksVerifier(client)
        _ = try await verifier.verify(tokenA(Self.longLived, kid: "ins_A"), now: now)
        client.set(.failure)
        _ = try await verifier.verify(tokenA(Self.longLived, kid: "ins_A"), now: now.addingTimeInterval(61))
        try await Self.refetched(client, count: 2)
        let graceEnds = 60 + JWKSCache.defaultStaleGrace
        _ = try await verifier.verify(tokenA(Self.longLived, kid: "ins_A"), now: now.addingTimeInterval(graceEnds - 1))
        try await Self.refetched(client, count: 3)
        await expectRejection(
            verifier, tokenA(Self.longLived, kid: "ins_A"), .keySourceUnavailable, at: now.addingTimeInterval(graceEnds + 60))
        #expect(client.requestCount == 4, "past the grace a token waits for the fetch")
        // Clerk answers again: the next attempt recovers.
        client.set(.ok(jwks([JWKSTests.keyA])))
        _ = try await verifier.verify(tokenA(Self.longLived, kid: "ins_A"), now: now.addingTimeInterval(graceEnds + 120))
    }
}
