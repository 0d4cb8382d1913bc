import RPC
import Testing
import Transport

@testable import CallBookingApp

/// "Cookies are not CSRF": a cookie-authenticated write must come from a trusted origin.
struct CookieWriteCheckTests {
    static let check = CookieWriteCheck(trustedOrigins: CORSPolicy(allowedOrigins: ["https://app.loop.example"]))

    static func head(_ headers: [(String, String)], authority: String = "api.loop.example") -> RequestHead {
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(name, value) }
        return RequestHead(version: .http1_1, method: "POST", path: "/api/v1/calls", authority: authority, headers: fields)
    }

    static let cookie = ("cookie", "theme=dark; __session=eyJ.token.sig")

    @Test func aCrossSiteOrNonJSONCookieWriteIsRefused() {
        let refused: [[(String, String)]] = [
            [Self.cookie, ("content-type", "text/plain"), ("origin", "https://evil.example")],
            [Self.cookie, ("content-type", "text/plain"), ("sec-fetch-site", "same-origin")],
            [Self.cookie, ("content-type", "application/json"), ("origin", "https://evil.example")],
            [Self.cookie, ("content-type", "application/json"), ("sec-fetch-site", "cross-site")],
            [Self.cookie, ("content-type", "application/json")],
            [Self.cookie, ("content-type", "application/json"), ("origin", "https://api.loop.example.evil.example")],
            [Self.cookie, ("content-type", "application/jsonp"), ("origin", "https://api.loop.example")],
            [Self.cookie, ("content-type", "multipart/form-data; boundary=x"), ("origin", "https://app.loop.example")],
            [Self.cookie, ("content-type", "application/json"), ("origin", "https://app.loop.example.evil.example")],
            [Self.cookie, ("content-type", "application/json"), ("origin", "null")],
        ]
        for headers in refused {
            #expect(Self.check.refusal(Self.head(headers))?.code == .permissionDenied, "\(headers)")
        }
    }

    @Test func aTrustedOriginProtocolCookieWriteAndEveryBearerRequestPass() {
        let passed: [[(String, String)]] = [
            [Self.cookie, ("content-type", "application/json; charset=utf-8"), ("sec-fetch-site", "same-origin")],
            [Self.cookie, ("content-type", "Application/JSON"), ("origin", "https://api.loop.example")],
            [Self.cookie, ("authorization", "Bearer eyJ.other.sig"), ("content-type", "text/plain"),
             ("origin", "https://evil.example")],
            [("authorization", "Bearer eyJ.other.sig")],
            [("content-type", "text/plain")],  // no credentials: UNAUTHENTICATED is someone else's answer
            [Self.cookie, ("content-type", "application/json"), ("origin", "https://app.loop.example")],
            [Self.cookie, ("content-type", "application/proto"), ("origin", "https://APP.loop.example:443")],
            [Self.cookie, ("content-type", "application/grpc-web-text"), ("sec-fetch-site", "same-origin")],
        ]
        for headers in passed {
            #expect(Self.check.refusal(Self.head(headers)) == nil, "\(headers)")
        }
    }
}
