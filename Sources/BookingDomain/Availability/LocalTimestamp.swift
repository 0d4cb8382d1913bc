public import Foundation

/// An instant written as a person in a zone reads it: RFC 3339 with that zone's offset at that
/// instant, whole seconds ("2030-01-07T10:00:00+01:00", "2030-03-31T10:00:00+02:00" after
/// Berlin's spring switch). The offset is the zone's at the instant itself, so the text always
/// names the same instant as its UTC form, on either side of a daylight-saving change.
///
/// Built from the zone's offset rather than a `DateFormatter`, so the text is the same on every
/// platform and ICU version.
public enum LocalTimestamp {
    public static func text(_ instant: Date, in zone: TimeZone) -> String {
        Self.text(instant, on: ZoneClock(zone))
    }

    /// The same on a clock the caller holds. Written digit by digit into the string's own
    /// storage: a week of slots formats thousands of these per answer.
    public static func text(_ instant: Date, on clock: ZoneClock) -> String {
        let offset = clock.secondsFromGMT(for: instant)
        let (date, seconds) = clock.wallClock(at: instant, offset: offset)
        guard (0...9999).contains(date.year) else {
            return "\(date)T\(Self.clock(seconds, withSeconds: true))\(Self.offsetText(offset))"
        }
        let offsetMinutes = abs(offset) / 60
        return String(unsafeUninitializedCapacity: 25) { bytes in
            var at = 0
            func put(_ byte: UInt8) {
                bytes[at] = byte
                at += 1
            }
            func digits(_ value: Int, _ count: Int) {
                var divisor = 1
                for _ in 1..<count { divisor *= 10 }
                while divisor > 0 {
                    put(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                    divisor /= 10
                }
            }
            digits(date.year, 4); put(UInt8(ascii: "-")); digits(date.month, 2); put(UInt8(ascii: "-"))
            digits(date.day, 2); put(UInt8(ascii: "T"))
            digits(seconds / 3600, 2); put(UInt8(ascii: ":")); digits(seconds / 60 % 60, 2); put(UInt8(ascii: ":"))
            digits(seconds % 60, 2)
            put(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            digits(offsetMinutes / 60, 2); put(UInt8(ascii: ":")); digits(offsetMinutes % 60, 2)
            return at
        }
    }

    /// In the zone named by an IANA identifier; nil when it is empty or unknown to this machine.
    public static func text(_ instant: Date, zoneIdentifier identifier: String) -> String? {
        guard !identifier.isEmpty, let zone = TimeZone(identifier: identifier) else { return nil }
        return Self.text(instant, in: zone)
    }

    /// The zone of an IANA identifier a client sent; INVALID_ARGUMENT naming `field` when it is
    /// not one this machine knows.
    public static func zone(_ identifier: String, field: String) throws(BookingError) -> TimeZone {
        try FieldRules.timeZone(identifier, field: field)
        guard let zone = TimeZone(identifier: identifier) else {
            throw .invalidArgument("\(field) is not a known timezone")
        }
        return zone
    }

    /// "10:00:00" or "10:00".
    static func clock(_ secondsOfDay: Int, withSeconds: Bool) -> String {
        let text = "\(Self.two(secondsOfDay / 3600)):\(Self.two(secondsOfDay / 60 % 60))"
        return withSeconds ? text + ":\(Self.two(secondsOfDay % 60))" : text
    }

    /// "+01:00", "-03:30", "+00:00".
    static func offsetText(_ seconds: Int) -> String {
        let minutes = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + "\(Self.two(minutes / 60)):\(Self.two(minutes % 60))"
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
