import Clerk
import RPC
import Transport

/// Where a request carries its Clerk session token (`authorization: Bearer …` or the
/// `__session` cookie), read from the head alone: a request that needs one and has none is
/// refused before its body is read. `ClerkAuthenticator` verifies the token itself later.
struct SessionCredentials: Sendable {
    static let missingMessage = "a Clerk session token is required"

    let cookieWrites: CookieWriteCheck

    var check: RPCServer.Credentials {
        RPCServer.Credentials(missingMessage: Self.missingMessage, refuseWrite: self.cookieWrites.refusal) { headers in
            Self.token(authorization: headers["authorization"], cookies: headers.values(for: "cookie")) != nil
        }
    }

    /// The token, from the bearer header or else the `__session` cookie. RFC 9113 §8.2.3: a
    /// client may split the cookie header into several fields.
    static func token(authorization: String?, cookies: [String]) -> String? {
        BearerToken.extract(authorization: authorization, cookie: cookies.isEmpty ? nil : cookies.joined(separator: "; "))
    }

    /// The gate of REST endpoints that need a session token (all of them writes).
    func refuseWithout(_ head: RequestHead) -> RESTResponse? {
        guard Self.token(authorization: head.headers["authorization"], cookies: head.headers.values(for: "cookie")) != nil
        else { return .error(RPCError(.unauthenticated, Self.missingMessage)) }
        return self.cookieWrites.refusal(head).map { .error($0) }
    }
}
