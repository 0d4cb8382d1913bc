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
        let (date, seconds) = zone.wallClock(at: instant)
        return "\(date)T\(Self.clock(seconds, withSeconds: true))\(Self.offsetText(zone.secondsFromGMT(for: instant)))"
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
