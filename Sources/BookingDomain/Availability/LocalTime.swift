/// A wall-clock time of day, "HH:MM", as minutes since local midnight.
///
/// 24:00 exists so that a range can end at midnight ("22:00"–"24:00"); it is only ever valid
/// as an end, which the validators check. Seconds are not representable: availability is
/// set in minutes and slots start on a 15-minute grid.
public struct LocalTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let midnight = LocalTime(uncheckedMinutes: 0)
    public static let endOfDay = LocalTime(uncheckedMinutes: 24 * 60)

    /// 0 ... 1440.
    public let minutes: Int

    /// `nil` outside 0 ... 1440.
    public init?(minutes: Int) {
        guard (0...(24 * 60)).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    /// `nil` outside 00:00 ... 24:00.
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour) && (0...59).contains(minute) || (hour == 24 && minute == 0) else {
            return nil
        }
        self.minutes = hour * 60 + minute
    }

    init(uncheckedMinutes: Int) { self.minutes = uncheckedMinutes }

    /// Exactly "HH:MM" with two digits each, 00:00 ... 23:59 or 24:00.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
            let h1 = LocalTime.digit(bytes[0]), let h2 = LocalTime.digit(bytes[1]),
            let m1 = LocalTime.digit(bytes[3]), let m2 = LocalTime.digit(bytes[4])
        else { return nil }
        self.init(hour: h1 * 10 + h2, minute: m1 * 10 + m2)
    }

    /// Parses a request field, naming it in the error.
    public init(validating text: String, field: String) throws(BookingError) {
        guard let time = LocalTime(text) else {
            throw .invalidArgument("\(field) must be a local time \"HH:MM\" (00:00 to 24:00), got \(InputText.quoted(text))")
        }
        self = time
    }

    public var hour: Int { self.minutes / 60 }
    public var minute: Int { self.minutes % 60 }

    /// "HH:MM", the wire form.
    public var description: String {
        let hour = self.hour < 10 ? "0\(self.hour)" : "\(self.hour)"
        let minute = self.minute < 10 ? "0\(self.minute)" : "\(self.minute)"
        return "\(hour):\(minute)"
    }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.minutes < rhs.minutes }

    private static func digit(_ byte: UInt8) -> Int? {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        return Int(byte - UInt8(ascii: "0"))
    }
}
