public import ProtoWire

/// Names the expert and the window of GetExpertLoad; unset times default to now and four
/// weeks after `from`.
public struct GetExpertLoadRequest: ProtoMessage {
    public var expertID = ""
    public var from: Timestamp?
    public var to: Timestamp?

    public init() {}

    public static let protoName = "loop.callbooking.v1.GetExpertLoadRequest"
    public static let schema: MessageSchema<GetExpertLoadRequest> = [
        .string(1, "expert_id", \.expertID),
        .message(2, "from", \.from),
        .message(3, "to", \.to),
    ]
}

/// How busy an expert is in a window: the fairness ledger the matcher ranks by, the counts
/// the caps compare against, and the calls still to come.
public struct ExpertLoad: ProtoMessage {
    public var expertID = ""
    public var from: Timestamp?
    public var to: Timestamp?
    /// Booked minutes per UTC week (Monday) the window touches; weeks without calls left out.
    public var ledgerWeeks: [LedgerWeek] = []
    /// Calls per local day of the expert in the window; days without calls left out.
    public var days: [CallCount] = []
    /// Calls per local week (keyed by its Monday) the window touches.
    public var weeks: [CallCount] = []
    public var maxCallsPerDay: Int32 = 0
    public var maxCallsPerWeek: Int32 = 0
    /// SCHEDULED calls that have not started yet.
    public var upcomingCalls: Int32 = 0

    public init() {}

    public static let protoName = "loop.callbooking.v1.ExpertLoad"
    public static let schema: MessageSchema<ExpertLoad> = [
        .string(1, "expert_id", \.expertID),
        .message(2, "from", \.from),
        .message(3, "to", \.to),
        .message(4, "ledger_weeks", \.ledgerWeeks),
        .message(5, "days", \.days),
        .message(6, "weeks", \.weeks),
        .int32(7, "max_calls_per_day", \.maxCallsPerDay),
        .int32(8, "max_calls_per_week", \.maxCallsPerWeek),
        .int32(9, "upcoming_calls", \.upcomingCalls),
    ]
}

/// One week of the load ledger.
public struct LedgerWeek: ProtoMessage {
    /// "YYYY-MM-DD", a Monday (UTC).
    public var weekStart = ""
    public var bookedMinutes: Int32 = 0
    public var calls: Int32 = 0

    public init() {}

    public static let protoName = "loop.callbooking.v1.LedgerWeek"
    public static let schema: MessageSchema<LedgerWeek> = [
        .string(1, "week_start", \.weekStart),
        .int32(2, "booked_minutes", \.bookedMinutes),
        .int32(3, "calls", \.calls),
    ]
}

/// Calls counted toward a cap on one local date (a day, or the Monday of a week).
public struct CallCount: ProtoMessage {
    public var date = ""
    public var calls: Int32 = 0

    public init() {}

    public static let protoName = "loop.callbooking.v1.CallCount"
    public static let schema: MessageSchema<CallCount> = [
        .string(1, "date", \.date),
        .int32(2, "calls", \.calls),
    ]
}
