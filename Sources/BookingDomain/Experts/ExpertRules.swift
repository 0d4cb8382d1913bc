/// Limits on an expert's record, checked by `AvailabilityUpdate` and `Expert.validated()`.
public enum ExpertRules {
    public static let maximumSpecialtyLength = 100
    public static let maximumSpecialties = 50
    /// Seven days of half-hour blocks would be 336; nobody needs more than a few per day.
    public static let maximumWeeklyHours = 100
    /// Calendly sync turns busy times into time off, so this allows a busy calendar.
    public static let maximumTimeOff = 2_000
}
