public import Foundation
import Synchronization

/// A time zone's wall clock: conversions between instants and local dates and times, with one
/// explicit rule for the local times that DST makes ambiguous.
///
/// `Calendar.date(from:)` also resolves them, but by a policy that is not documented and has
/// differed between Foundation implementations; availability must give the same slots on
/// every replica, so the rule is written here, using only the zone's UTC offsets:
///
/// **A local time means the first instant at which the wall clock reads it or later.**
/// - Spring forward (Berlin 2025-03-30, 02:00 → 03:00): 02:30 does not exist and means the
///   instant the clock jumps, 03:00 CEST. A range 02:00–02:45 that day is empty.
/// - Fall back (Berlin 2025-10-26, 03:00 → 02:00): 02:30 happens twice and means the first,
///   02:30 CEST. A range 01:00–04:00 that day lasts four real hours, and every instant of it,
///   the repeated hour included, is open once.
///
/// The offsets come from a table of the zone's transitions between 1990 and 2100, read once
/// per zone and process from Foundation (`nextDaylightSavingTimeTransition`, which reports
/// every change of the offset, standard time included), so a conversion is a binary search.
/// Listing a week of slots converts thousands of instants; through `secondsFromGMT(for:)`
/// each would take ICU's lock and calendar arithmetic. Outside the table's years the zone is
/// asked directly.
public struct ZoneClock: Sendable {
    public let zone: TimeZone
    private let table: OffsetTable

    /// The clock of `zone`, its table built on first use and shared by the whole process.
    public init(_ zone: TimeZone) {
        self.zone = zone
        self.table = OffsetTable.shared(for: zone)
    }

    /// The zone's offset from UTC at an instant, in seconds.
    public func secondsFromGMT(for instant: Date) -> Int {
        self.table.offset(at: instant.timeIntervalSince1970) ?? self.zone.secondsFromGMT(for: instant)
    }

    /// The local date and seconds since local midnight of an instant.
    public func wallClock(at instant: Date) -> (date: LocalDate, secondsOfDay: Int) {
        self.wallClock(at: instant, offset: self.secondsFromGMT(for: instant))
    }

    /// The same, for an instant whose offset the caller already has.
    func wallClock(at instant: Date, offset: Int) -> (date: LocalDate, secondsOfDay: Int) {
        let local = Self.wholeSeconds(instant) + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (LocalDate(daysSinceEpoch: days), local - days * 86_400)
    }

    /// The first instant at which the wall clock reads `time` on `date`, or later (see above).
    /// 24:00 is 00:00 of the next day.
    public func firstInstant(on date: LocalDate, at time: LocalTime) -> Date {
        let naive = date.daysSinceEpoch * 86_400 + time.minutes * 60  // the wall reading as if UTC
        // The offsets in force within a day of the reading cover every instant that can show
        // it (offsets stay within ±14 h), assuming at most one transition in that day.
        let before = self.offset(atSecond: naive - 86_400)
        let at = self.offset(atSecond: naive)
        let after = self.offset(atSecond: naive + 86_400)
        var first: Int?
        for offset in [before, at, after] where self.offset(atSecond: naive - offset) == offset {
            first = min(first ?? naive - offset, naive - offset)
        }
        if let first {
            return Date(timeIntervalSince1970: TimeInterval(first))
        }
        // A gap: find the jump. Below `low` the clock reads earlier than `naive`, at `high` later,
        // and in between it only moves forward, so a binary search finds the first instant.
        var low = naive - max(before, at, after) - 1
        var high = naive - min(before, at, after)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if middle + self.offset(atSecond: middle) >= naive { high = middle } else { low = middle }
        }
        return Date(timeIntervalSince1970: TimeInterval(high))
    }

    /// Whether the wall clock at `instant` shows a whole multiple of `minutes` since midnight.
    public func isOnLocalGrid(_ instant: Date, minutes: Int) -> Bool {
        let (_, seconds) = self.wallClock(at: instant)
        return instant.timeIntervalSince1970.rounded(.down) == instant.timeIntervalSince1970
            && seconds % (minutes * 60) == 0
    }

    /// The first instant at or after `instant` whose wall clock is on the `minutes` grid.
    public func nextOnLocalGrid(atOrAfter instant: Date, minutes: Int) -> Date {
        var second = Self.wholeSeconds(instant)
        if TimeInterval(second) < instant.timeIntervalSince1970 { second += 1 }
        let step = minutes * 60
        // Offsets are whole quarter hours in every zone today, so one correction is enough;
        // the loop only guards historical zones where the jump itself is off the grid.
        for _ in 0..<4 {
            let remainder = self.wallClock(at: Date(timeIntervalSince1970: TimeInterval(second))).secondsOfDay % step
            if remainder == 0 { break }
            second += step - remainder
        }
        return Date(timeIntervalSince1970: TimeInterval(second))
    }

    private func offset(atSecond second: Int) -> Int {
        self.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(second)))
    }

    /// Clamped to ±3 million years so that no `Date` from the wire can trap the conversion.
    static func wholeSeconds(_ instant: Date) -> Int {
        let seconds = instant.timeIntervalSince1970
        guard seconds.isFinite else { return 0 }
        return Int(min(max(seconds, -1e14), 1e14).rounded(.down))
    }
}

/// A zone's offsets between 1990 and 2100: the offset at the start, then each transition
/// with the offset from it on.
private final class OffsetTable: Sendable {
    static let covered: Range<TimeInterval> = 631_152_000..<4_102_444_800  // 1990-01-01 ..< 2100-01-01
    private static let tables = Mutex<[String: OffsetTable]>([:])

    let initialOffset: Int
    /// Seconds since 1970 at which the offset changes, ascending, and the offset from then on.
    let transitions: [TimeInterval]
    let offsets: [Int]

    static func shared(for zone: TimeZone) -> OffsetTable {
        if let table = Self.tables.withLock({ $0[zone.identifier] }) { return table }
        // Built outside the lock: two first uses at once build it twice, and either is right.
        let table = OffsetTable(zone)
        Self.tables.withLock { $0[zone.identifier] = table }
        return table
    }

    private init(_ zone: TimeZone) {
        let start = Date(timeIntervalSince1970: Self.covered.lowerBound)
        var transitions: [TimeInterval] = []
        var offsets: [Int] = []
        var last = start
        while let next = zone.nextDaylightSavingTimeTransition(after: last),
            next.timeIntervalSince1970 < Self.covered.upperBound, next > last
        {
            transitions.append(next.timeIntervalSince1970)
            offsets.append(zone.secondsFromGMT(for: next))
            last = next
        }
        self.initialOffset = zone.secondsFromGMT(for: start)
        self.transitions = transitions
        self.offsets = offsets
    }

    /// nil outside the covered years.
    func offset(at seconds: TimeInterval) -> Int? {
        guard Self.covered.contains(seconds) else { return nil }
        // The number of transitions at or before `seconds`.
        var low = 0
        var high = self.transitions.count
        while low < high {
            let middle = (low + high) / 2
            if self.transitions[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? self.initialOffset : self.offsets[low - 1]
    }
}
