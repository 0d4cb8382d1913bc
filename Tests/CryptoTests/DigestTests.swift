import Testing
import TestSupport

@testable import Crypto

@Suite struct DigestTests {
    @Test func sha256OfABCMatchesFIPS180Vector() {
        #expect(hexString(SHA256.hash("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sha256OfNothingMatchesTheKnownDigest() {
        #expect(hexString(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// RFC 4231 §4.3, test case 2: a key shorter than the block size.
    @Test func hmacMatchesRFC4231TestCase2() {
        let mac = HMACSHA256.authenticate(key: "Jefe", message: "what do ya want for nothing?")
        #expect(hexString(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    /// RFC 4231 §4.7, test case 6: a key longer than the block size is hashed first.
    @Test func hmacHashesKeysLongerThanTheBlock() {
        let mac = HMACSHA256.authenticate(
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(hexString(mac) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    /// Python: hmac.new(b"", b"", hashlib.sha256).hexdigest()
    @Test func hmacAcceptsAnEmptyKeyAndMessage() {
        #expect(hexString(HMACSHA256.authenticate(key: [], message: []))
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func constantTimeEqualsComparesLengthThenBytes() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
        #expect(ConstantTime.equals([], []))
    }
}
