public import Foundation

/// How many calls an expert already has per local date and per local ISO week: the input
/// of the day and week caps (`SchedulingRules.maxCallsPerDay`, `maxCallsPerWeek`).
///
/// Counted are the same calls as `ExpertAvailability.booked`: every call of the expert that
/// is not CANCELLED, whoever booked it (Calendly bookings skip the caps but still fill them).
/// Holds are not counted here; `ExpertAvailability` adds the unexpired holds of others.
///
/// The store can pass counter rows as they are (`init(perDay:perWeek:)`) or the calls' starts
/// (`init(starts:calendar:)`); either way the counts must cover every local week that the
/// slots in question touch (`ExpertCalendar.weeksCovering`), or a cap is checked against
/// too few calls.
public struct CallCounts: Hashable, Sendable {
    /// Calls starting on each local date; absent means none.
    public var perDay: [LocalDate: Int]
    /// Calls starting in each local week, keyed by the week's Monday; absent means none.
    public var perWeek: [LocalDate: Int]

    public init(perDay: [LocalDate: Int] = [:], perWeek: [LocalDate: Int] = [:]) {
        self.perDay = perDay
        self.perWeek = perWeek
    }

    /// Counts calls by their scheduled start, in the expert's zone.
    public init(starts: [Date], timeZone: TimeZone) {
        self.init()
        for start in starts { self.add(start, timeZone: timeZone) }
    }

    public init(starts: [Date], calendar: ExpertCalendar) {
        self.init(starts: starts, timeZone: calendar.timeZone)
    }

    /// Counts one more call starting at `start`.
    public mutating func add(_ start: Date, timeZone: TimeZone) {
        let date = ZoneClock(timeZone).wallClock(at: start).date
        self.perDay[date, default: 0] += 1
        self.perWeek[date.mondayOfWeek, default: 0] += 1
    }

    public func onDay(_ date: LocalDate) -> Int { max(0, self.perDay[date] ?? 0) }
    /// `week` is the Monday that starts it.
    public func inWeek(_ week: LocalDate) -> Int { max(0, self.perWeek[week] ?? 0) }
}
