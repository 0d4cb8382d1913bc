/// A validated `SetExpertAvailabilityRequest`: weekly hours and time off that replace the
/// expert's (date overrides and rules join in issue 8).
///
/// Overlaps are refused rather than merged so that what the admin sees is what was stored;
/// ranges that only touch ("09:00–12:00", "12:00–17:00") are fine.
public struct AvailabilityUpdate: Hashable, Sendable {
    public let weeklyHours: [WeeklyHours]
    public let timeOff: [TimeSlot]

    /// `timeZone` is the expert's: weekly hours mean nothing without a zone this machine knows.
    public init(validating weeklyHours: [WeeklyHours], timeOff: [TimeSlot], timeZone: String) throws(BookingError) {
        try FieldRules.timeZone(timeZone, field: "timezone")
        try Self.checkWeeklyHours(weeklyHours)
        try Self.checkTimeOff(timeOff)
        self.weeklyHours = weeklyHours
        self.timeOff = timeOff
    }

    static func checkWeeklyHours(_ hours: [WeeklyHours]) throws(BookingError) {
        guard hours.count <= ExpertRules.maximumWeeklyHours else {
            throw .invalidArgument("weekly_hours may have at most \(ExpertRules.maximumWeeklyHours) entries")
        }
        for (index, range) in hours.enumerated() where !(range.start < range.end) {
            throw .invalidArgument("weekly_hours[\(index)] must start before it ends, got \(range.start)–\(range.end)")
        }
        let indexed = hours.enumerated().sorted { ($0.element.day, $0.element.start) < ($1.element.day, $1.element.start) }
        for (earlier, later) in zip(indexed, indexed.dropFirst())
        where earlier.element.day == later.element.day && later.element.start < earlier.element.end {
            throw .invalidArgument(
                "weekly_hours[\(earlier.offset)] and weekly_hours[\(later.offset)] overlap on \(later.element.day)")
        }
    }

    static func checkTimeOff(_ timeOff: [TimeSlot]) throws(BookingError) {
        guard timeOff.count <= ExpertRules.maximumTimeOff else {
            throw .invalidArgument("time_off may have at most \(ExpertRules.maximumTimeOff) entries")
        }
        for (index, range) in timeOff.enumerated() where !(range.start < range.end) {
            throw .invalidArgument("time_off[\(index)] must start before it ends")
        }
        let indexed = timeOff.enumerated().sorted { $0.element.start < $1.element.start }
        for (earlier, later) in zip(indexed, indexed.dropFirst()) where earlier.element.overlaps(later.element) {
            throw .invalidArgument("time_off[\(earlier.offset)] and time_off[\(later.offset)] overlap")
        }
    }
}
