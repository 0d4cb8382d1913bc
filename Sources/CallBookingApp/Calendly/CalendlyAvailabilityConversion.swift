import BookingDomain
import Calendly
import Foundation

/// Calendly's availability in the domain's terms: pure functions, no I/O, time passed in.
///
/// Decisions (README "Calendly availability sync"):
/// - **The schedule's zone becomes the expert's.** Calendly's rules are wall-clock times in the
///   schedule's `timezone`; our weekly hours are wall-clock times in the expert's `time_zone`.
///   Converting between two zones cannot be written as weekly hours (New York and Berlin are 5
///   or 6 hours apart depending on the week, and a rule near midnight moves to another weekday),
///   so the expert adopts the schedule's zone and the rules are copied as they are: every date,
///   DST weeks included, opens exactly when Calendly opens it.
/// - **The default schedule is the one used** (`default: true`), as Calendly's own event types
///   do unless told otherwise.
/// - **`date` rules become date overrides**, replacing all of the expert's overrides: hours of a
///   linked expert are Calendly's, weekly and by date alike (a manual override and a Calendly
///   one for the same date could not both hold). Past dates, and dates beyond the overrides
///   limit, are left out.
/// - **Busy times become time off**, widened to Calendly's buffers, merged where they overlap or
///   touch, except the events of our own calls: those calls block their time already.
enum CalendlyAvailabilityConversion {
    /// The hours of one schedule, ready for `AvailabilityUpdate`.
    struct Hours: Equatable, Sendable {
        var timeZone: String
        var weeklyHours: [WeeklyHours]
        var dateOverrides: [DateOverride]
        /// Rules and intervals left out, described for the log ("rule 3: unknown type").
        var ignored: [String]
    }

    /// Busy times as time off.
    struct TimeOff: Equatable, Sendable {
        var slots: [TimeSlot]
        /// Busy times that were events of our own calls.
        var skippedOwnCalls: Int
    }

    /// The user's default schedule; a user without one cannot be synced.
    static func defaultSchedule(_ schedules: [AvailabilitySchedule]) throws(CalendlySyncFailure) -> AvailabilitySchedule {
        guard let schedule = schedules.first(where: \.isDefault) else {
            throw CalendlySyncFailure(.unusableSchedule, "Calendly lists no default availability schedule for the user")
        }
        return schedule
    }

    /// Weekly hours and date overrides of `schedule`, in its own zone. Overrides of dates before
    /// the one the schedule's zone shows at `now` no longer matter and are left out.
    static func hours(from schedule: AvailabilitySchedule, now: Date) throws(CalendlySyncFailure) -> Hours {
        guard let zone = TimeZone(identifier: schedule.timezone), let today = Self.localDate(at: now, in: zone) else {
            throw CalendlySyncFailure(.unusableSchedule, "the schedule's timezone \(schedule.timezone.debugDescription) is unknown here")
        }
        let lastDate = today.adding(days: ExpertRules.maximumDateOverrides - 1)
        var byDay: [Weekday: [LocalTimeRange]] = [:]
        var byDate: [LocalDate: [LocalTimeRange]] = [:]
        var ignored: [String] = []
        for (index, rule) in schedule.rules.enumerated() {
            let ranges = Self.ranges(rule.intervals, rule: index, ignored: &ignored)
            switch rule.type {
            case "wday":
                guard let day = rule.wday.flatMap(Self.weekday) else {
                    ignored.append("rule \(index): unknown wday \(String(describing: rule.wday))")
                    continue
                }
                byDay[day, default: []] += ranges
            case "date":
                guard let date = rule.date.flatMap(LocalDate.init) else {
                    ignored.append("rule \(index): unreadable date \(String(describing: rule.date))")
                    continue
                }
                guard today <= date, date <= lastDate else { continue }
                byDate[date, default: []] += ranges
            default:
                ignored.append("rule \(index): unknown type \(rule.type.debugDescription)")
            }
        }
        let weeklyHours = byDay.keys.sorted().flatMap { day in
            Self.merged(byDay[day] ?? []).map { WeeklyHours(day: day, start: $0.start, end: $0.end) }
        }
        let dateOverrides = byDate.keys.sorted().map { DateOverride(date: $0, hours: Self.merged(byDate[$0] ?? [])) }
        return Hours(timeZone: schedule.timezone, weeklyHours: weeklyHours, dateOverrides: dateOverrides, ignored: ignored)
    }

    /// Time off for `busy`: each busy time widened to its buffers, our own calls' events
    /// (`ownEvents`, scheduled event URIs) left out, the rest sorted and merged.
    static func timeOff(from busy: [BusyTime], ownEvents: Set<String>) -> TimeOff {
        var skipped = 0
        var slots: [TimeSlot] = []
        for item in busy {
            if let event = item.eventURI, ownEvents.contains(event) {
                skipped += 1
                continue
            }
            let start = min(item.bufferedStartTime ?? item.startTime, item.startTime)
            let end = max(item.bufferedEndTime ?? item.endTime, item.endTime)
            if start < end { slots.append(TimeSlot(start: start, end: end)) }
        }
        var merged: [TimeSlot] = []
        for slot in slots.sorted(by: { $0.start < $1.start }) {
            if let last = merged.last, slot.start <= last.end {
                merged[merged.count - 1].end = max(last.end, slot.end)
            } else {
                merged.append(slot)
            }
        }
        return TimeOff(slots: merged, skippedOwnCalls: skipped)
    }

    /// The local date a zone shows at an instant.
    private static func localDate(at instant: Date, in timeZone: TimeZone) -> LocalDate? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    // MARK: - Pieces

    private static func weekday(_ name: String) -> Weekday? {
        switch name.lowercased() {
        case "monday": .monday
        case "tuesday": .tuesday
        case "wednesday": .wednesday
        case "thursday": .thursday
        case "friday": .friday
        case "saturday": .saturday
        case "sunday": .sunday
        default: nil
        }
    }

    /// Readable intervals of a rule; one that is not "HH:MM"–"HH:MM" with its start first is
    /// left out and noted.
    private static func ranges(_ intervals: [AvailabilityInterval], rule: Int, ignored: inout [String]) -> [LocalTimeRange] {
        intervals.enumerated().compactMap { index, interval in
            guard let start = LocalTime(interval.from), let end = LocalTime(interval.to), start < end else {
                ignored.append("rule \(rule) interval \(index): unusable \(interval.from)–\(interval.to)")
                return nil
            }
            return LocalTimeRange(start: start, end: end)
        }
    }

    /// Sorted, with overlapping ranges joined (the store refuses overlaps; Calendly should not
    /// send them, but two rules for one day would).
    private static func merged(_ ranges: [LocalTimeRange]) -> [LocalTimeRange] {
        var result: [LocalTimeRange] = []
        for range in ranges.sorted(by: { $0.start < $1.start }) {
            if let last = result.last, range.start < last.end {
                result[result.count - 1].end = max(last.end, range.end)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
