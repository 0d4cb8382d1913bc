import Clerk
import Foundation
import RPC
import Transport

/// A browser attaches the `__session` cookie to every request to our host, including a form
/// or `fetch` that another site makes it send. So a write authenticated only by the cookie must
/// prove it comes from our own pages: a JSON body (a cross-site form can only send
/// `text/plain`, urlencoded or multipart without a preflight) and an origin we trust:
/// `Sec-Fetch-Site: same-origin`, or an `Origin` that is this server's own (scheme and the
/// request's host). `CORS_ALLOWED_ORIGINS` will widen the list when CORS exists; until then
/// the contract's default holds: cookie writes need a same-origin request. Requests with a
/// bearer token are unaffected: a site cannot make a browser attach one.
enum CookieWriteCheck {
    static let message =
        "a write authenticated by the __session cookie must be a same-origin request with content-type application/json"

    static func refusal(_ head: RequestHead) -> RPCError? {
        guard BearerToken.extract(authorization: head.headers["authorization"], cookie: nil) == nil else { return nil }
        let cookies = head.headers.values(for: "cookie")
        guard BearerToken.extract(authorization: nil, cookie: cookies.joined(separator: "; ")) != nil else { return nil }
        guard Self.isJSON(head.headers["content-type"]), Self.isSameOrigin(head) else {
            return RPCError(.permissionDenied, Self.message)
        }
        return nil
    }

    /// `application/json`, any case, parameters (charset) allowed.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    static func isSameOrigin(_ head: RequestHead) -> Bool {
        if head.headers["sec-fetch-site"]?.lowercased() == "same-origin" { return true }
        guard let origin = head.headers["origin"]?.lowercased(), let host = head.authority?.lowercased(), !host.isEmpty
        else { return false }
        return origin == "https://\(host)" || origin == "http://\(host)"
    }
}
