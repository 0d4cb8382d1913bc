import Foundation

/// Conversions between instants and an expert's wall clock, with one explicit rule for the
/// local times that DST makes ambiguous.
///
/// `Calendar.date(from:)` also resolves them, but by a policy that is not documented and has
/// differed between Foundation implementations; availability must give the same slots on
/// every replica, so the rule is written here, using only `secondsFromGMT(for:)`:
///
/// **A local time means the first instant at which the wall clock reads it or later.**
/// - Spring forward (Berlin 2025-03-30, 02:00 → 03:00): 02:30 does not exist and means the
///   instant the clock jumps, 03:00 CEST. A range 02:00–02:45 that day is empty.
/// - Fall back (Berlin 2025-10-26, 03:00 → 02:00): 02:30 happens twice and means the first,
///   02:30 CEST. A range 01:00–04:00 that day lasts four real hours, and every instant of it,
///   the repeated hour included, is open once.
extension TimeZone {
    /// The local date and seconds since local midnight of an instant.
    func wallClock(at instant: Date) -> (date: LocalDate, secondsOfDay: Int) {
        let local = Self.wholeSeconds(instant) + self.secondsFromGMT(for: instant)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (LocalDate(daysSinceEpoch: days), local - days * 86_400)
    }

    /// The first instant at which the wall clock reads `time` on `date`, or later (see above).
    /// 24:00 is 00:00 of the next day.
    func firstInstant(on date: LocalDate, at time: LocalTime) -> Date {
        let naive = date.daysSinceEpoch * 86_400 + time.minutes * 60   // the wall reading as if UTC
        // The offsets in force within a day of the reading cover every instant that can show
        // it (offsets stay within ±14 h), assuming at most one transition in that day.
        let offsets = Set([-86_400, 0, 86_400].map { self.offset(atSecond: naive + $0) })
        let exact = offsets.map { naive - $0 }.filter { self.offset(atSecond: $0) == naive - $0 }
        if let first = exact.min() {
            return Date(timeIntervalSince1970: TimeInterval(first))
        }
        // A gap: find the jump. Below `low` the clock reads earlier than `naive`, at `high` later,
        // and in between it only moves forward, so a binary search finds the first instant.
        var low = naive - (offsets.max() ?? 0) - 1
        var high = naive - (offsets.min() ?? 0)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if middle + self.offset(atSecond: middle) >= naive { high = middle } else { low = middle }
        }
        return Date(timeIntervalSince1970: TimeInterval(high))
    }

    /// Whether the wall clock at `instant` shows a whole multiple of `minutes` since midnight.
    func isOnLocalGrid(_ instant: Date, minutes: Int) -> Bool {
        let (_, seconds) = self.wallClock(at: instant)
        return instant.timeIntervalSince1970.rounded(.down) == instant.timeIntervalSince1970
            && seconds % (minutes * 60) == 0
    }

    /// The first instant at or after `instant` whose wall clock is on the `minutes` grid.
    func nextOnLocalGrid(atOrAfter instant: Date, minutes: Int) -> Date {
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
    private static func wholeSeconds(_ instant: Date) -> Int {
        let seconds = instant.timeIntervalSince1970
        guard seconds.isFinite else { return 0 }
        return Int(min(max(seconds, -1e14), 1e14).rounded(.down))
    }
}
