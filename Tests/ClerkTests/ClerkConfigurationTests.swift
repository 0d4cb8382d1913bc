import Foundation
import Testing
import TestSupport
import TestTokens

@testable import Clerk

@Suite struct ClerkConfigurationTests {
    func error(_ environment: [String: String]) -> ClerkConfigurationError? {
        do {
            _ = try ClerkConfiguration(environment: environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func pemAloneIsEnoughAndDefaultsFollowTheContract() throws {
        let configuration = try ClerkConfiguration(environment: ["CLERK_JWT_KEY": TestKeys.publicA])
        #expect(configuration.jwtKeyPEM != nil)
        #expect(configuration.jwksURL == nil)
        #expect(configuration.issuer == nil)
        #expect(configuration.authorizedParties == [])
        #expect(configuration.clockSkew == .seconds(5))
        #expect(configuration.roleClaimPath == "metadata.role")
        #expect(configuration.emailClaim == "email")
        #expect(configuration.emailVerifiedClaim == "email_verified")
        #expect(configuration.jwksMinimumRefreshInterval == .seconds(60))
    }

    @Test func everySettingIsRead() throws {
        let configuration = try ClerkConfiguration(environment: [
            "CLERK_JWKS_URL": "https://clerk.example.com/.well-known/jwks.json",
            "CLERK_ISSUER": "https://clerk.example.com",
            "CLERK_AUTHORIZED_PARTIES": " https://app.example.com, https://admin.example.com ,",
            "CLERK_CLOCK_SKEW_SECONDS": "0",
            "CLERK_ROLE_CLAIM": "public.role",
            "CLERK_EMAIL_CLAIM": "primary_email",
            "CLERK_EMAIL_VERIFIED_CLAIM": "metadata.email_ok",
        ])
        #expect(configuration.jwksURL?.absoluteString == "https://clerk.example.com/.well-known/jwks.json")
        #expect(configuration.jwksHeaders == [:])
        #expect(configuration.issuer == "https://clerk.example.com")
        #expect(configuration.authorizedParties == ["https://app.example.com", "https://admin.example.com"])
        #expect(configuration.clockSkew == .zero)
        #expect(configuration.roleClaimPath == "public.role")
        #expect(configuration.emailClaim == "primary_email")
        #expect(configuration.emailVerifiedClaim == "metadata.email_ok")
    }

    @Test func aKeySourceIsRequired() {
        #expect(error([:])?.variable == "CLERK_JWT_KEY")
        #expect(error(["CLERK_JWT_KEY": "  ", "CLERK_JWKS_URL": ""])?.variable == "CLERK_JWT_KEY")
        #expect(error(["CLERK_ISSUER": "https://clerk.example.com"])?.description.contains("CLERK_JWKS_URL") == true)
    }

    @Test func badValuesNameTheirVariable() {
        let key = ["CLERK_JWT_KEY": TestKeys.publicA]
        let cases: [(String, String)] = [
            ("CLERK_JWT_KEY", "not a key"),
            ("CLERK_JWKS_URL", "clerk.example.com/jwks"),
            ("CLERK_JWKS_URL", "http://clerk.example.com/.well-known/jwks.json"),
            ("CLERK_JWKS_URL", "https://user:pw@clerk.example.com/jwks"),
            ("CLERK_CLOCK_SKEW_SECONDS", "-1"),
            ("CLERK_CLOCK_SKEW_SECONDS", "5s"),
            ("CLERK_CLOCK_SKEW_SECONDS", "3600"),
            ("CLERK_ROLE_CLAIM", "metadata..role"),
            ("CLERK_ROLE_CLAIM", ".role"),
            ("CLERK_EMAIL_CLAIM", "email."),
            ("CLERK_EMAIL_VERIFIED_CLAIM", "email..verified"),
            ("CLERK_AUTHORIZED_PARTIES", "https://app.example.com/"),
            ("CLERK_AUTHORIZED_PARTIES", "app.example.com"),
        ]
        for (variable, value) in cases {
            let found = error(key.merging([variable: value]) { $1 })
            #expect(found?.variable == variable, "\(variable)=\(value)")
            #expect(found?.description.hasPrefix(variable) == true)
        }
    }

    @Test func plainHTTPIsAllowedToLoopbackOnly() throws {
        for url in ["http://127.0.0.1:8080/jwks.json", "http://localhost/jwks.json", "http://[::1]:9/jwks"] {
            #expect(try ClerkConfiguration(environment: ["CLERK_JWKS_URL": url]).jwksURL != nil, "\(url)")
        }
    }

    /// The secret key goes to api.clerk.com only.
    @Test func backendAPIJWKSSendsTheSecretKey() throws {
        let configuration = try ClerkConfiguration(environment: [
            "CLERK_JWKS_URL": "https://api.clerk.com/v1/jwks", "CLERK_SECRET_KEY": "sk_test_123",
        ])
        #expect(configuration.jwksHeaders == ["Authorization": "Bearer sk_test_123"])
        #expect(error(["CLERK_JWKS_URL": "https://api.clerk.com/v1/jwks"])?.variable == "CLERK_SECRET_KEY")
        let frontend = try ClerkConfiguration(environment: [
            "CLERK_JWKS_URL": "https://clerk.example.com/.well-known/jwks.json", "CLERK_SECRET_KEY": "sk_test_123",
        ])
        #expect(frontend.jwksHeaders == [:])
    }

    /// Env files often hold the PEM on one line with `\n` escapes, or with spaces for newlines.
    @Test func pemOnOneLineIsRepaired() async throws {
        let escaped = TestKeys.publicA.trimmingCharacters(in: .newlines).replacingOccurrences(of: "\n", with: "\\n")
        let spaced = TestKeys.publicA.replacingOccurrences(of: "\n", with: " ")
        for pem in [escaped, spaced] {
            let configuration = try ClerkConfiguration(environment: ["CLERK_JWT_KEY": pem])
            let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: RecordingHTTPClient(.failure))
            _ = try await verifier.verify(tokenA(), now: now)
        }
    }

    @Test func verifierRejectsABadConfigurationBuiltInCode() {
        #expect(throws: ClerkConfigurationError.self) {
            try SessionTokenVerifier(configuration: ClerkConfiguration(), httpClient: RecordingHTTPClient(.failure))
        }
        #expect(throws: ClerkConfigurationError.self) {
            try SessionTokenVerifier(configuration: ClerkConfiguration(jwtKeyPEM: "nope"), httpClient: RecordingHTTPClient(.failure))
        }
        #expect(throws: ClerkConfigurationError.self) {
            try SessionTokenVerifier(
                configuration: ClerkConfiguration(jwtKeyPEM: TestKeys.publicA, roleClaimPath: ""), httpClient: RecordingHTTPClient(.failure))
        }
    }
}
