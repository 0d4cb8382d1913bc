/// Recurring working hours on one weekday, in the expert's local time: the contract's
/// `WeeklyHours`.
///
/// Local, not absolute, on purpose: "Mondays 09:00–17:00 in Europe/Berlin" stays 09:00 on
/// the wall clock across DST, and `ExpertCalendar` turns it into instants date by date.
public struct WeeklyHours: Hashable, Sendable, CustomStringConvertible {
    public var day: Weekday
    public var start: LocalTime
    public var end: LocalTime

    public init(day: Weekday, start: LocalTime, end: LocalTime) {
        self.day = day
        self.start = start
        self.end = end
    }

    /// Parses the wire fields; `index` names the entry in errors ("weekly_hours[2].end_time").
    public init(dayNumber: Int, startTime: String, endTime: String, index: Int) throws(BookingError) {
        guard let day = Weekday(isoNumber: dayNumber) else {
            throw .invalidArgument("weekly_hours[\(index)].day must be MONDAY to SUNDAY")
        }
        self.day = day
        self.start = try LocalTime(validating: startTime, field: "weekly_hours[\(index)].start_time")
        self.end = try LocalTime(validating: endTime, field: "weekly_hours[\(index)].end_time")
    }

    public var description: String { "\(self.day) \(self.start)–\(self.end)" }
}
