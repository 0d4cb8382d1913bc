import Foundation
import Testing
import TestSupport
import TestTokens

@testable import Clerk

/// Which key source the environment chooses, and what the chosen JWKS fetch sends.
@Suite struct ClerkKeySourceTests {
    static let publishable = publishableKey("pk_live_", encoding: "clerk.example.com$")
    static let frontendJWKS = "https://clerk.example.com/.well-known/jwks.json"

    @Test func onlyThePublishableKeyFetchesItsFrontendAPIsJWKSWithoutCredentials() async throws {
        let configuration = try ClerkConfiguration(environment: ["CLERK_PUBLISHABLE_KEY": Self.publishable])
        let client = RecordingHTTPClient(.ok(jwks([JWKSTests.keyB])))
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: client)
        _ = try await verifier.verify(tokenB(kid: "ins_B"), now: now)
        #expect(client.recorded == [RecordingHTTPClient.Request(url: Self.frontendJWKS, headers: [:])])
    }

    @Test func onlyTheSecretKeyFetchesTheBackendAPIsJWKSWithTheBearer() async throws {
        let configuration = try ClerkConfiguration(environment: ["CLERK_SECRET_KEY": "sk_test_abc"])
        let client = RecordingHTTPClient(.ok(jwks([JWKSTests.keyB])))
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: client)
        _ = try await verifier.verify(tokenB(kid: "ins_B"), now: now)
        #expect(client.recorded == [
            RecordingHTTPClient.Request(url: "https://api.clerk.com/v1/jwks", headers: ["Authorization": "Bearer sk_test_abc"]),
        ])
    }

    /// The usual deployment sets both: the Backend API, as Clerk's backend SDK does.
    @Test func withBothKeysTheSecretKeysBackendAPIWins() throws {
        let configuration = try ClerkConfiguration(environment: [
            "CLERK_PUBLISHABLE_KEY": Self.publishable, "CLERK_SECRET_KEY": "sk_live_abc",
        ])
        #expect(configuration.jwksURL?.absoluteString == "https://api.clerk.com/v1/jwks")
        #expect(configuration.jwksHeaders == ["Authorization": "Bearer sk_live_abc"])
        #expect(configuration.jwtKeyPEM == nil)
    }

    @Test func explicitSettingsWinOverDerivedOnes() throws {
        let derived = ["CLERK_PUBLISHABLE_KEY": Self.publishable, "CLERK_SECRET_KEY": "sk_live_abc"]
        let pem = try ClerkConfiguration(environment: derived.merging(["CLERK_JWT_KEY": TestKeys.publicA]) { $1 })
        #expect(pem.jwtKeyPEM != nil)
        #expect(pem.jwksURL == nil)   // networkless, as CLERK_JWT_KEY alone always was
        #expect(pem.jwksHeaders == [:])
        let url = try ClerkConfiguration(environment: derived.merging(["CLERK_JWKS_URL": "https://keys.example.com/jwks"]) { $1 })
        #expect(url.jwksURL?.absoluteString == "https://keys.example.com/jwks")
        #expect(url.jwksHeaders == [:])   // the secret key goes to api.clerk.com only
    }

    /// A malformed publishable key is a deployment mistake even when another source is used.
    @Test func aMalformedPublishableKeyStopsTheStartWhateverElseIsSet() {
        for others in [[:], ["CLERK_SECRET_KEY": "sk_live_abc"], ["CLERK_JWT_KEY": TestKeys.publicA]] {
            let environment = others.merging(["CLERK_PUBLISHABLE_KEY": "pk_live_bm90IGEgaG9zdA"]) { $1 }
            do {
                _ = try ClerkConfiguration(environment: environment)
                Issue.record("accepted with \(others.keys)")
            } catch {
                #expect(error.variable == "CLERK_PUBLISHABLE_KEY", "\(others.keys)")
            }
        }
    }
}
