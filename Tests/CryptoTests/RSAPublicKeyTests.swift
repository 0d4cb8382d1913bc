import Testing

@testable import Crypto

@Suite struct RSAPublicKeyTests {
    /// Splits a compact JWS into signing input and signature, as a verifier would.
    static func parts(_ token: String) throws -> (message: [UInt8], signature: [UInt8]) {
        let pieces = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(pieces.count == 3)
        let signature = try #require(Base64URL.decode(pieces[2]))
        return (Array("\(pieces[0]).\(pieces[1])".utf8), signature)
    }

    @Test func verifiesATokenSignedByPyJWT() throws {
        let key = try RSAPublicKey(pem: Fixtures.publicKeySPKI)
        #expect(key.bits == 2048)
        let (message, signature) = try Self.parts(Fixtures.token)
        #expect(key.verifyRS256(signature: signature, message: message))
    }

    @Test func rejectsATokenWhosePayloadWasEdited() throws {
        let key = try RSAPublicKey(pem: Fixtures.publicKeySPKI)
        let (message, signature) = try Self.parts(Fixtures.tamperedToken)
        #expect(!key.verifyRS256(signature: signature, message: message))
    }

    @Test func rejectsAFlippedSignatureBitAndWrongLengths() throws {
        let key = try RSAPublicKey(pem: Fixtures.publicKeySPKI)
        let (message, signature) = try Self.parts(Fixtures.token)
        var flipped = signature
        flipped[100] ^= 0x01
        #expect(!key.verifyRS256(signature: flipped, message: message))
        #expect(!key.verifyRS256(signature: Array(signature.dropLast()), message: message))
        #expect(!key.verifyRS256(signature: signature + [0], message: message))
        #expect(!key.verifyRS256(signature: [], message: message))
        #expect(!key.verifyRS256(signature: [UInt8](repeating: 0, count: 256), message: message))
    }

    @Test func readsThePKCS1PEMStructureToo() throws {
        let key = try RSAPublicKey(pem: Fixtures.publicKeyPKCS1)
        let (message, signature) = try Self.parts(Fixtures.token)
        #expect(key.verifyRS256(signature: signature, message: message))
    }

    @Test func jwkModulusAndExponentImportTheSameKeyAsThePEM() throws {
        let key = try RSAPublicKey(jwkModulus: Fixtures.jwkN, exponent: Fixtures.jwkE)
        #expect(key.bits == 2048)
        let (message, signature) = try Self.parts(Fixtures.token)
        #expect(key.verifyRS256(signature: signature, message: message))
        let (tamperedMessage, tamperedSignature) = try Self.parts(Fixtures.tamperedToken)
        #expect(!key.verifyRS256(signature: tamperedSignature, message: tamperedMessage))
    }

    @Test func rejectsPEMThatIsNotAnRSAPublicKey() {
        #expect(throws: CryptoError.self) { try RSAPublicKey(pem: "") }
        #expect(throws: CryptoError.self) { try RSAPublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
        // An EC P-256 public key (openssl ecparam -genkey -name prime256v1 | openssl ec -pubout).
        let ec = """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEc9twoCZEEWqFS34Tgc8TFgEnipWd
            oju81eVEEdaWc3JJmZOlKp7Sh5ZacIv6rftreFj7nXOLm+7C8EWD7xiTww==
            -----END PUBLIC KEY-----
            """
        #expect(throws: CryptoError.self) { try RSAPublicKey(pem: ec) }
    }

    @Test func rejectsJWKValuesThatCannotBeAKey() throws {
        #expect(throws: CryptoError.self) { try RSAPublicKey(jwkModulus: "not base64!", exponent: "AQAB") }
        #expect(throws: CryptoError.self) { try RSAPublicKey(jwkModulus: Fixtures.jwkN, exponent: "") }
        #expect(throws: CryptoError.self) { try RSAPublicKey(jwkModulus: Fixtures.jwkN, exponent: "AQ") }   // e = 1
        #expect(throws: CryptoError.self) { try RSAPublicKey(jwkModulus: Fixtures.jwkN, exponent: "AAE") }  // e = 1, padded
        #expect(throws: CryptoError.self) { try RSAPublicKey(jwkModulus: Fixtures.jwkN, exponent: "AQAA") } // even
        // A 1024-bit modulus is below RFC 7518's minimum.
        let short = Base64URL.encode([0xc1] + [UInt8](repeating: 0x55, count: 126) + [0x01])
        #expect(throws: CryptoError.self) { try RSAPublicKey(jwkModulus: short, exponent: "AQAB") }
    }
}
