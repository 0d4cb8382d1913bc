public import Foundation

/// An expert's working hours as instants, date by date, in the expert's own time zone.
///
/// The one place that turns local rules into absolute ranges; both `ExpertAvailability.check`
/// (booking) and `bookableSlots` (listing) go through `openIntervals(on:)`, so they cannot
/// disagree. Date overrides replace the weekly hours of their date, here and nowhere else.
public struct ExpertCalendar: Sendable {
    /// Which rule gave a date its hours, so that a refusal can name it.
    public enum HoursSource: Hashable, Sendable {
        case weekly
        /// A `DateOverride` for the date; `closed` when its hours are empty.
        case dateOverride(closed: Bool)
    }

    public var timeZone: TimeZone { self.clock.zone }
    public let clock: ZoneClock
    /// Per weekday, sorted and with touching or overlapping ranges merged.
    private let hoursByDay: [Weekday: [(start: LocalTime, end: LocalTime)]]
    /// Per overridden date, likewise; an empty list is a closed day.
    private let hoursByDate: [LocalDate: [(start: LocalTime, end: LocalTime)]]

    /// `nil` when this machine does not know the zone (bad data in the database). Of two
    /// overrides for one date (which validation refuses) the first counts.
    public init?(timeZoneIdentifier: String, weeklyHours: [WeeklyHours], dateOverrides: [DateOverride] = []) {
        guard let timeZone = TimeZone(identifier: timeZoneIdentifier) else { return nil }
        self.clock = ZoneClock(timeZone)
        var byDay: [Weekday: [(start: LocalTime, end: LocalTime)]] = [:]
        for day in Weekday.allCases {
            byDay[day] = Self.merged(weeklyHours.filter { $0.day == day }.map { ($0.start, $0.end) })
        }
        self.hoursByDay = byDay
        var byDate: [LocalDate: [(start: LocalTime, end: LocalTime)]] = [:]
        for override in dateOverrides where byDate[override.date] == nil {
            byDate[override.date] = Self.merged(override.hours.map { ($0.start, $0.end) })
        }
        self.hoursByDate = byDate
    }

    /// Whether a date's hours come from the weekly hours or from a date override.
    public func hoursSource(on date: LocalDate) -> HoursSource {
        guard let hours = self.hoursByDate[date] else { return .weekly }
        return .dateOverride(closed: hours.isEmpty)
    }

    /// The absolute ranges in which the expert works on a local date, sorted and disjoint:
    /// the date override's hours if there is one, else the weekday's weekly hours.
    ///
    /// Ranges that touch ("09:00–12:00" and "12:00–17:00") are one range, so a slot may span
    /// 11:45–12:15: the expert never stops working in between. A range that lies entirely in a
    /// spring-forward gap is empty and left out.
    public func openIntervals(on date: LocalDate) -> [TimeSlot] {
        (self.hoursByDate[date] ?? self.hoursByDay[date.weekday] ?? []).compactMap { range in
            let start = self.clock.firstInstant(on: date, at: range.start)
            let end = self.clock.firstInstant(on: date, at: range.end)
            return start < end ? TimeSlot(start: start, end: end) : nil
        }
    }

    /// The local date the expert's wall clock shows at an instant.
    public func localDate(of instant: Date) -> LocalDate {
        self.clock.wallClock(at: instant).date
    }

    /// The Monday that starts the local ISO week of `date`: the key of the weekly cap.
    public func weekStart(of date: LocalDate) -> LocalDate { date.mondayOfWeek }

    /// The absolute range of the whole local weeks (Monday 00:00 to Monday 00:00) that
    /// `window` touches: calls starting in it are all the caps of any slot in `window` count.
    public func weeksCovering(_ window: TimeSlot) -> TimeSlot {
        let first = self.weekStart(of: self.localDate(of: window.start))
        let afterLast = self.weekStart(of: self.localDate(of: window.end)).adding(days: 7)
        return TimeSlot(
            start: self.clock.firstInstant(on: first, at: .midnight),
            end: self.clock.firstInstant(on: afterLast, at: .midnight))
    }

    private static func merged(_ hours: [(start: LocalTime, end: LocalTime)]) -> [(start: LocalTime, end: LocalTime)] {
        var result: [(start: LocalTime, end: LocalTime)] = []
        for range in hours.filter({ $0.start < $0.end }).sorted(by: { $0.start < $1.start }) {
            if let last = result.last, range.start <= last.end {
                result[result.count - 1].end = max(last.end, range.end)
            } else {
                result.append((range.start, range.end))
            }
        }
        return result
    }
}
