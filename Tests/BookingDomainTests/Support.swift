import Foundation
import Testing

@testable import BookingDomain

extension Date {
    /// An RFC 3339 instant with its offset, e.g. "2025-03-30T03:00:00+02:00"; the local
    /// offset in expectations shows which side of a DST change a slot is on.
    static func at(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Date {
        do {
            return try Date(text, strategy: .iso8601)
        } catch {
            Issue.record("bad test date \(text): \(error)", sourceLocation: sourceLocation)
            return Date(timeIntervalSince1970: 0)
        }
    }
}

extension TimeSlot {
    static func from(_ start: String, minutes: Int) -> TimeSlot {
        let start = Date.at(start)
        return TimeSlot(start: start, end: start.addingTimeInterval(TimeInterval(minutes * 60)))
    }

    static func from(_ start: String, to end: String) -> TimeSlot {
        TimeSlot(start: .at(start), end: .at(end))
    }
}

extension LocalTime {
    /// Test literal; a typo fails the test instead of trapping.
    static func of(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> LocalTime {
        guard let time = LocalTime(text) else {
            Issue.record("bad test time \(text)", sourceLocation: sourceLocation)
            return .midnight
        }
        return time
    }
}

extension WeeklyHours {
    static func on(_ day: Weekday, _ start: String, _ end: String) -> WeeklyHours {
        WeeklyHours(day: day, start: .of(start), end: .of(end))
    }
}

extension LocalDate {
    /// Test literal "YYYY-MM-DD"; a typo fails the test instead of trapping.
    static func of(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> LocalDate {
        guard let date = LocalDate(text) else {
            Issue.record("bad test date \(text)", sourceLocation: sourceLocation)
            return LocalDate(daysSinceEpoch: 0)
        }
        return date
    }
}

extension DateOverride {
    /// `hours` as "HH:MM" pairs; none means closed.
    static func on(_ date: String, _ hours: (String, String)...) -> DateOverride {
        DateOverride(date: .of(date), hours: hours.map { LocalTimeRange(start: .of($0.0), end: .of($0.1)) })
    }
}

extension ExpertID {
    /// A fixed id whose last digit orders it: `.number(1) < .number(2)`.
    static func number(_ n: Int) -> ExpertID {
        let suffix = String(n)
        let text = "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - suffix.count) + suffix
        return ExpertID(UUID(uuidString: text) ?? UUID())
    }
}

extension CallID {
    static func number(_ n: Int) -> CallID {
        let suffix = String(n)
        let text = "10000000-0000-4000-8000-" + String(repeating: "0", count: 12 - suffix.count) + suffix
        return CallID(UUID(uuidString: text) ?? UUID())
    }
}

extension Expert {
    static func fixture(
        _ n: Int = 1,
        timeZone: String = "Europe/Berlin",
        specialties: [String] = ["tax"],
        active: Bool = true,
        weeklyHours: [WeeklyHours] = Weekday.allCases.map { .on($0, "09:00", "17:00") },
        timeOff: [TimeSlot] = [],
        scheduling: SchedulingRules = SchedulingRules(),
        dateOverrides: [DateOverride] = []
    ) -> Expert {
        Expert(
            id: .number(n), name: "Expert \(n)", email: "expert\(n)@example.com", specialties: specialties,
            timeZone: timeZone, active: active, weeklyHours: weeklyHours, timeOff: timeOff, scheduling: scheduling,
            dateOverrides: dateOverrides)
    }
}

/// Long ago, so that `now` never hides a slot unless a test means it to.
let longAgo = Date.at("2000-01-01T00:00:00Z")
