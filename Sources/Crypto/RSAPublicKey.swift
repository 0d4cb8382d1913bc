internal import COpenSSL

/// An RSA public key for RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3), owning one
/// `EVP_PKEY` that is freed in `deinit`.
///
/// `@unchecked Sendable` because of this invariant: the `EVP_PKEY` is never mutated after `init`
/// returns (no setter reaches it), and OpenSSL 3 documents a key as safe to share between
/// threads for read-only use, each operation having its own `EVP_MD_CTX` (see
/// openssl-threads(7), "Objects"). `verifyRS256` creates and frees its context per call.
public final class RSAPublicKey: @unchecked Sendable {
    /// RFC 7518 §3.3 requires 2048 bits or more; the upper bound keeps a hostile JWKS from making
    /// each verification arbitrarily slow.
    public static let allowedModulusBits = 2048...16384

    private let key: OpaquePointer

    /// Takes ownership of `key`, after checking it is RSA of an allowed size.
    private init(owning key: OpaquePointer) throws(CryptoError) {
        self.key = key   // owned from here: deinit frees it even when a check below throws
        guard EVP_PKEY_is_a(key, "RSA") == 1 else {
            throw CryptoError("not an RSA key")
        }
        let bits = Int(EVP_PKEY_get_bits(key))
        guard Self.allowedModulusBits.contains(bits) else {
            throw CryptoError("RSA modulus of \(bits) bits is outside \(Self.allowedModulusBits)")
        }
    }

    deinit { EVP_PKEY_free(self.key) }

    /// The modulus size, 2048 for Clerk's keys.
    public var bits: Int { Int(EVP_PKEY_get_bits(self.key)) }

    /// A PEM public key: SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`, what Clerk's dashboard shows
    /// as the JWT public key) or PKCS#1 (`BEGIN RSA PUBLIC KEY`). OSSL_DECODER tries both
    /// structures, restricted to RSA public keys.
    public convenience init(pem: String) throws(CryptoError) {
        var decoded: OpaquePointer? = nil
        guard let decoder = OSSL_DECODER_CTX_new_for_pkey(
            &decoded, c_openssl_name_pem(), nil, c_openssl_name_rsa(), c_openssl_selection_public_key(), nil, nil)
        else {
            throw CryptoError("cannot create a PEM decoder: \(OpenSSLFailure.drain())")
        }
        defer { OSSL_DECODER_CTX_free(decoder) }
        var bytes = Array(pem.utf8)
        let ok = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var pointer: UnsafePointer<UInt8>? = UnsafePointer(buffer.baseAddress)
            var length = buffer.count
            return OSSL_DECODER_from_data(decoder, &pointer, &length)
        }
        guard ok == 1, let key = decoded else {
            EVP_PKEY_free(decoded)
            throw CryptoError("not a PEM RSA public key: \(OpenSSLFailure.drain())")
        }
        try self.init(owning: key)
    }

    /// A key from its big-endian modulus and public exponent, as a JWK carries them (RFC 7518
    /// §6.3.1), built with OSSL_PARAM_BLD + EVP_PKEY_fromdata.
    public convenience init(modulus: [UInt8], exponent: [UInt8]) throws(CryptoError) {
        // An exponent of 1 or an even one makes every "signature" trivial or the key invalid.
        guard let lastExponentByte = exponent.last, lastExponentByte & 1 == 1,
              exponent.contains(where: { $0 != 0 }), exponent.count <= 8,
              !(exponent.drop(while: { $0 == 0 }).elementsEqual([1]))
        else {
            throw CryptoError("RSA public exponent must be an odd number above 1 of at most 64 bits")
        }
        guard !modulus.isEmpty, modulus.count <= Self.allowedModulusBits.upperBound / 8 + 1 else {
            throw CryptoError("RSA modulus of \(modulus.count) bytes is out of range")
        }
        let key = try Self.fromData(modulus: modulus, exponent: exponent)
        try self.init(owning: key)
    }

    /// A key from a JWK's base64url `n` and `e` members.
    public convenience init(jwkModulus n: String, exponent e: String) throws(CryptoError) {
        guard let modulus = Base64URL.decode(n) else { throw CryptoError("JWK n is not base64url") }
        guard let exponent = Base64URL.decode(e) else { throw CryptoError("JWK e is not base64url") }
        try self.init(modulus: modulus, exponent: exponent)
    }

    private static func fromData(modulus: [UInt8], exponent: [UInt8]) throws(CryptoError) -> OpaquePointer {
        // Each temporary C object lives only in this function and is freed by its defer. The
        // parameter names come from the shim: OSSL_PARAM keeps the name pointer (see shim.h).
        guard let builder = OSSL_PARAM_BLD_new() else {
            throw CryptoError("OSSL_PARAM_BLD_new: \(OpenSSLFailure.drain())")
        }
        defer { OSSL_PARAM_BLD_free(builder) }
        let n = modulus.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        defer { BN_free(n) }
        let e = exponent.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        defer { BN_free(e) }
        guard n != nil, e != nil,
              OSSL_PARAM_BLD_push_BN(builder, c_openssl_param_rsa_n(), n) == 1,
              OSSL_PARAM_BLD_push_BN(builder, c_openssl_param_rsa_e(), e) == 1,
              let params = OSSL_PARAM_BLD_to_param(builder)
        else {
            throw CryptoError("cannot build RSA parameters: \(OpenSSLFailure.drain())")
        }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, c_openssl_name_rsa(), nil) else {
            throw CryptoError("EVP_PKEY_CTX_new_from_name(RSA): \(OpenSSLFailure.drain())")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_fromdata_init(context) == 1,
              EVP_PKEY_fromdata(context, &key, c_openssl_selection_public_key(), params) == 1,
              let key
        else {
            EVP_PKEY_free(key)
            throw CryptoError("not a usable RSA public key: \(OpenSSLFailure.drain())")
        }
        return key
    }

    /// True when `signature` is this key's RS256 signature of `message` (for a JWS, the ASCII
    /// bytes of `header.payload`). Any failure, a malformed signature included, is `false`.
    ///
    /// The signature must be exactly the modulus length (RFC 7518 §3.3, RFC 8017 §8.2.2 step 1);
    /// checked up front so a wrong-length input never reaches OpenSSL.
    public func verifyRS256(signature: [UInt8], message: [UInt8]) -> Bool {
        guard signature.count == (self.bits + 7) / 8 else { return false }
        guard let context = EVP_MD_CTX_new() else {
            _ = OpenSSLFailure.drain()
            return false
        }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer? = nil
        guard EVP_DigestVerifyInit(context, &keyContext, EVP_sha256(), nil, self.key) == 1,
              EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) == 1
        else {
            _ = OpenSSLFailure.drain()
            return false
        }
        let result = signature.withUnsafeBufferPointer { signatureBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                EVP_DigestVerify(
                    context, signatureBuffer.baseAddress, signatureBuffer.count,
                    messageBuffer.baseAddress, messageBuffer.count)
            }
        }
        if result != 1 {
            _ = OpenSSLFailure.drain()   // a bad signature queues an error; see OpenSSLFailure
            return false
        }
        return true
    }
}
