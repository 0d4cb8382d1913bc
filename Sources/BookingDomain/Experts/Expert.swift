import Foundation

/// Someone customers can book: the domain's view of the contract's `Expert` message.
///
/// `timeZone` is kept as the IANA identifier the expert gave, not a `TimeZone`, so that it
/// round-trips through the database byte for byte; `ExpertCalendar` resolves it and refuses
/// to offer slots for an identifier this machine does not know.
public struct Expert: Hashable, Sendable {
    public var id: ExpertID
    public var name: String
    public var email: String
    public var specialties: [String]
    /// IANA identifier, e.g. "Europe/Berlin"; weekly hours are in this zone.
    public var timeZone: String
    public var clerkUserID: String
    public var calendlyUserURI: String
    /// Inactive experts keep their calls but are never offered or matched.
    public var active: Bool
    public var weeklyHours: [WeeklyHours]
    /// Absolute ranges when the expert is away, whatever their weekly hours say: the entries
    /// a person made (SetExpertAvailability, CreateExpert), which they may read and write back.
    public var timeOff: [TimeSlot]
    /// Busy times of the expert's calendar, written only by the Calendly sync (which replaces
    /// them each round): never taken from a client, so writing back what was read cannot turn
    /// them into `timeOff` the sync no longer removes. Unavailable like `timeOff`.
    public var calendarBusy: [TimeSlot]
    /// Buffers, notice, horizon, caps and the matching weight and priority.
    public var scheduling: SchedulingRules
    /// Other hours (or none) on given local dates, replacing that day's weekly hours.
    public var dateOverrides: [DateOverride]
    /// Keywords of what the expert knows best; an expert whose topics match words of a
    /// call's topic is preferred for it (`ExpertMatcher`).
    public var topics: [String]
    /// What a customer should prepare for a call with this expert; empty: the specialty's
    /// default (`PreparationGuide`).
    public var preparationInstructions: String

    public init(
        id: ExpertID,
        name: String,
        email: String = "",
        specialties: [String] = [],
        timeZone: String,
        clerkUserID: String = "",
        calendlyUserURI: String = "",
        active: Bool = true,
        weeklyHours: [WeeklyHours] = [],
        timeOff: [TimeSlot] = [],
        calendarBusy: [TimeSlot] = [],
        scheduling: SchedulingRules = SchedulingRules(),
        dateOverrides: [DateOverride] = [],
        topics: [String] = [],
        preparationInstructions: String = ""
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.specialties = specialties
        self.timeZone = timeZone
        self.clerkUserID = clerkUserID
        self.calendlyUserURI = calendlyUserURI
        self.active = active
        self.weeklyHours = weeklyHours
        self.timeOff = timeOff
        self.calendarBusy = calendarBusy
        self.scheduling = scheduling
        self.dateOverrides = dateOverrides
        self.topics = topics
        self.preparationInstructions = preparationInstructions
    }

    /// Whether `slot` meets time off or a busy time of the calendar: either keeps it unbookable.
    public func isAway(during slot: TimeSlot) -> Bool {
        self.timeOff.contains { $0.overlaps(slot) } || self.calendarBusy.contains { $0.overlaps(slot) }
    }

    /// Case-insensitive, ignoring surrounding spaces; an empty request matches anyone.
    public func hasSpecialty(_ requested: String) -> Bool {
        let wanted = requested.trimmingCharacters(in: .whitespaces)
        if wanted.isEmpty { return true }
        return self.specialties.contains {
            $0.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(wanted) == .orderedSame
        }
    }
}
