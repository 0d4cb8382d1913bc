import Testing

@testable import Crypto

@Suite struct Base64URLTests {
    /// RFC 4648 §10 vectors, with the padding removed.
    @Test func encodesRFC4648VectorsWithoutPadding() {
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test func usesTheURLSafeAlphabet() {
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
    }

    @Test func toleratesPadding() {
        #expect(Base64URL.decode("Zg==") == Array("f".utf8))
        #expect(Base64URL.decode("Zm8=") == Array("fo".utf8))
    }

    @Test func rejectsCharactersOutsideTheAlphabet() {
        #expect(Base64URL.decode("+/+/") == nil)    // standard base64, not url-safe
        #expect(Base64URL.decode("Zm9v YmFy") == nil)
        #expect(Base64URL.decode("Zm9v\nYmFy") == nil)
        #expect(Base64URL.decode("Zm9v.") == nil)
        #expect(Base64URL.decode("Zé") == nil)
    }

    @Test func rejectsImpossibleLengthsAndMisplacedPadding() {
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zm9vY") == nil)
        #expect(Base64URL.decode("Zg=") == nil)
        #expect(Base64URL.decode("Zm9v=") == nil)
        #expect(Base64URL.decode("Z===") == nil)
        #expect(Base64URL.decode("Zg=a") == nil)
    }

    /// "Zh" would decode to "f" as well as "Zg" if the spare bits were ignored.
    @Test func rejectsNonZeroTrailingBits() {
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64URL.decode("Zm9") == nil)
    }

    @Test func roundTripsEveryByteValue() {
        let bytes = (0...255).map { UInt8($0) }
        for length in 0...bytes.count {
            let slice = Array(bytes.prefix(length))
            #expect(Base64URL.decode(Base64URL.encode(slice)) == slice)
        }
    }
}
