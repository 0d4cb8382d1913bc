internal import COpenSSL

/// SHA-256 (FIPS 180-4) through EVP, OpenSSL 3's provider-based API.
public enum SHA256 {
    public static let byteCount = 32

    /// The 32-byte digest. EVP_Digest with the built-in SHA-256 fails only when it cannot
    /// allocate, which no input can cause, so this does not throw (see `OpenSSLFailure`).
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        OpenSSLFailure.check(ok == 1 && length == UInt32(byteCount), "EVP_Digest(SHA-256)")
        return digest
    }

    public static func hash(_ text: String) -> [UInt8] { hash(Array(text.utf8)) }
}
