import Testing

@testable import Crypto

@Suite struct JWTSignerTests {
    /// The same claims through PyJWT: jwt.encode({"sub":"u1","exp":1700000000}, "secret-key",
    /// algorithm="HS256"), whose JSON has no spaces, as the payload bytes here.
    @Test func hs256MatchesPyJWTByteForByte() {
        let token = JWTSigner.hs256(
            payload: Array(#"{"sub":"u1","exp":1700000000}"#.utf8), secret: Array("secret-key".utf8))
        #expect(token == "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImV4cCI6MTcwMDAwMDAwMH0.f0z0_dPxr_MTglptbggzZ48IYbQXsaVU2AANY2PSDww")
    }
}
