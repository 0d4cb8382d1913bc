/// Compact JWTs we sign ourselves: HS256 only, for Stream Video user tokens, which Stream
/// verifies with the shared API secret (providers.md). Verification of Clerk's RS256 tokens is
/// in `Clerk`; nothing here verifies.
public enum JWTSigner {
    /// The fixed header, in the key order PyJWT and jsonwebtoken emit, so tokens are byte for
    /// byte comparable with theirs in tests.
    static let hs256Header = #"{"alg":"HS256","typ":"JWT"}"#

    /// `base64url(header).base64url(payload).base64url(HMAC-SHA256(secret, first two parts))`.
    /// `payload` is the claims object already serialised as JSON (Crypto has no Foundation; the
    /// caller's JSONSerialization or JSONEncoder produces it).
    public static func hs256(payload: [UInt8], secret: [UInt8]) -> String {
        let signingInput = Base64URL.encode(Array(hs256Header.utf8)) + "." + Base64URL.encode(payload)
        let mac = HMACSHA256.authenticate(key: secret, message: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(mac)
    }
}
