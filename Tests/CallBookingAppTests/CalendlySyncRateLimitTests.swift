import BookingDomain
import Calendly
import Foundation
import OutboundHTTP
import Synchronization
import Testing
import TestSupport

@testable import CallBookingApp

/// A sync round against an in-process Calendly that answers 429 (providers.md §2 "Rate
/// limits") for its first requests, on a real PostgreSQL: the round waits as long as Calendly
/// said, through an injected sleep that only records, and syncs the expert again.
@Suite struct CalendlySyncRateLimitTests {
    static let user = "https://api.calendly.com/users/HOSTUSER0001"
    static let schedules = """
        { "collection": [
          { "uri": "https://api.calendly.com/user_availability_schedules/SCHED0001", "default": true, "name": "Working hours",
            "user": "\(user)", "timezone": "Europe/Berlin",
            "rules": [ { "type": "wday", "wday": "monday", "intervals": [ { "from": "09:00", "to": "17:00" } ] } ] } ] }
        """

    /// Calendly answering `limited` (a 429 with `headers`) to its first `count` requests, then
    /// the schedule above and no busy times.
    static func calendly(limitedFor count: Int, headers: [String: String]) -> RecordingHTTPClient {
        let seen = Mutex(0)
        return RecordingHTTPClient(responses: { request in
            let index = seen.withLock { seen in
                defer { seen += 1 }
                return seen
            }
            if index < count {
                let body = #"{"title":"Too Many Requests","message":"Rate limit exceeded"}"#
                return OutboundResponse(status: 429, headers: headers, body: Data(body.utf8))
            }
            let body = request.path == "/user_availability_schedules" ? Self.schedules : #"{"collection": []}"#
            return OutboundResponse(status: 200, body: Data(body.utf8))
        })
    }

    /// What a sync slept, in order.
    final class Waits: Sendable {
        private let list = Mutex<[Duration]>([])
        func record(_ duration: Duration) { self.list.withLock { $0.append(duration) } }
        var all: [Duration] { self.list.withLock { $0 } }
    }

    /// The sync on `app`'s database; `waits` collects what it slept.
    static func sync(_ app: AppFixture, _ calendly: RecordingHTTPClient, waits: Waits) -> CalendlyAvailabilitySync {
        CalendlyAvailabilitySync(
            client: CalendlyClient(apiKey: "pat", baseURL: URL(string: "https://calendly.test")!, httpClient: calendly),
            experts: app.experts, calls: app.calls, now: { AppFixture.now }, logger: AppFixture.logger,
            sleep: { duration in waits.record(duration) })
    }

    @Test(arguments: [
        ["Retry-After": "7", "X-RateLimit-Reset": "50"],
        ["X-RateLimit-Limit": "500", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "7"],
    ])
    func aRateLimitedExpertIsSyncedAgainInTheSameRoundAfterTheWaitCalendlyAsked(headers: [String: String]) async throws {
        try await AppFixture.withFresh { app in
            let first = try await app.expert(1, calendlyUserURI: Self.user)
            let second = try await app.expert(2, calendlyUserURI: Self.user + "2")
            let calendly = Self.calendly(limitedFor: 1, headers: headers)
            let waits = Waits()
            let report = try await Self.sync(app, calendly, waits: waits).syncAll()
            #expect(report.failed == [])
            #expect(Set(report.synced.map(\.expertID)) == [first, second])
            #expect(waits.all == [.seconds(7)])
            // The refused request was sent again, then the expert's busy times were fetched.
            let paths = calendly.recorded.map(\.path)
            #expect(Array(paths.prefix(3)) == ["/user_availability_schedules", "/user_availability_schedules", "/user_busy_times"])
            #expect(try await app.experts.find(first)?.timeZone == "Europe/Berlin")
        }
    }

    @Test func aResetLongerThanARoundWaitsFailsTheExpertWithoutWaiting() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert(1, calendlyUserURI: Self.user)
            let waits = Waits()
            let report = try await Self.sync(app, Self.calendly(limitedFor: 1, headers: ["Retry-After": "600"]), waits: waits).syncAll()
            #expect(waits.all == [])
            #expect(report.failed.map(\.expertID) == [expert])
            #expect(report.failed.first?.message.contains("resets in 600 s, longer than the 120 s a round waits") == true)
            #expect(try await app.experts.find(expert)?.timeZone == "UTC", "the expert is left as they were")
        }
    }

    @Test func anExpertStillLimitedAfterThreeWaitsFails() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert(1, calendlyUserURI: Self.user)
            let calendly = Self.calendly(limitedFor: .max, headers: ["X-RateLimit-Reset": "2"])
            let waits = Waits()
            let report = try await Self.sync(app, calendly, waits: waits).syncAll()
            #expect(waits.all == [.seconds(2), .seconds(2), .seconds(2)])
            #expect(calendly.requestCount == 4)
            #expect(report.failed.map(\.expertID) == [expert])
            #expect(report.failed.first?.message.contains("HTTP 429") == true)
            #expect(report.failed.first?.message.contains("still rate-limited after 3 waits") == true)
        }
    }

    @Test func theOnDemandSyncOfOneExpertDoesNotWaitButSaysWhenToRetry() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert(1, calendlyUserURI: Self.user)
            let waits = Waits()
            let outcome = try await Self.sync(app, Self.calendly(limitedFor: 1, headers: ["Retry-After": "7"]), waits: waits).sync(expert)
            guard case .failure(let failure)? = outcome else {
                Issue.record("expected a failure, got \(String(describing: outcome))")
                return
            }
            #expect(waits.all == [])
            #expect(failure.rpcError.code == .unavailable && failure.rpcError.retryAfterSeconds == 7)
        }
    }

    @Test func shutdownEndsTheWaitAndTheRound() async throws {
        try await AppFixture.withFresh { app in
            _ = try await app.expert(1, calendlyUserURI: Self.user)
            _ = try await app.expert(2, calendlyUserURI: Self.user + "2")
            let calendly = Self.calendly(limitedFor: .max, headers: ["Retry-After": "100"])
            var sync = Self.sync(app, calendly, waits: Waits())
            sync.sleep = { try await Task.sleep(for: $0) }
            let started = ContinuousClock.now
            let round = Task { [sync] in try await sync.syncAll() }
            while calendly.requestCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(100))
            round.cancel()
            let report = try await round.value
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(calendly.requestCount == 1, "the second expert is not started after shutdown")
            #expect(report.synced == [] && report.failed.map(\.message) == ["stopped while waiting for Calendly's rate limit to reset"])
        }
    }
}
