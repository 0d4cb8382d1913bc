import Foundation
import Testing

@testable import Clerk

/// A publishable key as Clerk's dashboard shows it: the prefix, then base64 of `text`.
func publishableKey(_ prefix: String = "pk_test_", encoding text: String) -> String {
    prefix + Data(text.utf8).base64EncodedString()
}

@Suite struct PublishableKeyTests {
    @Test func testAndLiveKeysNameTheirFrontendAPIsJWKS() throws {
        let development = try PublishableKey(publishableKey("pk_test_", encoding: "happy-otter-12.clerk.accounts.dev$"))
        #expect(development.jwksURL.absoluteString == "https://happy-otter-12.clerk.accounts.dev/.well-known/jwks.json")
        let production = try PublishableKey(publishableKey("pk_live_", encoding: "clerk.example.com$"))
        #expect(production.jwksURL.absoluteString == "https://clerk.example.com/.well-known/jwks.json")
    }

    @Test func paddingIsOptionalAndTheHostIsLowercased() throws {
        let padded = publishableKey(encoding: "Clerk.Example.io$")
        #expect(padded.hasSuffix("="))
        let unpadded = padded.replacingOccurrences(of: "=", with: "")
        #expect(try PublishableKey(unpadded).jwksURL.absoluteString == "https://clerk.example.io/.well-known/jwks.json")
    }

    @Test(arguments: ["pk_prod_Y2xlcmsuZXhhbXBsZS5jb20k", "sk_test_Y2xlcmsuZXhhbXBsZS5jb20k", "pk_test", "Y2xlcmsuZXhhbXBsZS5jb20k"])
    func aKeyWithoutTheTestOrLivePrefixIsRefused(text: String) {
        #expect(refusal(text)?.contains("pk_test_ or pk_live_") == true)
    }

    @Test(arguments: ["pk_test_!!!!", "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k Y", "pk_live_Y", "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k_x"])
    func aKeyThatIsNotBase64IsRefused(text: String) {
        #expect(refusal(text)?.contains("base64") == true)
    }

    @Test func aKeyWithoutTheDollarIsRefused() {
        #expect(refusal(publishableKey(encoding: "clerk.example.com"))?.contains("followed by $") == true)
        #expect(refusal("pk_test_")?.contains("followed by $") == true)
    }

    /// Only a host name makes a URL we build: a port, a path, a user or a second `$` would
    /// point the JWKS fetch somewhere the key's owner did not mean.
    @Test(arguments: [
        "clerk.example.com:8443$", "clerk.example.com/keys$", "user@clerk.example.com$", "a$b.example.com$",
        "localhost$", "$", "clerk.example.com.$", "-clerk.example.com$", "clerk .example.com$", "clerk.exämple.com$",
    ])
    func aKeyWhoseHostIsNotAHostNameIsRefused(encoded: String) {
        #expect(refusal(publishableKey(encoding: encoded))?.contains("not a host name") == true, "\(encoded)")
    }

    /// The message of the refusal, which always names the variable.
    private func refusal(_ text: String) -> String? {
        do {
            _ = try PublishableKey(text)
            return nil
        } catch {
            #expect(error.variable == "CLERK_PUBLISHABLE_KEY")
            return error.message
        }
    }
}
