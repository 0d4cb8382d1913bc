import Foundation

/// `CLERK_PUBLISHABLE_KEY`: `pk_test_` or `pk_live_`, then the base64 of the instance's Frontend
/// API host followed by `$` (`clerk.example.com$`, `happy-otter-12.clerk.accounts.dev$`), as
/// Clerk's SDKs build and parse it. The key is public (every frontend ships it); the server
/// reads only the host, to find the JWKS without a setting of its own.
struct PublishableKey {
    /// The Frontend API's JWKS, public: `https://<host>/.well-known/jwks.json`, the host
    /// lowercased and a DNS name (never a port, a path or a user).
    let jwksURL: URL

    /// Every refusal names the variable and says what is wrong, not what the key holds beyond
    /// the host it encodes.
    init(_ text: String) throws(ClerkConfigurationError) {
        guard let prefix = ["pk_test_", "pk_live_"].first(where: { text.hasPrefix($0) }) else {
            throw Self.refusal("must start with pk_test_ or pk_live_")
        }
        let encoded = text.dropFirst(prefix.count)
        // Clerk encodes with btoa (standard alphabet, padded); padding is optional here, as
        // the SDKs' atob does not insist on it either.
        let padded = encoded + String(repeating: "=", count: (4 - encoded.count % 4) % 4)
        guard let bytes = Data(base64Encoded: String(padded)), let decoded = String(data: bytes, encoding: .utf8) else {
            throw Self.refusal("is not pk_test_ or pk_live_ followed by base64")
        }
        guard decoded.hasSuffix("$") else {
            throw Self.refusal("does not encode a Frontend API host followed by $")
        }
        let host = String(decoded.dropLast()).lowercased()
        guard Self.isHostName(host), let url = URL(string: "https://\(host)/.well-known/jwks.json") else {
            throw Self.refusal("encodes \(host.debugDescription), which is not a host name (no port, path or $)")
        }
        self.jwksURL = url
    }

    /// At least two dot-separated labels of letters, digits and inner hyphens, 1–63 characters
    /// each and 253 in all (RFC 1123 §2.1): what a Frontend API host is. Anything else (a port,
    /// a path, a second `$`) means the key is not Clerk's, and would make a URL we cannot trust.
    static func isHostName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count <= 253, labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
        }
    }

    private static func refusal(_ problem: String) -> ClerkConfigurationError {
        ClerkConfigurationError(variable: "CLERK_PUBLISHABLE_KEY", problem)
    }
}
