import Crypto

/// A compact JWS (RFC 7515 §7.1) split and decoded, nothing verified yet.
struct CompactJWS {
    /// The header's members.
    var header: [String: JSONValue]
    /// The payload bytes, parsed only after the signature checks out.
    var payload: [UInt8]
    /// `base64url(header).base64url(payload)` as received: what the signature covers.
    var signingInput: [UInt8]
    var signature: [UInt8]

    /// Exactly three base64url parts, the first a JSON object that names each member once.
    /// Size is checked by the caller.
    init(_ token: String) throws(AuthError) {
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw AuthError(.malformed, "a session token has three dot-separated parts")
        }
        guard let headerBytes = Base64URL.decode(String(decoding: parts[0], as: UTF8.self)),
              let payload = Base64URL.decode(String(decoding: parts[1], as: UTF8.self)),
              let signature = Base64URL.decode(String(decoding: parts[2], as: UTF8.self))
        else {
            throw AuthError(.malformed, "a token part is not base64url")
        }
        guard let header = JSONValue.objectWithUniqueNames(from: headerBytes) else {
            throw AuthError(.malformed, "the token header is not a JSON object with unique member names")
        }
        self.header = header
        self.payload = payload
        self.signingInput = Array(parts[0]) + [UInt8(ascii: ".")] + Array(parts[1])
        self.signature = signature
    }
}
