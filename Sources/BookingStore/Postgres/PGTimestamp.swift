import CivilCalendar
import Foundation

/// `timestamptz` text, both ways, without `DateFormatter` (slow, locale-bound).
///
/// Connections start with `DateStyle=ISO` and `TimeZone=UTC`, so the server prints
/// `2025-03-30 10:00:00.123456+00`; the parser still honours any `±hh[:mm[:ss]]` offset in case a
/// statement formats with another zone. PostgreSQL keeps microseconds: a `Date` goes out rounded
/// to the microsecond and comes back as `Date(timeIntervalSince1970: micros / 1e6)`.
enum PGTimestamp {
    static func append(_ date: Date, to bytes: inout [UInt8]) {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let civil = CivilDate.civil(days: Int(days))
        let (year, month, day) = (Int64(civil.year), Int64(civil.month), Int64(civil.day))
        appendDigits(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        appendDigits(secondOfDay / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(fraction, width: 6, to: &bytes)
        bytes.append(contentsOf: "+00".utf8)
    }

    static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `nil` for anything but `YYYY-MM-DD hh:mm:ss[.f…]±hh[:mm[:ss]]` (no `infinity`, no BC).
    static func parse<S: StringProtocol>(_ text: S) -> Date? {
        var reader = Reader(bytes: Array(text.utf8))
        guard let year = reader.number(minDigits: 4, maxDigits: 6), reader.take("-"),
            let month = reader.number(minDigits: 2, maxDigits: 2), reader.take("-"),
            let day = reader.number(minDigits: 2, maxDigits: 2),
            reader.take(" ") || reader.take("T"),
            let hour = reader.number(minDigits: 2, maxDigits: 2), reader.take(":"),
            let minute = reader.number(minDigits: 2, maxDigits: 2), reader.take(":"),
            let second = reader.number(minDigits: 2, maxDigits: 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if reader.take(".") {
            var digits = 0
            while let digit = reader.digit() {
                if digits < 6 { micros = micros * 10 + Int64(digit) }
                digits += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        if reader.take("Z") {
            offsetSeconds = 0
        } else {
            let sign: Int64
            if reader.take("+") { sign = 1 } else if reader.take("-") { sign = -1 } else { return nil }
            guard let hours = reader.number(minDigits: 2, maxDigits: 2) else { return nil }
            var offset = hours * 3600
            if reader.take(":") {
                guard let minutes = reader.number(minDigits: 2, maxDigits: 2) else { return nil }
                offset += minutes * 60
                if reader.take(":") {
                    guard let seconds = reader.number(minDigits: 2, maxDigits: 2) else { return nil }
                    offset += seconds
                }
            }
            offsetSeconds = sign * offset
        }
        guard reader.atEnd else { return nil }
        let days = Int64(CivilDate.days(year: Int(year), month: Int(month), day: Int(day)))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds * 1_000_000 + micros) / 1_000_000)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : -((-value - 1) / divisor) - 1
        return (quotient, value - quotient * divisor)
    }

    private static func appendDigits(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        let text = String(value)
        if text.utf8.count < width {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - text.utf8.count))
        }
        bytes.append(contentsOf: text.utf8)
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { self.index == self.bytes.count }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: character) else { return false }
            self.index += 1
            return true
        }

        mutating func digit() -> Int64? {
            guard self.index < self.bytes.count else { return nil }
            let byte = self.bytes[self.index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            self.index += 1
            return Int64(byte - UInt8(ascii: "0"))
        }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while count < maxDigits, let digit = self.digit() {
                value = value * 10 + digit
                count += 1
            }
            return count >= minDigits ? value : nil
        }
    }
}
