internal import COpenSSL

/// HMAC-SHA256 (RFC 2104) for webhook signatures (Calendly, Stream) and HS256 tokens.
public enum HMACSHA256 {
    public static let byteCount = 32

    /// The 32-byte MAC of `message` under `key`. Any key length is valid, the empty key included
    /// (HMAC pads or hashes it), so this fails only on allocation failure (see `OpenSSLFailure`).
    /// Compare MACs with `ConstantTime.equals`, never `==`.
    public static func authenticate(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        // A non-NULL key pointer even for an empty key: HMAC() reads NULL as "no key given".
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBytes { keyBuffer in
            message.withUnsafeBytes { messageBuffer in
                mac.withUnsafeMutableBufferPointer { output in
                    HMAC(
                        EVP_sha256(), keyBuffer.baseAddress, Int32(key.count),
                        messageBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBuffer.count,
                        output.baseAddress, &length)
                }
            }
        }
        OpenSSLFailure.check(result != nil && length == UInt32(byteCount), "HMAC(SHA-256)")
        return mac
    }

    public static func authenticate(key: String, message: String) -> [UInt8] {
        authenticate(key: Array(key.utf8), message: Array(message.utf8))
    }
}
