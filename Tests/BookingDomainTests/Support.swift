import Foundation
import Testing
import TestSupport

@testable import BookingDomain

extension TimeSlot {
    static func from(_ start: String, minutes: Int) -> TimeSlot {
        let start = Date.utc(start)
        return TimeSlot(start: start, end: start.addingTimeInterval(TimeInterval(minutes * 60)))
    }

    static func from(_ start: String, to end: String) -> TimeSlot {
        TimeSlot(start: .utc(start), end: .utc(end))
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
let longAgo = Date.utc("2000-01-01T00:00:00Z")
