import Foundation
import Testing

@testable import Calendly

@Suite struct WebhookParserTests {
    typealias F = WebhookFixtures

    static func utc(_ text: String) -> Date { CalendlyTimestamp.parse(text)! }

    func invitee(_ event: CalendlyEvent, sourceLocation: SourceLocation = #_sourceLocation) -> Invitee? {
        switch event {
        case .inviteeCreated(let invitee), .inviteeCanceled(let invitee): return invitee
        default:
            Issue.record("not an invitee event: \(event)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test func readsAnInviteeCreatedDelivery() throws {
        let webhook = try CalendlyWebhook.parse(F.created)
        #expect(webhook.name == "invitee.created")
        #expect(webhook.createdAt == Self.utc("2025-06-10T14:00:03Z"))
        #expect(webhook.createdBy == F.host)
        guard case .inviteeCreated(let invitee) = webhook.event else {
            Issue.record("\(webhook.event)")
            return
        }
        #expect(invitee.uri == F.inv1)
        #expect(invitee.email == "dana.lee@example.org")
        #expect(invitee.name == "Dana Lee")
        #expect(invitee.timezone == "Europe/Berlin")
        #expect(invitee.status == "active")
        #expect(!invitee.rescheduled)
        #expect(invitee.oldInvitee == nil && invitee.newInvitee == nil && invitee.cancellation == nil)
        #expect(invitee.tracking?.utmContent == "user_2hK9abc")
        #expect(invitee.noShow == nil)
        // Sorted by position, not by the order in the array.
        #expect(invitee.questionsAndAnswers.map(\.answer) == ["Onboarding plan", "Bring the Q2 numbers"])
        let event = try #require(invitee.scheduledEvent)
        #expect(event.uri == "https://api.calendly.com/scheduled_events/EVT1")
        #expect(event.uuid == "EVT1")
        #expect(event.name == "30 Minute Consultation")
        #expect(event.startTime == Self.utc("2025-06-17T09:00:00Z"))
        #expect(event.endTime == Self.utc("2025-06-17T09:30:00Z"))
        #expect(event.eventType == "https://api.calendly.com/event_types/ETYPE1")
        #expect(event.eventMemberships == [
            EventMembership(user: F.host, userEmail: "coach@example.com", userName: "Alex Coach")
        ])
    }

    @Test func readsFractionalSecondsToTheMicrosecond() throws {
        let body = Array(String(decoding: F.created, as: UTF8.self)
            .replacingOccurrences(of: "2025-06-17T09:00:00.000000Z", with: "2025-06-17T09:00:00.512345Z").utf8)
        let invitee = try #require(invitee(try CalendlyWebhook.parse(body).event))
        let fraction = try #require(invitee.scheduledEvent).startTime.timeIntervalSince(Self.utc("2025-06-17T09:00:00Z"))
        #expect(abs(fraction - 0.512345) < 1e-6)
    }

