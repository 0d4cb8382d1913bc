import BookingDomain
import Calendly
import Crypto
import Foundation
import Logging
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// Calendly deliveries through the webhook endpoint onto a real PostgreSQL: a booking, its
/// cancellation, a no-show marked and unmarked, each exactly once.
@Suite struct CalendlyEffectTests {
    static let host = "https://api.calendly.com/users/HOST1"
    static let inviteeURI = "https://api.calendly.com/scheduled_events/EVT1/invitees/INV1"

    static func endpoint(_ app: AppFixture) throws -> CalendlyWebhookEndpoint {
        try CalendlyWebhookEndpoint(
            configuration: CalendlyConfiguration(apiKey: "api-key", webhookSecret: CalendlyWebhookTests.secret),
            calls: app.calls, experts: app.experts, directory: app.directory, ledger: WebhookDeliveryLedger(calls: app.calls),
            deliveries: WebhookDeliveryLog(pool: app.pool), bookingLinkSecret: CalendlyWebhookTests.linkSecret, httpClient: RecordingHTTPClient.unreachable(), logger: AppFixture.logger, now: { CalendlyWebhookTests.now })
    }

    static func deliver(_ endpoint: CalendlyWebhookEndpoint, _ body: String) async -> (Int, String) {
        await CalendlyWebhookTests.post(endpoint, body, signature: CalendlyWebhookTests.sign(body))
    }

    static func delivery(_ event: String, at time: String, payload: String) -> String {
        #"{"event": "\#(event)", "created_at": "\#(time)", "payload": \#(payload)}"#
    }

    static var canceled: String {
        CalendlyWebhookTests.invitee
            .replacingOccurrences(of: #""status": "active""#, with: #""status": "canceled", "cancellation": {"canceled_by": "Dana Lee", "reason": "Flu", "canceler_type": "invitee"}"#)
    }

    func expertHosting(_ app: AppFixture) async throws -> ExpertID {
        try await app.expert(calendlyUserURI: Self.host)
    }

    @Test func aBookingThenItsCancellationAreAppliedOnceEach() async throws {
        try await AppFixture.withFresh(now: CalendlyWebhookTests.now) { app in
            let expert = try await self.expertHosting(app)
            let endpoint = try Self.endpoint(app)
            let created = Self.delivery("invitee.created", at: "2025-06-10T14:00:03.000000Z", payload: CalendlyWebhookTests.invitee)
            let (status, answer) = await Self.deliver(endpoint, created)
            #expect(status == 200 && answer.contains(#""result":"applied""#), "\(answer)")
            let call = try #require(try await app.calls.find(calendlyInviteeURI: Self.inviteeURI))
            #expect(call.expertID == expert && call.state == .scheduled && call.customer.userID == "user_2hK9")
            // The same delivery again changes nothing.
            let (_, again) = await Self.deliver(endpoint, created)
            #expect(again.contains(#""result":"duplicate""#), "\(again)")

            let cancel = Self.delivery("invitee.canceled", at: "2025-06-11T08:00:00.000000Z", payload: Self.canceled)
            let (cancelStatus, cancelAnswer) = await Self.deliver(endpoint, cancel)
            #expect(cancelStatus == 200 && cancelAnswer.contains(#""result":"applied""#), "\(cancelAnswer)")
            let cancelled = try await app.calls.find(call.id)
            #expect(cancelled?.state == .cancelled)
            #expect(cancelled?.cancellationReason == "Flu (cancelled in Calendly by Dana Lee, invitee)")
        }
    }

    @Test func aNoShowIsMarkedAndUnmarkedBackToScheduled() async throws {
        try await AppFixture.withFresh(now: CalendlyWebhookTests.now) { app in
            _ = try await self.expertHosting(app)
            let endpoint = try Self.endpoint(app)
            _ = await Self.deliver(
                endpoint, Self.delivery("invitee.created", at: "2025-06-10T14:00:03.000000Z", payload: CalendlyWebhookTests.invitee))
            let noShow = #"{"uri": "https://api.calendly.com/invitee_no_shows/NS1", "invitee": "\#(Self.inviteeURI)", "created_at": "2025-06-17T09:20:00.000000Z"}"#
            let (_, marked) = await Self.deliver(
                endpoint, Self.delivery("invitee_no_show.created", at: "2025-06-17T09:20:00.000000Z", payload: noShow))
            #expect(marked.contains(#""result":"applied""#), "\(marked)")
            let call = try #require(try await app.calls.find(calendlyInviteeURI: Self.inviteeURI))
            #expect(call.state == .noShow && call.noShowParty == .customer)
            let (_, unmarked) = await Self.deliver(
                endpoint, Self.delivery("invitee_no_show.deleted", at: "2025-06-17T09:25:00.000000Z", payload: noShow))
            #expect(unmarked.contains(#""result":"applied""#), "\(unmarked)")
            #expect(try await app.calls.find(call.id)?.state == .scheduled)
        }
    }
}
