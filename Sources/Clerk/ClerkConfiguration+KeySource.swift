import Crypto
import Foundation
import OutboundHTTP

/// Where the keys that verify session tokens come from, as Clerk's SDKs find them.
extension ClerkConfiguration {
    /// The Backend API's JWKS; it needs `Authorization: Bearer <CLERK_SECRET_KEY>`.
    static let backendAPIJWKSURL = URL(string: "https://api.clerk.com/v1/jwks")!

    /// Reads the key source from the first of these that is set:
    ///
    /// 1. `CLERK_JWT_KEY` and/or `CLERK_JWKS_URL`, exactly as given: a setting written for this
    ///    server wins over one it would derive.
    /// 2. `CLERK_SECRET_KEY`: the Backend API's JWKS, which Clerk's backend SDKs use.
    /// 3. `CLERK_PUBLISHABLE_KEY`: its Frontend API's public `/.well-known/jwks.json`.
    ///
    /// The secret key comes before the publishable key as in Clerk's backend SDK, which loads
    /// the JWKS from the Backend API; with both set (the usual deployment) the Frontend API is
    /// not asked. A publishable key is checked even when it is not used: a malformed one is a
    /// mistake in the deployment either way. The secret key is sent to api.clerk.com only.
    mutating func readKeySource(_ value: (String) -> String?) throws(ClerkConfigurationError) {
        var publishable: PublishableKey?
        if let text = value("CLERK_PUBLISHABLE_KEY") { publishable = try PublishableKey(text) }
        if let pem = value("CLERK_JWT_KEY") {
            let normalized = Self.normalizePEM(pem)
            do {
                _ = try RSAPublicKey(pem: normalized)
            } catch {
                throw ClerkConfigurationError(
                    variable: "CLERK_JWT_KEY", "is not a PEM RSA public key of 2048 bits or more (\(error.message))")
            }
            self.jwtKeyPEM = normalized
        }
        if let text = value("CLERK_JWKS_URL") {
            self.jwksURL = try Self.jwksURL(text)
        } else if self.jwtKeyPEM == nil {
            self.jwksURL = value("CLERK_SECRET_KEY") != nil ? Self.backendAPIJWKSURL : publishable?.jwksURL
        }
        if let url = self.jwksURL, url.host?.lowercased() == Self.backendAPIJWKSURL.host {
            guard let secret = value("CLERK_SECRET_KEY") else {
                throw ClerkConfigurationError(
                    variable: "CLERK_SECRET_KEY", "is required when CLERK_JWKS_URL is the Backend API's JWKS")
            }
            self.jwksHeaders = ["Authorization": "Bearer \(secret)"]
        }
        guard self.jwtKeyPEM != nil || self.jwksURL != nil else {
            throw ClerkConfigurationError(
                variable: "CLERK_JWT_KEY",
                "is not set, nor is CLERK_JWKS_URL, CLERK_SECRET_KEY or CLERK_PUBLISHABLE_KEY: one key source is required")
        }
    }

    /// Env files and container platforms often carry a PEM on one line with literal `\n`s, or
    /// with its line breaks turned into spaces; both are put back into PEM's shape.
    static func normalizePEM(_ text: String) -> String {
        let unescaped = text.replacingOccurrences(of: "\\n", with: "\n")
        let begin = "-----BEGIN PUBLIC KEY-----", end = "-----END PUBLIC KEY-----"
        guard let start = unescaped.range(of: begin), let stop = unescaped.range(of: end),
              start.upperBound <= stop.lowerBound
        else {
            return unescaped
        }
        let body = unescaped[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        var lines = [begin]
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append(end)
        return lines.joined(separator: "\n") + "\n"
    }

    /// An absolute https URL, or http to a loopback host (tests and local fakes): a JWKS over
    /// plain http from anywhere else would let the network choose our keys.
    static func jwksURL(_ text: String) throws(ClerkConfigurationError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
              url.user == nil, url.password == nil
        else {
            throw ClerkConfigurationError(variable: "CLERK_JWKS_URL", "must be an absolute URL, not \(text.debugDescription)")
        }
        guard scheme == "https" || (scheme == "http" && ProviderBaseURL.isLoopback(host)) else {
            throw ClerkConfigurationError(variable: "CLERK_JWKS_URL", "must use https (plain http only to localhost)")
        }
        return url
    }

}
