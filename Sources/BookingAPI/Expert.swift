public import ProtoWire

/// Someone customers can book. Non-admins see `email`, `clerkUserID`, `calendlyUserURI`,
/// `scheduling`, `timeOff` and `calendarBusy` only on their own record.
public struct Expert: ProtoMessage {
    public var id = ""
    public var name = ""
    public var email = ""
    public var specialties: [String] = []
    /// IANA timezone; weekly hours and date overrides are in this zone.
    public var timezone = ""
    public var clerkUserID = ""
    public var calendlyUserURI = ""
    /// proto3 `optional`: absent in CreateExpert means true; always present on output.
    public var active: Bool?
    public var weeklyHours: [WeeklyHours] = []
    public var dateOverrides: [DateOverride] = []
    public var timeOff: [TimeSlot] = []
    public var scheduling: SchedulingRules?
    /// Bookable slots of `ListExpertsRequest.slotMinutes` in the requested window (ListExperts only).
    public var availableSlots: [TimeSlot] = []
    /// Keywords matched against the words of a call's topic: matching experts are preferred.
    public var topics: [String] = []
    /// What a customer should prepare for a call with this expert; empty: the specialty's default.
    public var preparationInstructions = ""
    /// Output only: busy times of the expert's calendar from the Calendly sync, unbookable like
    /// `timeOff` (which holds manual entries only). Ignored in requests.
    public var calendarBusy: [TimeSlot] = []

    public init() {}

    public static let protoName = "loop.callbooking.v1.Expert"
    public static let schema: MessageSchema<Expert> = [
        .string(1, "id", \.id),
        .string(2, "name", \.name),
        .string(3, "email", \.email),
        .string(4, "specialties", \.specialties),
        .string(5, "timezone", \.timezone),
        .string(6, "clerk_user_id", \.clerkUserID),
        .string(7, "calendly_user_uri", \.calendlyUserURI),
        .bool(8, "active", \.active),
        .message(9, "weekly_hours", \.weeklyHours),
        .message(10, "date_overrides", \.dateOverrides),
        .message(11, "time_off", \.timeOff),
        .message(12, "scheduling", \.scheduling),
        .message(13, "available_slots", \.availableSlots),
        .string(14, "topics", \.topics),
        .string(15, "preparation_instructions", \.preparationInstructions),
        .message(16, "calendar_busy", \.calendarBusy),
    ]
}

/// A day of the week in the expert's timezone.
public struct DayOfWeek: ProtoEnum {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let unspecified = DayOfWeek(rawValue: 0)
    public static let monday = DayOfWeek(rawValue: 1)
    public static let tuesday = DayOfWeek(rawValue: 2)
    public static let wednesday = DayOfWeek(rawValue: 3)
    public static let thursday = DayOfWeek(rawValue: 4)
    public static let friday = DayOfWeek(rawValue: 5)
    public static let saturday = DayOfWeek(rawValue: 6)
    public static let sunday = DayOfWeek(rawValue: 7)

    public static let protoName = "loop.callbooking.v1.DayOfWeek"
    public static let names: ProtoEnumNames = [
        0: "DAY_OF_WEEK_UNSPECIFIED", 1: "MONDAY", 2: "TUESDAY", 3: "WEDNESDAY",
        4: "THURSDAY", 5: "FRIDAY", 6: "SATURDAY", 7: "SUNDAY",
    ]
}

/// Recurring working hours on one weekday, local "HH:MM" times.
public struct WeeklyHours: ProtoMessage {
    public var day = DayOfWeek.unspecified
    public var startTime = ""
    public var endTime = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.WeeklyHours"
    public static let schema: MessageSchema<WeeklyHours> = [
        .enum(1, "day", \.day),
        .string(2, "start_time", \.startTime),
        .string(3, "end_time", \.endTime),
    ]
}

/// Working hours for one local date, replacing the weekly hours of that day.
public struct DateOverride: ProtoMessage {
    /// Local "YYYY-MM-DD".
    public var date = ""
    /// Empty: closed that day.
    public var hours: [LocalTimeRange] = []

    public init() {}

    public static let protoName = "loop.callbooking.v1.DateOverride"
    public static let schema: MessageSchema<DateOverride> = [
        .string(1, "date", \.date),
        .message(2, "hours", \.hours),
    ]
}

/// A range of local "HH:MM" times within one day.
public struct LocalTimeRange: ProtoMessage {
    public var startTime = ""
    public var endTime = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.LocalTimeRange"
    public static let schema: MessageSchema<LocalTimeRange> = [
        .string(1, "start_time", \.startTime),
        .string(2, "end_time", \.endTime),
    ]
}

/// A range of absolute time, [start, end).
public struct TimeSlot: ProtoMessage {
    public var start: Timestamp?
    public var end: Timestamp?
    /// Output only: `start` and `end` as RFC 3339 with a zone's offset ("2030-01-07T10:00:00+01:00").
    public var localStart = ""
    public var localEnd = ""

    public init() {}

    public static let protoName = "loop.callbooking.v1.TimeSlot"
    public static let schema: MessageSchema<TimeSlot> = [
        .message(1, "start", \.start),
        .message(2, "end", \.end),
        .string(3, "local_start", \.localStart),
        .string(4, "local_end", \.localEnd),
    ]
}

/// Limits on when and how often an expert can be booked; 0 means no limit unless noted.
public struct SchedulingRules: ProtoMessage {
    /// Free minutes kept before each call; buffers of neighbouring calls add up.
    public var bufferBeforeMinutes: Int32 = 0
    public var bufferAfterMinutes: Int32 = 0
    /// How long before its start a call must be booked.
    public var minimumNoticeMinutes: Int32 = 0
    /// How many days ahead a call may be booked.
    public var bookingHorizonDays: Int32 = 0
    /// Caps per local day and per local week (weeks start on Monday).
    public var maxCallsPerDay: Int32 = 0
    public var maxCallsPerWeek: Int32 = 0
    /// Relative share of matched calls; 0 is read as 1.
    public var weight: Int32 = 0
    /// Higher is tried first among equally loaded experts.
    public var priority: Int32 = 0

    public init() {}

    public static let protoName = "loop.callbooking.v1.SchedulingRules"
    public static let schema: MessageSchema<SchedulingRules> = [
        .int32(1, "buffer_before_minutes", \.bufferBeforeMinutes),
        .int32(2, "buffer_after_minutes", \.bufferAfterMinutes),
        .int32(3, "minimum_notice_minutes", \.minimumNoticeMinutes),
        .int32(4, "booking_horizon_days", \.bookingHorizonDays),
        .int32(5, "max_calls_per_day", \.maxCallsPerDay),
        .int32(6, "max_calls_per_week", \.maxCallsPerWeek),
        .int32(7, "weight", \.weight),
        .int32(8, "priority", \.priority),
    ]
}
