public import Foundation

/// An instant as one person reads it: in their own time zone, for a reminder or follow-up.
///
/// `display` is built here from fixed English names and the zone's offset rather than by a
/// `DateFormatter`, so it is the same text on every platform and ICU version:
/// "Monday, 7 January 2030, 10:00 CET". The abbreviation comes from `ZoneAbbreviations`; a
/// zone it does not list is shown by its offset ("UTC-03:00").
public struct ZonedTime: Hashable, Sendable, Encodable {
    /// The IANA zone the times are in: the person's own, or "UTC" when theirs is empty or
    /// unknown to this machine.
    public var timeZone: String
    /// ISO 8601 with the local offset: "2030-01-07T10:00:00+01:00".
    public var local: String
    /// ISO 8601 in UTC: "2030-01-07T09:00:00Z".
    public var utc: String
    /// "Monday, 7 January 2030, 10:00 CET".
    public var display: String

    public init(_ instant: Date, timeZone identifier: String) {
        let known = identifier.isEmpty ? nil : TimeZone(identifier: identifier)
        let zone = known ?? Self.utcZone
        let offset = zone.secondsFromGMT(for: instant)
        let (date, seconds) = ZoneClock(zone).wallClock(at: instant)
        self.timeZone = known == nil ? "UTC" : identifier
        self.local = LocalTimestamp.text(instant, in: zone)
        self.utc = Self.utcText(instant)
        self.display = "\(Self.weekdayNames[date.weekday.rawValue - 1]), \(date.day) \(Self.monthNames[date.month - 1]) \(date.year), "
            + "\(LocalTimestamp.clock(seconds, withSeconds: false)) \(Self.abbreviation(self.timeZone, zone, at: instant, offset: offset))"
    }

    /// ISO 8601 in UTC, whole seconds: "2030-01-07T09:00:00Z".
    public static func utcText(_ instant: Date) -> String {
        let (date, seconds) = Self.utcClock.wallClock(at: instant)
        return "\(date)T\(LocalTimestamp.clock(seconds, withSeconds: true))Z"
    }

    private static let utcZone = TimeZone(identifier: "UTC")!
    private static let utcClock = ZoneClock(utcZone)
    private static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]

    /// "CET", "EDT" for the zones `ZoneAbbreviations` lists; otherwise the offset, "UTC+05:45"
    /// ("UTC" at zero).
    private static func abbreviation(_ identifier: String, _ zone: TimeZone, at instant: Date, offset: Int) -> String {
        if let names = ZoneAbbreviations.names(for: identifier) {
            return zone.isDaylightSavingTime(for: instant) ? names.daylight : names.standard
        }
        return offset == 0 ? "UTC" : "UTC" + LocalTimestamp.offsetText(offset)
    }
}
