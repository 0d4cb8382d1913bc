import Foundation
import OutboundHTTP
import Testing

/// `Retry-After` as RFC 9110 §10.2.3 writes it, and plain seconds fields such as Calendly's
/// `X-RateLimit-Reset`.
@Suite struct RetryAfterTests {
    /// Sun, 06 Nov 1994 08:49:07 GMT: RFC 9110's example date less 30 s.
    static let now = Date(timeIntervalSince1970: 784_111_747)

    static func retryAfter(_ value: String) -> Duration? {
        OutboundResponse(status: 429, headers: ["Retry-After": value], body: Data()).retryAfter(now: Self.now)
    }

    @Test func delaySecondsAndEachHTTPDateFormAreRead() {
        #expect(Self.retryAfter("120") == .seconds(120))
        #expect(Self.retryAfter(" 0 ") == .zero)
        #expect(Self.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT") == .seconds(30))
        #expect(Self.retryAfter("Sunday, 06-Nov-94 08:49:37 GMT") == .seconds(30))
        #expect(Self.retryAfter("Sun Nov  6 08:49:37 1994") == .seconds(30))
    }

    @Test func aDatePastIsNoWaitAndAnythingElseIsNothing() {
        #expect(Self.retryAfter("Sun, 06 Nov 1994 08:00:00 GMT") == .zero)
        for value in ["-5", "1.5", "soon", "", "Sun, 06 Nov 1994 08:49:37 PST"] {
            #expect(Self.retryAfter(value) == nil, "\(value)")
        }
        #expect(OutboundResponse(status: 429, body: Data()).retryAfter(now: Self.now) == nil)
    }

    @Test func aSecondsFieldIsReadInAnyCase() {
        let response = OutboundResponse(status: 429, headers: ["x-ratelimit-reset": "42", "X-Other": "x"], body: Data())
        #expect(response.seconds("X-RateLimit-Reset") == .seconds(42))
        #expect(response.seconds("X-Other") == nil)
        #expect(response.seconds("X-Missing") == nil)
    }
}
