import BookingAPI
import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// Issue 14, "Verified email only": who may take a booking made with only an email.
@Suite(.serialized) struct BookingClaimsTests {
    static func customer(verified: Bool, session: String = "sess_1", email: String = "bo@example.com") -> Principal {
        Principal(userID: "user_bo", role: .customer, email: email, emailVerified: verified, sessionID: session, expertID: nil)
    }

    /// A Calendly-style booking: an email, no user id.
    static func unclaimed(_ app: AppFixture, expert: ExpertID, _ start: String, email: String = "Bo@Example.com") async throws
        -> CallID
    {
        let from = Date.utc(start)
        let call = BookingDomain.Call(
            id: CallID(UUID()), expertID: expert, customer: Customer(userID: "", email: email, name: "Bo"),
            topic: "taxes", scheduledStart: from, scheduledEnd: from + 1800, createdAt: app.now, updatedAt: app.now)
        return try await app.calls.insert(app.calls.lifecycle.book(call), requestID: nil, specialty: "tax", actor: "calendly").id
    }

    static func owner(_ app: AppFixture, _ id: CallID) async throws -> String? {
        try await app.calls.find(id)?.customer.userID
    }

    static func claimEvents(_ app: AppFixture) async throws -> [String] {
        try await app.pool.withConnection { connection in
            try connection.execute(
                "SELECT actor, detail->>'email' AS email FROM calls.call_events WHERE kind = 'claimed' ORDER BY id"
            ).rows.map { "\(try $0.string("actor") ?? ""):\(try $0.string("email") ?? "")" }
        }
    }

    @Test func anUnverifiedEmailClaimsNothing() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let id = try await Self.unclaimed(app, expert: expert, "2030-01-07T09:00:00Z")
            let listed = try await app.callService.listUpcoming(ListUpcomingCallsRequest(), by: Self.customer(verified: false))
            #expect(listed.calls.isEmpty)
            #expect(try await Self.owner(app, id) == "")
            #expect(try await Self.claimEvents(app).isEmpty)
        }
    }

    @Test func aVerifiedEmailClaimsOpenCallsAndLogsEachClaim() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let open = try await Self.unclaimed(app, expert: expert, "2030-01-07T09:00:00Z")
            let cancelled = try await Self.unclaimed(app, expert: expert, "2030-01-07T11:00:00Z")
            _ = try await app.calls.change(cancelled, actor: "calendly") { call, transaction in
                transaction.lifecycle.cancel(call, reason: "no longer needed", at: app.now)
            }
            let listed = try await app.callService.listUpcoming(ListUpcomingCallsRequest(), by: Self.customer(verified: true))
            #expect(listed.calls.map(\.id) == [open.uuidString])
            #expect(try await Self.owner(app, open) == "user_bo")
            #expect(try await Self.owner(app, cancelled) == "", "a finished call stays unclaimed")
            #expect(try await Self.claimEvents(app) == ["user_bo:bo@example.com"])
        }
    }

    @Test func aSessionClaimsOnceAndANewSessionClaimsAgain() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            _ = try await Self.unclaimed(app, expert: expert, "2030-01-07T09:00:00Z")
            let first = Self.customer(verified: true, session: "sess_1")
            _ = try await app.callService.listUpcoming(ListUpcomingCallsRequest(), by: first)
            let later = try await Self.unclaimed(app, expert: expert, "2030-01-08T09:00:00Z")
            _ = try await app.callService.listUpcoming(ListUpcomingCallsRequest(), by: first)
            #expect(try await Self.owner(app, later) == "", "the same session does not write again")
            let listed = try await app.callService.listUpcoming(
                ListUpcomingCallsRequest(), by: Self.customer(verified: true, session: "sess_2"))
            #expect(listed.calls.count == 2)
            #expect(try await Self.claimEvents(app).count == 2)
        }
    }

    @Test func anotherEmailInTheSameSessionClaimsItsOwn() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let id = try await Self.unclaimed(app, expert: expert, "2030-01-07T09:00:00Z", email: "new@example.com")
            _ = try await app.callService.listUpcoming(ListUpcomingCallsRequest(), by: Self.customer(verified: true))
            _ = try await app.callService.listUpcoming(
                ListUpcomingCallsRequest(), by: Self.customer(verified: true, email: "new@example.com"))
            #expect(try await Self.owner(app, id) == "user_bo")
        }
    }
}

struct ClaimedSessionsTests {
    let t0 = Date.utc("2030-01-01T00:00:00Z")

    @Test func aSessionIsRememberedForItsMemoryOnly() {
        var sessions = ClaimedSessions(memory: 60, capacity: 10)
        sessions.insert("a", at: self.t0)
        #expect(sessions.contains("a", at: self.t0 + 59))
        #expect(!sessions.contains("a", at: self.t0 + 60))
        #expect(!sessions.contains("b", at: self.t0))
    }

    @Test func atCapacityExpiredEntriesGoFirstThenAll() {
        var sessions = ClaimedSessions(memory: 60, capacity: 2)
        sessions.insert("a", at: self.t0)
        sessions.insert("b", at: self.t0 + 30)
        sessions.insert("c", at: self.t0 + 70)  // a expired: it goes, b stays
        #expect(sessions.count == 2)
        #expect(sessions.contains("b", at: self.t0 + 70) && sessions.contains("c", at: self.t0 + 70))
        sessions.insert("d", at: self.t0 + 71)  // nothing expired: forget all, keep the newest
        #expect(sessions.count == 1)
        #expect(sessions.contains("d", at: self.t0 + 71))
    }

    @Test func theKeyIsTheSessionAndTheEmailIgnoringCase() {
        #expect(ClaimedSessions.key(sessionID: "s", email: "A@X.example") == ClaimedSessions.key(sessionID: "s", email: "a@x.example"))
        #expect(ClaimedSessions.key(sessionID: "s", email: "a@x.example") != ClaimedSessions.key(sessionID: "t", email: "a@x.example"))
    }
}
