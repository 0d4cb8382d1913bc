public import Foundation

/// The invitee object of `invitee.*` and `invitee_no_show.*` payloads (providers.md §1.4),
/// reduced to what booking uses. Unknown and unused fields (`payment`, `location`…) are ignored.
///
/// Required: `uri`, `email`, `name`, `status`, and the event: a `scheduled_event` (with `uri`,
/// `start_time` and `end_time`) or at least its URI in `event`. The rest is optional because
/// Calendly's own examples leave it out of `invitee.canceled` payloads; the app fetches the
/// scheduled event (`CalendlyClient.scheduledEvent`) when the payload lacks what it needs.
public struct Invitee: Sendable, Equatable, Decodable {
    /// `https://api.calendly.com/scheduled_events/{event}/invitees/{invitee}`.
    public var uri: String
    public var email: String
    public var name: String
    /// The IANA zone the invitee chose.
    public var timezone: String?
    /// `active` or `canceled`.
    public var status: String
    /// On `invitee.canceled`: true when the cancellation is the first half of a reschedule.
    public var rescheduled: Bool
    /// On the new invitee after a reschedule: the previous invitee's URI.
    public var oldInvitee: String?
    /// On the canceled invitee of a reschedule: the replacement invitee's URI.
    public var newInvitee: String?
    public var cancellation: Cancellation?
    /// Sorted by `position`, whatever base Calendly used.
    public var questionsAndAnswers: [QuestionAndAnswer]
    public var tracking: Tracking?
    /// Set once the host marks a no-show.
    public var noShow: NoShowMark?
    /// The scheduled event's URI: `event`, else `scheduled_event.uri`.
    public var eventURI: String
    /// The embedded scheduled event; nil when the payload only names it in `event`.
    public var scheduledEvent: ScheduledEvent?

    public init(
        uri: String, email: String, name: String, timezone: String?, status: String,
        rescheduled: Bool = false, oldInvitee: String? = nil, newInvitee: String? = nil,
        cancellation: Cancellation? = nil, questionsAndAnswers: [QuestionAndAnswer] = [],
        tracking: Tracking? = nil, noShow: NoShowMark? = nil, eventURI: String? = nil, scheduledEvent: ScheduledEvent?
    ) {
        self.uri = uri
        self.email = email
        self.name = name
        self.timezone = timezone
        self.status = status
        self.rescheduled = rescheduled
        self.oldInvitee = oldInvitee
        self.newInvitee = newInvitee
        self.cancellation = cancellation
        self.questionsAndAnswers = questionsAndAnswers
        self.tracking = tracking
        self.noShow = noShow
        self.eventURI = eventURI ?? scheduledEvent?.uri ?? ""
        self.scheduledEvent = scheduledEvent
    }

    enum CodingKeys: String, CodingKey {
        case uri, email, name, timezone, status, rescheduled, cancellation, tracking, event
        case oldInvitee = "old_invitee"
        case newInvitee = "new_invitee"
        case questionsAndAnswers = "questions_and_answers"
        case noShow = "no_show"
        case scheduledEvent = "scheduled_event"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.uri = try container.decode(String.self, forKey: .uri)
        self.email = try container.decode(String.self, forKey: .email)
        self.name = try container.decode(String.self, forKey: .name)
        self.timezone = try container.decodeIfPresent(String.self, forKey: .timezone)
        self.status = try container.decode(String.self, forKey: .status)
        self.rescheduled = try container.decodeIfPresent(Bool.self, forKey: .rescheduled) ?? false
        self.oldInvitee = try container.decodeIfPresent(String.self, forKey: .oldInvitee)
        self.newInvitee = try container.decodeIfPresent(String.self, forKey: .newInvitee)
        self.cancellation = try container.decodeIfPresent(Cancellation.self, forKey: .cancellation)
        let answers = try container.decodeIfPresent([QuestionAndAnswer].self, forKey: .questionsAndAnswers) ?? []
        // Stable sort: equal positions keep the order Calendly sent.
        self.questionsAndAnswers = answers.enumerated()
            .sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
            .map(\.element)
        self.tracking = try container.decodeIfPresent(Tracking.self, forKey: .tracking)
        self.noShow = try container.decodeIfPresent(NoShowMark.self, forKey: .noShow)
        self.scheduledEvent = try container.decodeIfPresent(ScheduledEvent.self, forKey: .scheduledEvent)
        guard let eventURI = try container.decodeIfPresent(String.self, forKey: .event) ?? self.scheduledEvent?.uri,
            !eventURI.isEmpty
        else {
            throw DecodingError.keyNotFound(
                CodingKeys.scheduledEvent,
                DecodingError.Context(codingPath: container.codingPath, debugDescription: "no scheduled_event and no event"))
        }
        self.eventURI = eventURI
    }
}

/// `cancellation` on an invitee or event: `{canceled_by, reason, canceler_type, created_at}`.
public struct Cancellation: Sendable, Equatable, Decodable {
    /// A display name ("Dana Lee"), not a URI.
    public var canceledBy: String?
    public var reason: String?
    /// `host` or `invitee`.
    public var cancelerType: String?
    public var createdAt: Date?

    public init(canceledBy: String?, reason: String?, cancelerType: String?, createdAt: Date? = nil) {
        self.canceledBy = canceledBy
        self.reason = reason
        self.cancelerType = cancelerType
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case reason
        case canceledBy = "canceled_by"
        case cancelerType = "canceler_type"
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.canceledBy = try container.decodeIfPresent(String.self, forKey: .canceledBy)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.cancelerType = try container.decodeIfPresent(String.self, forKey: .cancelerType)
        self.createdAt = try container.decodeTimestampIfPresent(forKey: .createdAt)
    }
}

/// One booking-form answer. `position` is the order on the form (0- or 1-based).
public struct QuestionAndAnswer: Sendable, Equatable, Decodable {
    public var question: String
    public var answer: String
    public var position: Int

    public init(question: String, answer: String, position: Int) {
        self.question = question
        self.answer = answer
        self.position = position
    }
}

/// UTM fields; `utm_content` carries the customer's Clerk user id (CONTRACT.md).
public struct Tracking: Sendable, Equatable, Decodable {
    public var utmContent: String?
    public var utmSource: String?
    public var utmMedium: String?
    public var utmCampaign: String?
    public var utmTerm: String?

    public init(
        utmContent: String? = nil, utmSource: String? = nil, utmMedium: String? = nil,
        utmCampaign: String? = nil, utmTerm: String? = nil
    ) {
        self.utmContent = utmContent
        self.utmSource = utmSource
        self.utmMedium = utmMedium
        self.utmCampaign = utmCampaign
        self.utmTerm = utmTerm
    }

    enum CodingKeys: String, CodingKey {
        case utmContent = "utm_content"
        case utmSource = "utm_source"
        case utmMedium = "utm_medium"
        case utmCampaign = "utm_campaign"
        case utmTerm = "utm_term"
    }
}

/// `no_show` on an invitee: `{uri, created_at}`.
public struct NoShowMark: Sendable, Equatable, Decodable {
    /// `https://api.calendly.com/invitee_no_shows/{uuid}`.
    public var uri: String
    public var createdAt: Date?

    public init(uri: String, createdAt: Date?) {
        self.uri = uri
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case uri
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.uri = try container.decode(String.self, forKey: .uri)
        self.createdAt = try container.decodeTimestampIfPresent(forKey: .createdAt)
    }
}
