public import Foundation

/// A scheduled event, embedded in invitee payloads and returned by `GET /scheduled_events/{uuid}`
/// (providers.md §1.4). `location`, `invitees_counter`, guests and notes are not used.
public struct ScheduledEvent: Sendable, Equatable, Decodable {
    /// `https://api.calendly.com/scheduled_events/{uuid}`.
    public var uri: String
    /// The event type's name ("30 Minute Consultation"): the default topic.
    public var name: String?
    /// `active` or `canceled`.
    public var status: String?
    public var startTime: Date
    public var endTime: Date
    /// The event type URI.
    public var eventType: String?
    /// The host(s). Empty when the payload left them out (see `Invitee`).
    public var eventMemberships: [EventMembership]
    public var cancellation: Cancellation?

    public init(
        uri: String, name: String?, status: String?, startTime: Date, endTime: Date, eventType: String?,
        eventMemberships: [EventMembership], cancellation: Cancellation? = nil
    ) {
        self.uri = uri
        self.name = name
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.eventType = eventType
        self.eventMemberships = eventMemberships
        self.cancellation = cancellation
    }

    enum CodingKeys: String, CodingKey {
        case uri, name, status, cancellation
        case startTime = "start_time"
        case endTime = "end_time"
        case eventType = "event_type"
        case eventMemberships = "event_memberships"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.uri = try container.decode(String.self, forKey: .uri)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.status = try container.decodeIfPresent(String.self, forKey: .status)
        self.startTime = try container.decodeTimestamp(forKey: .startTime)
        self.endTime = try container.decodeTimestamp(forKey: .endTime)
        self.eventType = try container.decodeIfPresent(String.self, forKey: .eventType)
        self.eventMemberships = try container.decodeIfPresent([EventMembership].self, forKey: .eventMemberships) ?? []
        // Calendly's examples abbreviate this one ({"...": "same as above"}); a shape we cannot
        // read is dropped rather than failing the delivery, since the invitee carries it too.
        self.cancellation = try? container.decodeIfPresent(Cancellation.self, forKey: .cancellation)
    }

    /// The last path segment of `uri`, which REST calls take.
    public var uuid: String? { CalendlyURI.lastSegment(self.uri) }
}

/// A host of a scheduled event: `{user, user_email, user_name}`.
public struct EventMembership: Sendable, Equatable, Decodable {
    /// The host's Calendly user URI, matched against an expert's `calendly_user_uri`.
    public var user: String
    public var userEmail: String?
    public var userName: String?

    public init(user: String, userEmail: String?, userName: String?) {
        self.user = user
        self.userEmail = userEmail
        self.userName = userName
    }

    enum CodingKeys: String, CodingKey {
        case user
        case userEmail = "user_email"
        case userName = "user_name"
    }
}

enum CalendlyURI {
    /// `https://api.calendly.com/scheduled_events/ABC` → `ABC`; nil for an empty or odd segment,
    /// or when `collection` is given and is not the segment before it.
    static func lastSegment(_ uri: String, in collection: String? = nil) -> String? {
        let segments = uri.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 2, let segment = segments.last.map(String.init), !segment.isEmpty,
            collection == nil || segments[segments.count - 2] == collection ?? "",
            !segment.contains(":"), !segment.contains("?"), !segment.contains("#"), segment != "..", segment != "."
        else { return nil }
        return segment
    }
}
