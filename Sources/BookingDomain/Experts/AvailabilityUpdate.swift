/// A validated `SetExpertAvailabilityRequest`: weekly hours, time off and date overrides
/// that replace the expert's, and scheduling rules that replace theirs when given.
///
/// Overlaps are refused rather than merged so that what the admin sees is what was stored;
/// ranges that only touch ("09:00–12:00", "12:00–17:00") are fine.
public struct AvailabilityUpdate: Hashable, Sendable {
    public let weeklyHours: [WeeklyHours]
    public let timeOff: [TimeSlot]
    public let dateOverrides: [DateOverride]
    /// `nil`: the request had no `scheduling`, and the expert keeps their rules (contract:
    /// "SetExpertAvailability").
    public let scheduling: SchedulingRules?

    /// `timeZone` is the expert's: weekly hours mean nothing without a zone this machine knows.
    public init(
        validating weeklyHours: [WeeklyHours], timeOff: [TimeSlot], dateOverrides: [DateOverride] = [],
        scheduling: SchedulingRules? = nil, timeZone: String
    ) throws(BookingError) {
        try FieldRules.timeZone(timeZone, field: "timezone")
        try Self.checkWeeklyHours(weeklyHours)
        try Self.checkTimeOff(timeOff)
        try Self.checkDateOverrides(dateOverrides)
        self.weeklyHours = weeklyHours
        self.timeOff = timeOff
        self.dateOverrides = dateOverrides
        self.scheduling = try scheduling?.validated()
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

    /// Dates are valid by construction (`LocalDate`); here: each date once, each range
    /// starting before it ends, and no two ranges of one date overlapping.
    static func checkDateOverrides(_ overrides: [DateOverride]) throws(BookingError) {
        guard overrides.count <= ExpertRules.maximumDateOverrides else {
            throw .invalidArgument("date_overrides may have at most \(ExpertRules.maximumDateOverrides) entries")
        }
        var seen: [LocalDate: Int] = [:]
        for (index, override) in overrides.enumerated() {
            if let first = seen[override.date] {
                throw .invalidArgument("date_overrides[\(first)] and date_overrides[\(index)] are both for \(override.date)")
            }
            seen[override.date] = index
            guard override.hours.count <= ExpertRules.maximumRangesPerDateOverride else {
                throw .invalidArgument(
                    "date_overrides[\(index)].hours may have at most \(ExpertRules.maximumRangesPerDateOverride) entries")
            }
            for (rangeIndex, range) in override.hours.enumerated() where !(range.start < range.end) {
                throw .invalidArgument(
                    "date_overrides[\(index)].hours[\(rangeIndex)] must start before it ends, got \(range)")
            }
            let indexed = override.hours.enumerated().sorted { $0.element.start < $1.element.start }
            for (earlier, later) in zip(indexed, indexed.dropFirst()) where later.element.start < earlier.element.end {
                throw .invalidArgument(
                    "date_overrides[\(index)].hours[\(earlier.offset)] and date_overrides[\(index)].hours[\(later.offset)] overlap")
            }
        }
    }
}
