/// Limits on an expert's record, checked by `AvailabilityUpdate` and `Expert.validated()`.
public enum ExpertRules {
    public static let maximumSpecialtyLength = 100
    public static let maximumSpecialties = 50
    public static let maximumTopicLength = 100
    public static let maximumTopics = 50
    /// A few paragraphs: it is sent in reminders.
    public static let maximumPreparationLength = 4_000
    /// Seven days of half-hour blocks would be 336; nobody needs more than a few per day.
    public static let maximumWeeklyHours = 100
    /// Calendly sync turns busy times into time off, so this allows a busy calendar.
    public static let maximumTimeOff = 2_000
    /// Two years of dates, each of them overridden.
    public static let maximumDateOverrides = 730
    /// Ranges in one date override; a day split into more pieces than this is a schedule
    /// better kept as time off.
    public static let maximumRangesPerDateOverride = 24
}
