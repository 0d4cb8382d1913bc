/// A day of the week, numbered as the contract's `DayOfWeek` and ISO 8601: Monday 1 … Sunday 7.
public enum Weekday: Int, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// `nil` for 0 (`DAY_OF_WEEK_UNSPECIFIED`) and anything outside 1 ... 7.
    public init?(isoNumber: Int) { self.init(rawValue: isoNumber) }

    public var description: String {
        switch self {
        case .monday: return "MONDAY"
        case .tuesday: return "TUESDAY"
        case .wednesday: return "WEDNESDAY"
        case .thursday: return "THURSDAY"
        case .friday: return "FRIDAY"
        case .saturday: return "SATURDAY"
        case .sunday: return "SUNDAY"
        }
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}