    @Test func readsAPlainCancellation() throws {
        let webhook = try CalendlyWebhook.parse(F.plainCanceled)
        guard case .inviteeCanceled(let invitee) = webhook.event else {
            Issue.record("\(webhook.event)")
            return
        }
        #expect(invitee.status == "canceled")
        #expect(!invitee.rescheduled && invitee.newInvitee == nil)
        #expect(invitee.cancellation == Cancellation(
            canceledBy: "Alex Coach", reason: nil, cancelerType: "host", createdAt: Self.utc("2025-06-12T08:15:09Z")))
    }

    @Test func readsBothHalvesOfAReschedule() throws {
        let canceled = try CalendlyWebhook.parse(F.rescheduledCanceled)
        let created = try CalendlyWebhook.parse(F.rescheduledCreated)
        guard case .inviteeCanceled(let old) = canceled.event, case .inviteeCreated(let new) = created.event else {
            Issue.record("\(canceled.event) / \(created.event)")
            return
        }
        #expect(old.rescheduled)
        #expect(old.newInvitee == F.inv2)
        #expect(old.cancellation?.reason == "Conflict, moved to Thursday")
        #expect(old.cancellation?.cancelerType == "invitee")
        #expect(old.scheduledEvent?.status == "canceled")
        #expect(new.oldInvitee == F.inv1)
        #expect(new.uri == F.inv2)
        #expect(new.scheduledEvent?.uuid == "EVT2")
        #expect(new.scheduledEvent?.startTime == Self.utc("2025-06-19T09:00:00Z"))
        #expect(canceled.deliveryKey != created.deliveryKey)
    }

    @Test func readsTheAbbreviatedCancellationFromTheProviderNotes() throws {
        let invitee = try #require(invitee(try CalendlyWebhook.parse(F.abbreviatedCanceled).event))
        #expect(invitee.timezone == nil)
        #expect(invitee.rescheduled)
        #expect(invitee.scheduledEvent?.name == nil)
        #expect(invitee.scheduledEvent?.eventMemberships.isEmpty == true)
        #expect(invitee.questionsAndAnswers.isEmpty)
    }

    @Test func readsAnInviteeThatOnlyNamesItsEventByURI() throws {
        let created = String(decoding: F.created, as: UTF8.self)
        let start = try #require(created.range(of: #""scheduled_event": {"#))
        let thin = String(created[..<start.lowerBound]).replacingOccurrences(
            of: #""created_at": "2025-06-10T14:00:02.512345Z", "updated_at": "2025-06-10T14:00:02.512345Z","#,
            with: #""created_at": "2025-06-10T14:00:02.512345Z", "updated_at": "2025-06-10T14:00:02.512345Z" } }"#)
        let invitee = try #require(invitee(try CalendlyWebhook.parse(Array(thin.utf8)).event))
        #expect(invitee.scheduledEvent == nil)
        #expect(invitee.eventURI == "https://api.calendly.com/scheduled_events/EVT1")
        let nameless = thin.replacingOccurrences(of: #""event": "https://api.calendly.com/scheduled_events/EVT1","#, with: "")
        expectMalformed(Array(nameless.utf8), mentioning: "scheduled_event")
    }

    @Test func readsNoShowCreatedAndDeleted() throws {
        let created = try CalendlyWebhook.parse(F.noShowCreated)
        let deleted = try CalendlyWebhook.parse(F.noShowDeleted)
        guard case .noShowCreated(let mark) = created.event, case .noShowDeleted(let unmark) = deleted.event else {
            Issue.record("\(created.event) / \(deleted.event)")
            return
        }
        #expect(mark.inviteeURI == F.inv1)
        #expect(mark.noShowURI == "https://api.calendly.com/invitee_no_shows/NS0001")
        #expect(mark.markedAt == Self.utc("2025-06-17T09:20:00Z"))
        #expect(mark.invitee?.email == "dana.lee@example.org")
        #expect(unmark.inviteeURI == F.inv1)
        #expect(created.deliveryKey != deleted.deliveryKey)
    }

    @Test func readsANoShowPayloadThatIsTheNoShowResource() throws {
        let body = F.envelope(
            "invitee_no_show.deleted", createdAt: "2025-06-17T10:02:00Z",
            payload: #"{"uri":"https://api.calendly.com/invitee_no_shows/NS0001","invitee":"\#(F.inv1)","created_at":"2025-06-17T09:20:00Z"}"#)
        guard case .noShowDeleted(let unmark) = try CalendlyWebhook.parse(body).event else {
            Issue.record("not a no-show")
            return
        }
        #expect(unmark == NoShow(
            inviteeURI: F.inv1, noShowURI: "https://api.calendly.com/invitee_no_shows/NS0001",
            markedAt: Self.utc("2025-06-17T09:20:00Z"), invitee: nil))
    }

    @Test func acknowledgesARoutingFormSubmissionAsOther() throws {
        let webhook = try CalendlyWebhook.parse(F.routingForm)
        #expect(webhook.event == .other(
            name: "routing_form_submission.created",
            resourceURI: "https://api.calendly.com/routing_form_submissions/RFS1"))
        #expect(webhook.deliveryKey.description
            == "https://api.calendly.com/routing_form_submissions/RFS1 routing_form_submission.created 2025-06-10T13:59:00.000000Z")
    }

    @Test func acknowledgesAnUnknownEventWhateverItsPayload() throws {
        let webhook = try CalendlyWebhook.parse(F.envelope("event_type.updated", createdAt: "2025-06-10T13:59:00Z", payload: "[1,2]"))
        #expect(webhook.event == .other(name: "event_type.updated", resourceURI: nil))
    }

    @Test func keysADeliveryByInviteeEventAndCreatedAt() throws {
        let webhook = try CalendlyWebhook.parse(F.created)
        #expect(webhook.deliveryKey.description
            == "\(F.inv1) invitee.created 2025-06-10T14:00:03.000000Z")
        // A retry is the same bytes, so the same key.
        #expect(try CalendlyWebhook.parse(F.created).deliveryKey == webhook.deliveryKey)
    }

    func expectMalformed(_ body: [UInt8], mentioning field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let webhook = try CalendlyWebhook.parse(body)
            Issue.record("parsed \(webhook)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.reason == .malformedPayload, sourceLocation: sourceLocation)
            if let field {
                #expect(error.detail.contains(field), "\(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func rejectsBodiesThatAreNotJSON() {
        expectMalformed(Array("".utf8), mentioning: "JSON")
        expectMalformed(Array("{\"event\": \"invitee.created\"".utf8), mentioning: "JSON")
        expectMalformed(Array("not json".utf8))
        expectMalformed(Array("[]".utf8))
    }

    @Test func rejectsMissingRequiredFields() {
        let created = String(decoding: F.created, as: UTF8.self)
        func without(_ fragment: String) -> [UInt8] {
            precondition(created.contains(fragment), fragment)
            return Array(created.replacingOccurrences(of: fragment, with: "").utf8)
        }
        expectMalformed(without(#""event": "invitee.created","#), mentioning: "event")
        expectMalformed(without(#""created_at": "2025-06-10T14:00:03.000000Z","#), mentioning: "created_at")
        expectMalformed(without(#""email": "dana.lee@example.org","#), mentioning: "payload.email")
        expectMalformed(without(#""start_time": "2025-06-17T09:00:00.000000Z","#), mentioning: "scheduled_event.start_time")
        expectMalformed(
            Array(created.replacingOccurrences(of: "2025-06-17T09:30:00.000000Z", with: "next tuesday").utf8),
            mentioning: "end_time")
        expectMalformed(F.envelope("invitee.created", createdAt: "2025-06-10T14:00:03Z", payload: "null"), mentioning: "payload")
        expectMalformed(F.envelope("invitee_no_show.created", createdAt: "2025-06-10T14:00:03Z", payload: "{}"))
    }
}
