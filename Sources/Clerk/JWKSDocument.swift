import Crypto
import Foundation

/// Reads a JWKS (RFC 7517 §5), keeping the keys that can verify RS256: `kty` RSA with a `kid`,
/// `use` absent or `sig`, `alg` absent or `RS256`. Keys we cannot use are skipped, not fatal,
/// so one odd key (an EC key added later, say) does not take the others down.
enum JWKSDocument {
    /// A JWKS larger than this is not Clerk's (theirs hold one or two keys of ~400 bytes).
    static let maximumBytes = 256 * 1024
    /// Keys read from one document at most.
    static let maximumKeys = 64

    /// The usable keys by `kid` (the first wins on a duplicate), or nil when the body is not a
    /// JWKS or has no usable key.
    static func keys(from body: Data) -> [String: RSAPublicKey]? {
        guard body.count <= maximumBytes,
              let document = JSONValue.object(from: Array(body)),
              case .array(let entries)? = document["keys"]
        else {
            return nil
        }
        var keys: [String: RSAPublicKey] = [:]
        for entry in entries.prefix(maximumKeys) {
            guard case .object(let jwk) = entry,
                  jwk["kty"]?.string == "RSA",
                  let kid = jwk["kid"]?.string, !kid.isEmpty, keys[kid] == nil,
                  jwk["use"] == nil || jwk["use"]?.string == "sig",
                  jwk["alg"] == nil || jwk["alg"]?.string == "RS256",
                  let n = jwk["n"]?.string, let e = jwk["e"]?.string,
                  let key = try? RSAPublicKey(jwkModulus: n, exponent: e)
            else {
                continue
            }
            keys[kid] = key
        }
        return keys.isEmpty ? nil : keys
    }
}
