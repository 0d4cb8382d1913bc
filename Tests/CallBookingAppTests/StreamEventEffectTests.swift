import BookingDomain
import Foundation
import StreamVideo
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// Each Stream event's effect on a real PostgreSQL, applied in the delivery ledger's
/// transaction as the webhook endpoint applies it.
@Suite struct StreamEventEffectTests {
    static func event(_ type: String, _ id: String, at time: String, extra: String = "") throws -> StreamWebhookEvent {
        try StreamWebhookEvent.parse(Array("""
            {"type":"\(type)","created_at":"\(time)","call_cid":"consult:\(id)"\(extra)}
            """.utf8))
    }

    static func apply(_ app: AppFixture, _ event: StreamWebhookEvent, to id: CallID, key: String) async throws -> String? {
        let result = try await WebhookDeliveryLedger(calls: app.calls).apply(provider: .stream, key: key, event: event.type) {
            transaction in
            let outcome = try StreamEventEffect.apply(event, to: id, in: transaction)
            return .init(outcome.summary, summary: outcome.summary, callID: outcome.callID)
        }
        guard case .applied(let summary) = result else { return nil }
        return summary
    }

    static func join(_ user: String, at time: String) -> String {
        #","participant":{"user":{"id":"\#(user)"},"user_session_id":"\#(user)-1","role":"call_member","joined_at":"\#(time)"},"session_id":"s1""#
    }

    @Test func aSessionBothSidesJoinedCompletesTheCallAndSendsTheFollowUp() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let booked = try await app.book(expert, "2030-01-07T09:00:00Z")
            let id = try CallID(validating: booked.id)
            let started = try await Self.apply(
                app, try Self.event("call.session_started", booked.id, at: "2030-01-07T09:01:00Z"), to: id, key: "1")
            #expect(started == "session_started: now IN_PROGRESS")
            for (n, user) in ["user_expert1", "user_c"].enumerated() {
                _ = try await Self.apply(
                    app,
                    try Self.event(
                        "call.session_participant_joined", booked.id, at: "2030-01-07T09:02:00Z",
                        extra: Self.join(user, at: "2030-01-07T09:02:00Z")),
                    to: id, key: "join-\(n)")
            }
            let ended = try await Self.apply(
                app, try Self.event("call.session_ended", booked.id, at: "2030-01-07T09:30:00Z"), to: id, key: "2")
            #expect(ended == "session_ended: now COMPLETED")
            #expect(try await app.jobCounts()[FollowUpJob.name] == 1)
            // A redelivery is recorded once and changes nothing.
            #expect(try await Self.apply(
                app, try Self.event("call.session_ended", booked.id, at: "2030-01-07T09:30:00Z"), to: id, key: "2") == nil)
        }
    }

    @Test func aSessionTheExpertNeverJoinedIsTheirNoShow() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let booked = try await app.book(expert, "2030-01-07T09:00:00Z")
            let id = try CallID(validating: booked.id)
            _ = try await Self.apply(
                app,
                try Self.event(
                    "call.session_participant_joined", booked.id, at: "2030-01-07T09:02:00Z",
                    extra: Self.join("user_c", at: "2030-01-07T09:02:00Z")),
                to: id, key: "join")
            let ended = try await Self.apply(
                app, try Self.event("call.session_ended", booked.id, at: "2030-01-07T09:20:00Z"), to: id, key: "end")
            #expect(ended == "no_show: now NO_SHOW")
            #expect(try await app.calls.find(id)?.noShowParty == .expert)
        }
    }

    @Test func eventsForAnUnknownCallChangeNothingAndAreAcknowledged() async throws {
        try await AppFixture.withFresh { app in
            let stranger = CallID()
            let summary = try await Self.apply(
                app, try Self.event("call.session_started", stranger.uuidString, at: "2030-01-07T09:01:00Z"), to: stranger,
                key: "x")
            #expect(summary == "ignored: unknown call")
        }
    }
}
