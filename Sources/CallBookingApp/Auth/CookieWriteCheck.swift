import Clerk
import Foundation
import RPC
import Transport

/// A browser attaches the `__session` cookie to every request to our host, including a form
/// or `fetch` that another site makes it send. So a write authenticated only by the cookie must
/// prove it comes from pages we trust: a content type of one of our protocols (a cross-site
/// form can only send `text/plain`, urlencoded or multipart without a preflight, and a
/// preflight from an untrusted origin gets no CORS headers) and an origin we trust:
/// `Sec-Fetch-Site: same-origin`, an `Origin` that is this server's own (scheme and the
/// request's host), or one of `CORS_ALLOWED_ORIGINS`. Requests with a bearer token are
/// unaffected: a site cannot make a browser attach one.
struct CookieWriteCheck: Sendable {
    /// The origins of `CORS_ALLOWED_ORIGINS`, trusted like our own.
    let trustedOrigins: CORSPolicy

    static let message =
        "a write authenticated by the __session cookie must come from this server's origin or one of CORS_ALLOWED_ORIGINS, with a JSON, Connect or gRPC-Web content type"

    /// The media types of REST (JSON), Connect and gRPC-Web. None is CORS-safelisted.
    static let protocolMediaTypes: Set<String> = [
        "application/json", "application/proto", "application/connect+proto", "application/connect+json",
        "application/grpc-web", "application/grpc-web+proto", "application/grpc-web+json",
        "application/grpc-web-text", "application/grpc-web-text+proto",
    ]

    func refusal(_ head: RequestHead) -> RPCError? {
        guard BearerToken.extract(authorization: head.headers["authorization"], cookie: nil) == nil else { return nil }
        let cookies = head.headers.values(for: "cookie")
        guard BearerToken.extract(authorization: nil, cookie: cookies.joined(separator: "; ")) != nil else { return nil }
        guard Self.isProtocolContentType(head.headers["content-type"]), self.isTrustedOrigin(head) else {
            return RPCError(.permissionDenied, Self.message)
        }
        return nil
    }

    /// One of `protocolMediaTypes`, any case, parameters (charset) allowed.
    static func isProtocolContentType(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return Self.protocolMediaTypes.contains(mediaType.trimmingCharacters(in: .whitespaces).lowercased())
    }

    func isTrustedOrigin(_ head: RequestHead) -> Bool {
        if head.headers["sec-fetch-site"]?.lowercased() == "same-origin" { return true }
        guard let origin = head.headers["origin"]?.lowercased() else { return false }
        if self.trustedOrigins.allows(origin: origin) { return true }
        guard let host = head.authority?.lowercased(), !host.isEmpty else { return false }
        return origin == "https://\(host)" || origin == "http://\(host)"
    }
}
