import Foundation

/// Realistic bodies after providers.md §1.6 (invented values), as raw bytes the way they arrive.
enum WebhookFixtures {
    static let host = "https://api.calendly.com/users/HOST1"
    static let inv1 = "https://api.calendly.com/scheduled_events/EVT1/invitees/INV1"
    static let inv2 = "https://api.calendly.com/scheduled_events/EVT2/invitees/INV2"

    static func scheduledEvent(_ evt: String, status: String, start: String, end: String, cancellation: String? = nil) -> String {
        """
        { "uri": "https://api.calendly.com/scheduled_events/\(evt)",
          "name": "30 Minute Consultation", "status": "\(status)",
          "start_time": "\(start)", "end_time": "\(end)",
          "event_type": "https://api.calendly.com/event_types/ETYPE1",
          "location": { "type": "custom", "location": "https://app.example.com/join" },
          "invitees_counter": { "total": 1, "active": 1, "limit": 1 },
          "event_memberships": [ { "user": "\(host)",
              "user_email": "coach@example.com", "user_name": "Alex Coach" } ],
          "event_guests": [],
          \(cancellation.map { "\"cancellation\": \($0)," } ?? "")
          "created_at": "2025-06-10T14:00:02.400000Z", "updated_at": "2025-06-10T14:00:02.600000Z" }
        """
    }

    static func invitee(
        uri: String, evt: String, status: String = "active", rescheduled: Bool = false, old: String? = nil,
        new: String? = nil, cancellation: String? = nil, noShow: String? = nil, utmContent: String? = nil,
        start: String = "2025-06-17T09:00:00.000000Z", end: String = "2025-06-17T09:30:00.000000Z"
    ) -> String {
        func json(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "null" }
        return """
            { "uri": "\(uri)",
              "email": "dana.lee@example.org", "name": "Dana Lee",
              "first_name": "Dana", "last_name": "Lee",
              "status": "\(status)", "timezone": "Europe/Berlin",
              "event": "https://api.calendly.com/scheduled_events/\(evt)",
              "questions_and_answers": [
                { "question": "Anything else?", "answer": "Bring the Q2 numbers", "position": 2 },
                { "question": "What would you like to discuss?", "answer": "Onboarding plan", "position": 1 } ],
              "cancel_url": "https://calendly.com/cancellations/INV1",
              "reschedule_url": "https://calendly.com/reschedulings/INV1",
              "rescheduled": \(rescheduled), "old_invitee": \(json(old)), "new_invitee": \(json(new)),
              \(cancellation.map { "\"cancellation\": \($0)," } ?? "")
              "no_show": \(noShow ?? "null"), "reconfirmation": null, "payment": null,
              "routing_form_submission": null, "text_reminder_number": null,
              "tracking": { "utm_campaign": null, "utm_source": "newsletter", "utm_medium": "email",
                            "utm_content": \(json(utmContent)), "utm_term": null, "salesforce_uuid": null },
              "created_at": "2025-06-10T14:00:02.512345Z", "updated_at": "2025-06-10T14:00:02.512345Z",
              "scheduled_event": \(scheduledEvent(evt, status: status, start: start, end: end, cancellation: cancellation)) }
            """
    }

    static func envelope(_ event: String, createdAt: String, payload: String) -> [UInt8] {
        Array("""
            { "event": "\(event)",
              "created_at": "\(createdAt)",
              "created_by": "\(host)",
              "payload": \(payload) }
            """.utf8)
    }

    static let created = envelope(
        "invitee.created", createdAt: "2025-06-10T14:00:03.000000Z",
        payload: invitee(uri: inv1, evt: "EVT1", utmContent: "user_2hK9abc"))

    static let rescheduleCancellation = """
        { "canceled_by": "Dana Lee", "reason": "Conflict, moved to Thursday",
          "canceler_type": "invitee", "created_at": "2025-06-12T08:15:09.000000Z" }
        """

    /// The old half of a reschedule.
    static let rescheduledCanceled = envelope(
        "invitee.canceled", createdAt: "2025-06-12T08:15:10.000000Z",
        payload: invitee(
            uri: inv1, evt: "EVT1", status: "canceled", rescheduled: true, new: inv2,
            cancellation: rescheduleCancellation))

    /// The new half of a reschedule.
    static let rescheduledCreated = envelope(
        "invitee.created", createdAt: "2025-06-12T08:15:10.250000Z",
        payload: invitee(
            uri: inv2, evt: "EVT2", old: inv1, start: "2025-06-19T09:00:00.000000Z", end: "2025-06-19T09:30:00.000000Z"))

    static let plainCanceled = envelope(
        "invitee.canceled", createdAt: "2025-06-12T08:15:10.000000Z",
        payload: invitee(
            uri: inv1, evt: "EVT1", status: "canceled",
            cancellation: #"{ "canceled_by": "Alex Coach", "reason": null, "canceler_type": "host", "created_at": "2025-06-12T08:15:09Z" }"#))

    /// providers.md §1.6's abbreviated `invitee.canceled`, verbatim: no timezone, a thin event.
    static let abbreviatedCanceled = Array(#"""
        { "event": "invitee.canceled", "created_at": "2025-06-12T08:15:10.000000Z",
          "created_by": "https://api.calendly.com/users/HOST1",
          "payload": {
            "uri": "https://api.calendly.com/scheduled_events/EVT1/invitees/INV1",
            "email": "dana.lee@example.org", "name": "Dana Lee", "status": "canceled",
            "event": "https://api.calendly.com/scheduled_events/EVT1",
            "rescheduled": true, "old_invitee": null,
            "new_invitee": "https://api.calendly.com/scheduled_events/EVT2/invitees/INV2",
            "cancellation": { "canceled_by": "Dana Lee", "reason": "Conflict, moved to Thursday",
                              "canceler_type": "invitee", "created_at": "2025-06-12T08:15:09.000000Z" },
            "scheduled_event": { "uri": "https://api.calendly.com/scheduled_events/EVT1",
              "status": "canceled", "start_time": "2025-06-17T09:00:00.000000Z",
              "end_time": "2025-06-17T09:30:00.000000Z", "cancellation": { "...": "same as above" } } } }
        """#.utf8)

    static let noShowMark = #"{"uri":"https://api.calendly.com/invitee_no_shows/NS0001","created_at":"2025-06-17T09:20:00.000000Z"}"#

    static let noShowCreated = envelope(
        "invitee_no_show.created", createdAt: "2025-06-17T09:20:01.000000Z",
        payload: invitee(uri: inv1, evt: "EVT1", noShow: noShowMark))

    static let noShowDeleted = envelope(
        "invitee_no_show.deleted", createdAt: "2025-06-17T10:02:00.000000Z",
        payload: invitee(uri: inv1, evt: "EVT1", noShow: noShowMark))

    static let routingForm = envelope(
        "routing_form_submission.created", createdAt: "2025-06-10T13:59:00.000000Z",
        payload: """
            { "uri": "https://api.calendly.com/routing_form_submissions/RFS1",
              "routing_form": "https://api.calendly.com/routing_forms/RF1",
              "questions_and_answers": [ { "question_uuid": "Q1", "question": "Team size?", "answer": "11-50" } ],
              "tracking": { "utm_campaign": null, "utm_source": null, "utm_medium": null,
                            "utm_content": null, "utm_term": null, "salesforce_uuid": null },
              "result": { "type": "event_type", "value": "https://api.calendly.com/event_types/ETYPE1" },
              "submitter": null, "submitter_type": null,
              "created_at": "2025-06-10T13:59:00.000000Z", "updated_at": "2025-06-10T13:59:00.000000Z" }
            """)
}
