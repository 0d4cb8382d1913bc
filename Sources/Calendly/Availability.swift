public import Foundation

/// An item of `GET /user_availability_schedules` (providers.md §2).
public struct AvailabilitySchedule: Sendable, Equatable, Decodable {
    public var uri: String
    /// The user's default schedule, the one event types use unless told otherwise.
    public var isDefault: Bool
    public var name: String?
    /// The owner's user URI.
    public var user: String
    /// IANA zone in which every rule's `from`/`to` is wall-clock time.
    public var timezone: String
    public var rules: [AvailabilityRule]

    public init(uri: String, isDefault: Bool, name: String?, user: String, timezone: String, rules: [AvailabilityRule]) {
        self.uri = uri
        self.isDefault = isDefault
        self.name = name
        self.user = user
        self.timezone = timezone
        self.rules = rules
    }

    enum CodingKeys: String, CodingKey {
        case uri, name, user, timezone, rules
        case isDefault = "default"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.uri = try container.decode(String.self, forKey: .uri)
        self.isDefault = try container.decodeIfPresent(Bool.self, forKey: .isDefault) ?? false
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.user = try container.decode(String.self, forKey: .user)
        self.timezone = try container.decode(String.self, forKey: .timezone)
        self.rules = try container.decodeIfPresent([AvailabilityRule].self, forKey: .rules) ?? []
    }
}

/// One rule: weekly (`type: wday`, `wday: monday`…) or an override for one `date`
/// (`YYYY-MM-DD`). Empty `intervals` means unavailable that day. Rules of a type this code does
/// not know keep their `type` so the sync can skip them.
public struct AvailabilityRule: Sendable, Equatable, Decodable {
    public var type: String
    /// `sunday` … `saturday`, for `wday` rules.
    public var wday: String?
    /// `YYYY-MM-DD`, for `date` rules.
    public var date: String?
    public var intervals: [AvailabilityInterval]

    public init(type: String, wday: String? = nil, date: String? = nil, intervals: [AvailabilityInterval]) {
        self.type = type
        self.wday = wday
        self.date = date
        self.intervals = intervals
    }

    enum CodingKeys: String, CodingKey { case type, wday, date, intervals }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decode(String.self, forKey: .type)
        self.wday = try container.decodeIfPresent(String.self, forKey: .wday)
        self.date = try container.decodeIfPresent(String.self, forKey: .date)
        self.intervals = try container.decodeIfPresent([AvailabilityInterval].self, forKey: .intervals) ?? []
    }
}

/// `{"from": "09:00", "to": "17:00"}`: wall-clock times in the schedule's zone.
public struct AvailabilityInterval: Sendable, Equatable, Decodable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// Minutes after midnight of `"HH:MM"`; nil for anything else. `24:00` is allowed as an end.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...24).contains(hours), (0..<60).contains(minutes), hours < 24 || minutes == 0
        else { return nil }
        return hours * 60 + minutes
    }
}

/// An item of `GET /user_busy_times`: a Calendly booking (with buffers and its event) or an
/// event from a connected calendar (`external`, times only).
public struct BusyTime: Sendable, Hashable, Decodable {
    /// `calendly` or `external`.
    public var type: String
    public var startTime: Date
    public var endTime: Date
    public var bufferedStartTime: Date?
    public var bufferedEndTime: Date?
    /// The scheduled event URI, for `calendly` items: lets the sync skip our own calls.
    public var eventURI: String?

    public init(
        type: String, startTime: Date, endTime: Date, bufferedStartTime: Date? = nil, bufferedEndTime: Date? = nil,
        eventURI: String? = nil
    ) {
        self.type = type
        self.startTime = startTime
        self.endTime = endTime
        self.bufferedStartTime = bufferedStartTime
        self.bufferedEndTime = bufferedEndTime
        self.eventURI = eventURI
    }

    enum CodingKeys: String, CodingKey {
        case type, event
        case startTime = "start_time"
        case endTime = "end_time"
        case bufferedStartTime = "buffered_start_time"
        case bufferedEndTime = "buffered_end_time"
    }

    private struct EventReference: Decodable { var uri: String? }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try container.decode(String.self, forKey: .type)
        self.startTime = try container.decodeTimestamp(forKey: .startTime)
        self.endTime = try container.decodeTimestamp(forKey: .endTime)
        self.bufferedStartTime = try container.decodeTimestampIfPresent(forKey: .bufferedStartTime)
        self.bufferedEndTime = try container.decodeTimestampIfPresent(forKey: .bufferedEndTime)
        self.eventURI = try container.decodeIfPresent(EventReference.self, forKey: .event)?.uri
    }
}
