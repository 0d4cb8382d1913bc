public import Foundation

/// An expert's working hours as instants, date by date, in the expert's own time zone.
///
/// The one place that turns local rules into absolute ranges; both `ExpertAvailability.check`
/// (booking) and `bookableSlots` (listing) go through `openIntervals(on:)`, so they cannot
/// disagree. Date overrides (issue 8) belong here too: they replace a date's weekly hours.
public struct ExpertCalendar: Sendable {
    public let timeZone: TimeZone
    /// Per weekday, sorted and with touching or overlapping ranges merged.
    private let hoursByDay: [Weekday: [(start: LocalTime, end: LocalTime)]]

    /// `nil` when this machine does not know the zone (bad data in the database).
    public init?(timeZoneIdentifier: String, weeklyHours: [WeeklyHours]) {
        guard let timeZone = TimeZone(identifier: timeZoneIdentifier) else { return nil }
        self.timeZone = timeZone
        var byDay: [Weekday: [(start: LocalTime, end: LocalTime)]] = [:]
        for day in Weekday.allCases {
            byDay[day] = Self.merged(weeklyHours.filter { $0.day == day && $0.start < $0.end })
        }
        self.hoursByDay = byDay
    }

    /// The absolute ranges in which the expert works on a local date, sorted and disjoint.
    ///
    /// Ranges that touch ("09:00–12:00" and "12:00–17:00") are one range, so a slot may span
    /// 11:45–12:15: the expert never stops working in between. A range that lies entirely in a
    /// spring-forward gap is empty and left out.
    public func openIntervals(on date: LocalDate) -> [TimeSlot] {
        (self.hoursByDay[date.weekday] ?? []).compactMap { range in
            let start = self.timeZone.firstInstant(on: date, at: range.start)
            let end = self.timeZone.firstInstant(on: date, at: range.end)
            return start < end ? TimeSlot(start: start, end: end) : nil
        }
    }

    /// The local date the expert's wall clock shows at an instant.
    public func localDate(of instant: Date) -> LocalDate {
        self.timeZone.wallClock(at: instant).date
    }

    private static func merged(_ hours: [WeeklyHours]) -> [(start: LocalTime, end: LocalTime)] {
        var result: [(start: LocalTime, end: LocalTime)] = []
        for range in hours.sorted(by: { $0.start < $1.start }) {
            if let last = result.last, range.start <= last.end {
                result[result.count - 1].end = max(last.end, range.end)
            } else {
                result.append((range.start, range.end))
            }
        }
        return result
    }
}
