import Crypto
import Foundation
import Testing
import TestSupport
import TestTokens

@testable import Clerk

@Suite struct SessionTokenVerifierTests {
    let verifier: SessionTokenVerifier

    init() throws {
        self.verifier = try SessionTokenVerifier(configuration: pemConfiguration(), httpClient: RecordingHTTPClient(.failure))
    }

    // MARK: Valid tokens and what they say

    @Test func validTokenGivesTheSessionWithTheRoleFromMetadata() async throws {
        let session = try await verifier.verify(tokenA(), now: now)
        #expect(session == VerifiedSession(
            userID: "user_2hK9abc", role: .expert, email: "ada@example.com", sessionID: "sess_2hK9xYz",
            expiresAt: Date(timeIntervalSince1970: 1_718_028_060)))
    }

    @Test func absentRoleIsCustomer() async throws {
        #expect(try await verifier.verify(tokenA(claims(["metadata": nil])), now: now).role == .customer)
        #expect(try await verifier.verify(tokenA(claims(["metadata": [String: Any]()])), now: now).role == .customer)
    }

    @Test func eachKnownRoleIsRead() async throws {
        for role in VerifiedSession.Role.allCases {
            let session = try await verifier.verify(tokenA(claims(["metadata": ["role": role.rawValue]])), now: now)
            #expect(session.role == role)
        }
    }

    /// Least privilege: anything but the exact three names is a customer, not an error.
    @Test func unknownOrMistypedRoleIsCustomer() async throws {
        for value: Any in ["superuser", "Admin", "", 1, true, ["admin"], ["role": "admin"]] {
            let session = try await verifier.verify(tokenA(claims(["metadata": ["role": value]])), now: now)
            #expect(session.role == .customer, "\(value)")
        }
    }

    @Test func customRoleClaimPathIsFollowed() async throws {
        var configuration = pemConfiguration()
        configuration.roleClaimPath = "app.access.level"
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: RecordingHTTPClient(.failure))
        let token = tokenA(claims(["app": ["access": ["level": "admin"]], "metadata": ["role": "expert"]]))
        #expect(try await verifier.verify(token, now: now).role == .admin)
        // The default path no longer counts.
        #expect(try await verifier.verify(tokenA(), now: now).role == .customer)
    }

    @Test func customEmailClaimAndMissingEmail() async throws {
        var configuration = pemConfiguration()
        configuration.emailClaim = "metadata.contact"
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: RecordingHTTPClient(.failure))
        let token = tokenA(claims(["metadata": ["role": "admin", "contact": "grace@example.com"]]))
        #expect(try await verifier.verify(token, now: now).email == "grace@example.com")
        #expect(try await self.verifier.verify(tokenA(claims(["email": nil])), now: now).email == nil)
        #expect(try await self.verifier.verify(tokenA(claims(["email": ""])), now: now).email == nil)
        #expect(try await self.verifier.verify(tokenA(claims(["sid": nil])), now: now).sessionID == nil)
    }

    /// Only JSON `true` verifies an email: not the string a template might render, not a number.
    @Test func emailIsVerifiedOnlyByTrueAtTheVerifiedClaim() async throws {
        #expect(try await self.verifier.verify(tokenA(claims(["email_verified": true])), now: now).emailVerified)
        for value: Any? in [false, "true", 1, nil, ["true"]] {
            let session = try await self.verifier.verify(tokenA(claims(["email_verified": value])), now: now)
            #expect(!session.emailVerified, "\(String(describing: value))")
        }
        var configuration = pemConfiguration()
        configuration.emailVerifiedClaim = "metadata.email_ok"
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: RecordingHTTPClient(.failure))
        let token = tokenA(claims(["metadata": ["role": "customer", "email_ok": true], "email_verified": false]))
        #expect(try await verifier.verify(token, now: now).emailVerified)
        #expect(try await verifier.verify(tokenA(claims(["email_verified": true])), now: now).emailVerified == false)
    }

    // MARK: Algorithms

    @Test func noneIsRejected() async {
        let token = TokenMinter.mint(header: ["alg": "none", "typ": "JWT"], claims: validClaims(), signing: .unsigned)
        await expectRejection(verifier, token, .unsupportedAlgorithm)
        let lowercase = TokenMinter.mint(header: ["alg": "None"], claims: validClaims(), signing: .unsigned)
        await expectRejection(verifier, lowercase, .unsupportedAlgorithm)
    }

    /// The key-confusion attack: HS256 with the (public) PEM as the HMAC secret.
    @Test func hs256SignedWithThePublicKeyIsRejected() async {
        for secret in [TestKeys.publicA, TestKeys.publicA.trimmingCharacters(in: .whitespacesAndNewlines)] {
            let token = TokenMinter.mint(
                header: ["alg": "HS256", "typ": "JWT"], claims: validClaims(), signing: .hs256(secret: Array(secret.utf8)))
            await expectRejection(verifier, token, .unsupportedAlgorithm)
        }
    }

    @Test func otherAlgorithmsAndAMissingAlgAreRejected() async {
        let rs384 = TokenMinter.mint(
            header: ["alg": "RS384", "typ": "JWT"], claims: validClaims(), signing: .rs384(privateKeyPEM: TestKeys.privateA))
        await expectRejection(verifier, rs384, .unsupportedAlgorithm)
        // An RS384 signature under an RS256 label is just a bad signature.
        let relabelled = TokenMinter.mint(
            header: ["alg": "RS256"], claims: validClaims(), signing: .rs384(privateKeyPEM: TestKeys.privateA))
        await expectRejection(verifier, relabelled, .badSignature)
        for header: [String: Any] in [["typ": "JWT"], ["alg": "rs256"], ["alg": "PS256"], ["alg": "ES256"], ["alg": ["RS256"]]] {
            let token = TokenMinter.mint(header: header, claims: validClaims(), signing: .rs256(privateKeyPEM: TestKeys.privateA))
            await expectRejection(verifier, token, .unsupportedAlgorithm)
        }
    }

    @Test func critHeaderIsRejected() async {
        let token = TokenMinter.mint(
            header: ["alg": "RS256", "crit": ["exp"]], claims: validClaims(), signing: .rs256(privateKeyPEM: TestKeys.privateA))
        await expectRejection(verifier, token, .malformed)
    }

    // MARK: Signatures

    @Test func anotherKeysSignatureIsRejected() async {
        await expectRejection(verifier, tokenB(kid: nil), .badSignature)
        await expectRejection(verifier, TokenMinter.mint(header: ["alg": "RS256"], claims: validClaims(), signing: .garbage), .badSignature)
    }

    @Test func anEditedPayloadIsRejected() async {
        let parts = tokenA().split(separator: ".").map(String.init)
        let edited = try! JSONSerialization.data(withJSONObject: claims(["metadata": ["role": "admin"]]), options: [.sortedKeys])
        await expectRejection(verifier, [parts[0], Base64URL.encode(Array(edited)), parts[2]].joined(separator: "."), .badSignature)
    }

    // MARK: Time

    @Test func expiredBeyondTheSkewIsRejectedAndWithinItAccepted() async throws {
        let token = tokenA()   // exp = now + 60
        await expectRejection(verifier, token, .expired, at: now.addingTimeInterval(65))   // exp == now - skew
        await expectRejection(verifier, token, .expired, at: now.addingTimeInterval(3600))
        _ = try await verifier.verify(token, now: now.addingTimeInterval(64))                // 4 s past exp
        _ = try await verifier.verify(token, now: now.addingTimeInterval(60))
    }

    @Test func notBeforeInTheFutureIsRejectedUnlessWithinTheSkew() async throws {
        await expectRejection(verifier, tokenA(claims(["nbf": 1_718_028_006])), .notYetValid)
        _ = try await verifier.verify(tokenA(claims(["nbf": 1_718_028_005])), now: now)
        _ = try await verifier.verify(tokenA(claims(["nbf": nil])), now: now)
    }

    @Test func zeroSkewMeansExact() async throws {
        var configuration = pemConfiguration()
        configuration.clockSkew = .zero
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: RecordingHTTPClient(.failure))
        await expectRejection(verifier, tokenA(), .expired, at: now.addingTimeInterval(60))
        _ = try await verifier.verify(tokenA(), now: now.addingTimeInterval(59.5))
        await expectRejection(verifier, tokenA(claims(["nbf": 1_718_028_001])), .notYetValid)
    }

    @Test func missingOrNonNumericTimesAreMalformed() async {
        await expectRejection(verifier, tokenA(claims(["exp": nil])), .malformed)
        await expectRejection(verifier, tokenA(claims(["exp": "1718028060"])), .malformed)
        await expectRejection(verifier, tokenA(claims(["exp": true])), .malformed)
        await expectRejection(verifier, tokenA(claims(["nbf": "soon"])), .malformed)
        await expectRejection(verifier, tokenA(claims(["nbf": false])), .malformed)
    }

    // MARK: Issuer, party, status, subject

    @Test func wrongOrMissingIssuerIsRejected() async {
        await expectRejection(verifier, tokenA(claims(["iss": "https://evil.clerk.accounts.dev"])), .wrongIssuer)
        await expectRejection(verifier, tokenA(claims(["iss": "https://clerk.example.com/"])), .wrongIssuer)
        await expectRejection(verifier, tokenA(claims(["iss": nil])), .wrongIssuer)
    }

    @Test func issuerIsNotCheckedWhenNotConfigured() async throws {
        var configuration = pemConfiguration()
        configuration.issuer = nil
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: RecordingHTTPClient(.failure))
        _ = try await verifier.verify(tokenA(claims(["iss": "https://anything.example"])), now: now)
    }

    @Test func azpOutsideTheAllowListIsRejected() async throws {
        await expectRejection(verifier, tokenA(claims(["azp": "https://evil.example.com"])), .unauthorizedParty)
        await expectRejection(verifier, tokenA(claims(["azp": "https://app.example.com/"])), .unauthorizedParty)
        await expectRejection(verifier, tokenA(claims(["azp": 7])), .unauthorizedParty)
        _ = try await verifier.verify(tokenA(claims(["azp": "https://admin.example.com"])), now: now)
        _ = try await verifier.verify(tokenA(claims(["azp": nil])), now: now)   // may be missing
    }

    @Test func azpIsNotCheckedWithoutAnAllowList() async throws {
        var configuration = pemConfiguration()
        configuration.authorizedParties = []
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: RecordingHTTPClient(.failure))
        _ = try await verifier.verify(tokenA(claims(["azp": "https://elsewhere.example"])), now: now)
    }

    @Test func pendingSessionIsRejected() async throws {
        await expectRejection(verifier, tokenA(claims(["sts": "pending"])), .pendingSession)
        _ = try await verifier.verify(tokenA(claims(["sts": nil])), now: now)   // v1 tokens have none
    }

    @Test func missingOrEmptySubjectIsMalformed() async {
        await expectRejection(verifier, tokenA(claims(["sub": nil])), .malformed)
        await expectRejection(verifier, tokenA(claims(["sub": ""])), .malformed)
        await expectRejection(verifier, tokenA(claims(["sub": 42])), .malformed)
    }

    // MARK: Shape

    @Test func oversizeTokenIsRejectedBeforeParsing() async throws {
        let padding = String(repeating: "x", count: 7000)
        let large = tokenA(claims(["padding": padding]))
        #expect(large.utf8.count > SessionTokenVerifier.maximumTokenBytes)
        await expectRejection(verifier, large, .malformed)
        let justUnder = tokenA(claims(["padding": String(repeating: "x", count: 5000)]))
        #expect(justUnder.utf8.count <= SessionTokenVerifier.maximumTokenBytes)
        _ = try await verifier.verify(justUnder, now: now)
        await expectRejection(verifier, String(repeating: "a", count: 10_000_000), .malformed)
    }

    @Test func notACompactJWSIsMalformed() async {
        let token = tokenA()
        let parts = token.split(separator: ".").map(String.init)
        for broken in [
            "", ".", "..", "...", "abc", parts[0] + "." + parts[1], token + ".", token + "." + parts[2],
            parts[0] + ".!!." + parts[2], parts[0] + "." + parts[1] + ".a+b/",
            Base64URL.encode(Array("not json".utf8)) + "." + parts[1] + "." + parts[2],
            Base64URL.encode(Array("[1,2]".utf8)) + "." + parts[1] + "." + parts[2],
            " " + token, token + "\n",
        ] {
            await expectRejection(verifier, broken, .malformed)
        }
    }

    @Test func payloadThatIsNotAnObjectIsMalformedOnceSigned() async {
        let header = Base64URL.encode(Array(#"{"alg":"RS256"}"#.utf8))
        let payload = Base64URL.encode(Array("[]".utf8))
        let signature = TokenMinter.rs256Signature(Array("\(header).\(payload)".utf8), privateKeyPEM: TestKeys.privateA)
        await expectRejection(verifier, "\(header).\(payload).\(Base64URL.encode(signature))", .malformed)
    }

    /// RFC 7515 §5.2, RFC 7519 §4: JSONDecoder reads the first of two `sub`s, an ECMAScript
    /// reader the last, so a token that repeats a name anywhere is refused.
    @Test func aRepeatedMemberNameIsMalformed() async throws {
        func signed(_ header: String, _ claims: String) -> String {
            let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
            let signature = TokenMinter.rs256Signature(Array(signingInput.utf8), privateKeyPEM: TestKeys.privateA)
            return signingInput + "." + Base64URL.encode(signature)
        }
        let header = #"{"alg":"RS256"}"#
        let claims = #""iss":"https://clerk.example.com","exp":1718028060,"sub":"user_2hK9abc""#
        for (header, claims) in [
            (header, "{" + claims + #","sub":"user_other"}"#),
            (header, "{" + claims + #","\u0073ub":"user_other"}"#),
            (header, "{" + claims + #","metadata":{"role":"customer","role":"admin"}}"#),
            (header, "{" + claims + #","🙂":1,"\ud83d\ude42":2}"#),
            (#"{"alg":"RS256","alg":"none"}"#, "{" + claims + "}"),
        ] {
            await expectRejection(verifier, signed(header, claims), .malformed)
        }
        // One name in two objects, or one string twice as a value, is no repeat.
        let token = signed(header, "{" + claims + #","metadata":{"sub":"a:b","role":"admin"},"fva":["a:b","a:b"]}"#)
        let session = try await verifier.verify(token, now: now)
        #expect(session.userID == "user_2hK9abc" && session.role == .admin)
    }

    @Test func nonStringKidIsMalformed() async {
        let token = TokenMinter.mint(
            header: ["alg": "RS256", "kid": 5], claims: validClaims(), signing: .rs256(privateKeyPEM: TestKeys.privateA))
        await expectRejection(verifier, token, .malformed)
    }
}
