import CivilCalendar

/// A calendar date with no time zone: the expert's local "YYYY-MM-DD".
///
/// Day arithmetic is `CivilDate`'s (days since 1970-01-01) rather than `Calendar`'s, so that a
/// date never passes through an instant, and so never through a DST rule, until
/// `ZoneClock` decides how.
public struct LocalDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// `nil` unless the date exists (February 30th does not); years 1 ... 9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...LocalDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` after 1970-01-01 (negative: before).
    public init(daysSinceEpoch days: Int) {
        (self.year, self.month, self.day) = CivilDate.civil(days: days)
    }

    /// Exactly "YYYY-MM-DD", as `DateOverride.date`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        var fields: [Int] = []
        for range in [0..<4, 5..<7, 8..<10] {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            fields.append(value)
        }
        self.init(year: fields[0], month: fields[1], day: fields[2])
    }

    public var daysSinceEpoch: Int { CivilDate.days(year: self.year, month: self.month, day: self.day) }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: self.daysSinceEpoch + days) }

    /// 1970-01-01 was a Thursday.
    public var weekday: Weekday {
        let mondayBased = ((self.daysSinceEpoch + 3) % 7 + 7) % 7
        return Weekday(isoNumber: mondayBased + 1) ?? .monday
    }

    /// The Monday of this date's ISO week (weeks run Monday to Sunday).
    public var mondayOfWeek: LocalDate { self.adding(days: 1 - self.weekday.rawValue) }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(self.year, 4))-\(pad(self.month, 2))-\(pad(self.day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
