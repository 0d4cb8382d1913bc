import COpenSSL
import Crypto
import Foundation

/// Signs test tokens. `Crypto` only verifies RS256, so the private-key side is here, straight on
/// OpenSSL's EVP_DigestSign: an independent path from the one under test, sharing only the
/// library.
public enum TokenMinter {
    public enum Signing: Sendable {
        case rs256(privateKeyPEM: String)
        case rs384(privateKeyPEM: String)
        /// HMAC-SHA256 with these bytes as the secret (the classic attack passes the PEM public key).
        case hs256(secret: [UInt8])
        /// An empty signature, as `alg: none` tokens have.
        case unsigned
        /// Garbage of the right length for a 2048-bit key.
        case garbage
    }

    public static func mint(header: [String: Any], claims: [String: Any], signing: Signing) -> String {
        let headerJSON = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let claimsJSON = try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let signingInput = Base64URL.encode(Array(headerJSON)) + "." + Base64URL.encode(Array(claimsJSON))
        let message = Array(signingInput.utf8)
        let signature: [UInt8]
        switch signing {
        case .rs256(let pem): signature = sign(message, privateKeyPEM: pem, digest: EVP_sha256())
        case .rs384(let pem): signature = sign(message, privateKeyPEM: pem, digest: EVP_sha384())
        case .hs256(let secret): signature = HMACSHA256.authenticate(key: secret, message: message)
        case .unsigned: signature = []
        case .garbage: signature = [UInt8](repeating: 0x5a, count: 256)
        }
        return signingInput + "." + Base64URL.encode(signature)
    }

    public static func rs256Signature(_ message: [UInt8], privateKeyPEM: String) -> [UInt8] {
        sign(message, privateKeyPEM: privateKeyPEM, digest: EVP_sha256())
    }

    /// RSASSA-PKCS1-v1_5 over `message` with `digest`. Test code: a failure is a broken fixture,
    /// so it traps.
    static func sign(_ message: [UInt8], privateKeyPEM: String, digest: OpaquePointer?) -> [UInt8] {
        let pem = Array(privateKeyPEM.utf8)
        // A memory BIO reads the caller's buffer in place, so the key is read while the
        // buffer's pointer is still valid; an optimized build frees `pem` right after.
        let key = pem.withUnsafeBytes { buffer -> OpaquePointer? in
            let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count))
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else { fatalError("test private key") }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        precondition(EVP_DigestSignInit(context, nil, digest, nil, key) == 1)
        var length = 0
        precondition(EVP_DigestSign(context, nil, &length, message, message.count) == 1)
        var signature = [UInt8](repeating: 0, count: length)
        precondition(EVP_DigestSign(context, &signature, &length, message, message.count) == 1)
        return Array(signature.prefix(length))
    }
}
