import Foundation
import OutboundHTTP
import Testing
import TestSupport

@testable import Calendly

/// A 429 from Calendly carries how long to wait (providers.md §2 "Rate limits").
@Suite struct CalendlyRateLimitTests {
    static func refusal(status: Int, headers: [String: String]) async -> ProviderError? {
        let fake = RecordingHTTPClient(responses: { _ in
            OutboundResponse(status: status, headers: headers, body: Data(#"{"title":"Too Many Requests","message":"slow down"}"#.utf8))
        })
        let client = CalendlyClient(apiKey: "pat", baseURL: URL(string: "https://calendly.test")!, httpClient: fake)
        do {
            _ = try await client.userAvailabilitySchedules(userURI: "https://api.calendly.com/users/U1")
            return nil
        } catch {
            return error
        }
    }

    @Test func retryAfterWinsOverTheResetAndTheResetCountsOnlyOnA429() async {
        let both = await Self.refusal(status: 429, headers: ["Retry-After": "30", "X-RateLimit-Reset": "55"])
        #expect(both?.status == 429 && both?.retryAfter == .seconds(30) && both?.isRetryable == true)
        let reset = await Self.refusal(status: 429, headers: ["X-RateLimit-Limit": "500", "X-RateLimit-Reset": "55"])
        #expect(reset?.retryAfter == .seconds(55))
        let future = Date().addingTimeInterval(3600)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let dated = await Self.refusal(status: 429, headers: ["Retry-After": formatter.string(from: future)])
        let seconds = dated?.retryAfter?.components.seconds ?? 0
        #expect((3590...3600).contains(seconds), "\(seconds)")
        // Every Calendly answer carries the reset; on a 500 it says nothing about waiting.
        #expect(await Self.refusal(status: 500, headers: ["X-RateLimit-Reset": "55"])?.retryAfter == nil)
        #expect(await Self.refusal(status: 503, headers: ["Retry-After": "5"])?.retryAfter == .seconds(5))
        #expect(await Self.refusal(status: 429, headers: [:])?.retryAfter == nil)
    }
}
