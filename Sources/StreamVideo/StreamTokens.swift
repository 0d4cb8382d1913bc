import Crypto
public import Foundation

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

    /// `{"user_id", "call_cids", "role", "iat", "exp"}` signed with `secret`. Times are whole
    /// seconds (JWT NumericDate), `iat` rounded down and `exp` up.
    public static func callToken(_ claims: CallClaims, secret: String) -> String {
        let payload: [String: Any] = [
            "user_id": claims.userID,
            "call_cids": claims.callCIDs,
            "role": claims.role,
            "iat": Int64(claims.issuedAt.timeIntervalSince1970.rounded(.down)),
            "exp": Int64(claims.expiresAt.timeIntervalSince1970.rounded(.up)),
        ]
        return JWTSigner.hs256(payload: Self.json(payload), secret: Array(secret.utf8))
    }

    /// `{"server": true}`: the token of every REST call from this service.
    public static func serverToken(secret: String) -> String {
        JWTSigner.hs256(payload: Array(#"{"server":true}"#.utf8), secret: Array(secret.utf8))
    }

    private static func json(_ object: [String: Any]) -> [UInt8] {
        // Only strings, string arrays and integers: serialisation cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
        return Array(data ?? Data("{}".utf8))
    }
}
