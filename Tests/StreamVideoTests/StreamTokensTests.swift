import Crypto
import Foundation
import Testing

@testable import StreamVideo

/// Tokens are checked the way Stream checks them: HS256 over `header.payload` with the secret,
/// then the claims. (Tests/Interop checks them again with PyJWT, an independent library.)
@Suite struct StreamTokensTests {
    static let secret = "stream-test-secret"

    /// (header, claims) of a compact HS256 JWT after checking its MAC with `secret`.
    static func verify(_ token: String, secret: String) throws -> (header: [String: Any], claims: [String: Any]) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        try #require(parts.count == 3)
        let mac = HMACSHA256.authenticate(key: Array(secret.utf8), message: Array("\(parts[0]).\(parts[1])".utf8))
        #expect(Base64URL.encode(mac) == parts[2], "signature")
        func object(_ part: String) throws -> [String: Any] {
            let bytes = try #require(Base64URL.decode(part))
            return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        }
        return (try object(parts[0]), try object(parts[1]))
    }

    @Test func aCallTokenCarriesTheUserTheCallTheRoleAndItsLifetime() throws {
        let claims = StreamTokens.CallClaims(
            userID: "user_2abc", callCIDs: ["default:6f1c2a3b-0000-4000-8000-0000000000aa"], role: "host",
            issuedAt: Date(timeIntervalSince1970: 1_718_031_595.4), expiresAt: Date(timeIntervalSince1970: 1_718_035_200))
        let token = StreamTokens.callToken(claims, secret: Self.secret)
        let (header, payload) = try Self.verify(token, secret: Self.secret)
        #expect(header["alg"] as? String == "HS256" && header["typ"] as? String == "JWT")
        #expect(payload["user_id"] as? String == "user_2abc")
        #expect(payload["call_cids"] as? [String] == ["default:6f1c2a3b-0000-4000-8000-0000000000aa"])
        #expect(payload["role"] as? String == "host")
        #expect((payload["iat"] as? NSNumber)?.int64Value == 1_718_031_595)
        #expect((payload["exp"] as? NSNumber)?.int64Value == 1_718_035_200)
        #expect(payload["nbf"] == nil)
        #expect(Set(payload.keys) == ["user_id", "call_cids", "role", "iat", "exp"])
    }

    @Test func anyUserIDComesBackAsItWentInAndKeysAreSorted() throws {
        let odd = "user_\"quoted\"\\back/slash\n\u{1}é😀"
        let claims = StreamTokens.CallClaims(
            userID: odd, callCIDs: ["a:1", "b:2"], role: "call_member", issuedAt: Date(timeIntervalSince1970: 10),
            expiresAt: Date(timeIntervalSince1970: 20))
        let token = StreamTokens.callToken(claims, secret: Self.secret)
        let (_, payload) = try Self.verify(token, secret: Self.secret)
        #expect(payload["user_id"] as? String == odd)
        #expect(payload["call_cids"] as? [String] == ["a:1", "b:2"])
        let body = try #require(Base64URL.decode(String(token.split(separator: ".")[1])))
        #expect(String(decoding: body, as: UTF8.self).hasPrefix(#"{"call_cids":["a:1","b:2"],"exp":20,"iat":10,"role":"call_member","user_id":"#))
    }

    @Test func aTokenSignedWithAnotherSecretDoesNotVerify() throws {
        let token = StreamTokens.serverToken(secret: "another")
        let parts = token.split(separator: ".").map(String.init)
        let mac = HMACSHA256.authenticate(key: Array(Self.secret.utf8), message: Array("\(parts[0]).\(parts[1])".utf8))
        #expect(Base64URL.encode(mac) != parts[2])
    }

    @Test func theServerTokenSaysServer() throws {
        let (_, claims) = try Self.verify(StreamTokens.serverToken(secret: Self.secret), secret: Self.secret)
        #expect(claims["server"] as? Bool == true)
        #expect(claims.count == 1)
    }
}
