import Crypto
public import Foundation
import ProtoWire

/// The JWTs Stream accepts (providers.md §3.1), HS256 with the API secret.
///
/// - A call token lets one user into the listed calls only, with a call-level role: what a
///   client SDK joins with. Stream's SDKs back-date `iat` by 5 s for clock skew; we do the same
///   and set no `nbf`, so a client whose clock runs a little behind is not refused.
/// - A server token (`{"server": true}`, as stream-node signs it) authorises our REST calls.
public enum StreamTokens {
    /// What a call token says; `callCIDs` are `"<type>:<id>"`.
    public struct CallClaims: Sendable, Equatable {
        public var userID: String
        public var callCIDs: [String]
        public var role: String
        public var issuedAt: Date
        public var expiresAt: Date

        public init(userID: String, callCIDs: [String], role: String, issuedAt: Date, expiresAt: Date) {
            self.userID = userID
            self.callCIDs = callCIDs
            self.role = role
            self.issuedAt = issuedAt
            self.expiresAt = expiresAt
        }
    }

    /// `{"call_cids", "exp", "iat", "role", "user_id"}` (keys sorted) signed with `secret`.
    /// Times are whole seconds (JWT NumericDate), `iat` rounded down and `exp` up. Written with
    /// ProtoWire's `JSONWriter`: through `JSONSerialization` (bridging every value to `Any` and
    /// sorting keys as `NSString`s) a token cost more than the rest of CreateCallToken together.
    public static func callToken(_ claims: CallClaims, secret: String) -> String {
        var json = JSONWriter()
        var first = true
        json.beginObject()
        json.writeKey("call_cids", first: &first)
        json.beginArray()
        var firstCID = true
        for cid in claims.callCIDs {
            json.writeSeparator(first: &firstCID)
            json.writeString(cid)
        }
        json.endArray()
        json.writeKey("exp", first: &first)
        json.writeNumber(Int64(claims.expiresAt.timeIntervalSince1970.rounded(.up)))
        json.writeKey("iat", first: &first)
        json.writeNumber(Int64(claims.issuedAt.timeIntervalSince1970.rounded(.down)))
        json.writeKey("role", first: &first)
        json.writeString(claims.role)
        json.writeKey("user_id", first: &first)
        json.writeString(claims.userID)
        json.endObject()
        return JWTSigner.hs256(payload: json.bytes, secret: Array(secret.utf8))
    }

    /// `{"server": true}`: the token of every REST call from this service.
    public static func serverToken(secret: String) -> String {
        JWTSigner.hs256(payload: Array(#"{"server":true}"#.utf8), secret: Array(secret.utf8))
    }
}
