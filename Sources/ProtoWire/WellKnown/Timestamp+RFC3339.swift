import CivilCalendar

extension Timestamp {
    /// `2023-11-14T22:13:20.005Z`: always UTC (`Z`), with 0, 3, 6 or 9 fraction digits, as
    /// Google's printers do. Throws `valueOutOfRange` outside 0001…9999 or for invalid nanos.
    public func rfc3339String() throws(WireError) -> String {
        guard self.isValid else {
            throw WireError(.valueOutOfRange, "Timestamp seconds \(self.seconds) nanos \(self.nanos) cannot be printed as RFC 3339")
        }
        let seconds = Int(self.seconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let date = CivilDate.civil(days: days)
        var text = Self.padded(date.year, 4) + "-" + Self.padded(date.month, 2) + "-" + Self.padded(date.day, 2)
        text += "T" + Self.padded(secondOfDay / 3600, 2) + ":" + Self.padded(secondOfDay / 60 % 60, 2)
        text += ":" + Self.padded(secondOfDay % 60, 2)
        let nanos = Int(self.nanos)
        if nanos != 0 {
            if nanos % 1_000_000 == 0 {
                text += "." + Self.padded(nanos / 1_000_000, 3)
            } else if nanos % 1000 == 0 {
                text += "." + Self.padded(nanos / 1000, 6)
            } else {
                text += "." + Self.padded(nanos, 9)
            }
        }
        return text + "Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH:MM)` with 1…9 fraction digits. `T` and `Z` must be
    /// upper case (Google rejects lower case); the result must lie in 0001…9999 UTC.
    public init(rfc3339 text: String) throws(WireError) {
        let bytes = Array(text.utf8)
        func fail(_ why: String) -> WireError {
            WireError(.invalidJSONValue, "invalid Timestamp \"\(text)\": \(why)")
        }
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

        guard let year = number(0, 4), byte(4) == UInt8(ascii: "-"),
              let month = number(5, 2), byte(7) == UInt8(ascii: "-"),
              let day = number(8, 2), byte(10) == UInt8(ascii: "T"),
              let hour = number(11, 2), byte(13) == UInt8(ascii: ":"),
              let minute = number(14, 2), byte(16) == UInt8(ascii: ":"),
              let second = number(17, 2)
        else { throw fail("expected YYYY-MM-DDTHH:MM:SS") }
        guard year >= 1, (1...12).contains(month), (1...CivilDate.daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 60
        else { throw fail("date or time out of range") }

        var index = 19
        var nanos = 0
        if byte(index) == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while let next = byte(index), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
                guard digits < 9 else { throw fail("more than 9 fraction digits") }
                nanos = nanos * 10 + Int(next - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw fail("empty fraction") }
            for _ in digits..<9 { nanos *= 10 }
        }

        var offsetSeconds = 0
        switch byte(index) {
        case UInt8(ascii: "Z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let offsetHour = number(index + 1, 2), byte(index + 3) == UInt8(ascii: ":"),
                  let offsetMinute = number(index + 4, 2), offsetHour < 24, offsetMinute < 60
            else { throw fail("expected an offset like +02:00") }
            offsetSeconds = (offsetHour * 60 + offsetMinute) * 60
            if byte(index) == UInt8(ascii: "-") { offsetSeconds = -offsetSeconds }
            index += 6
        default:
            throw fail("expected Z or an offset")
        }
        guard index == bytes.count else { throw fail("unexpected text after the offset") }

        let days = CivilDate.days(year: year, month: month, day: day)
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        self.init(seconds: Int64(local - offsetSeconds), nanos: Int32(nanos))
        guard self.isValid else { throw WireError(.valueOutOfRange, "Timestamp \"\(text)\" is outside 0001-01-01…9999-12-31") }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
