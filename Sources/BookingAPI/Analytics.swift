public import ProtoWire

/// Selects the calls whose `scheduled_start` falls in [from, to).
public struct GetCallAnalyticsRequest: ProtoMessage {
    /// Empty: all experts (admin) or the calling expert.
    public var expertID = ""
    public var from: Timestamp?
    public var to: Timestamp?

    public init() {}

    public static let protoName = "loop.callbooking.v1.GetCallAnalyticsRequest"
    public static let schema: MessageSchema<GetCallAnalyticsRequest> = [
        .string(1, "expert_id", \.expertID),
        .message(2, "from", \.from),
        .message(3, "to", \.to),
    ]
}

/// Call outcomes in a window; rates are shares (0…1) of due calls (COMPLETED + NO_SHOW).
public struct CallAnalytics: ProtoMessage {
    public var totalCalls: Int64 = 0
    public var completedCalls: Int64 = 0
    public var cancelledCalls: Int64 = 0
    public var noShowCalls: Int64 = 0
    public var completionRate: Double = 0
    public var noShowRate: Double = 0
    /// Over completed calls with both `startedAt` and `endedAt`.
    public var averageDurationSeconds: Double = 0
    /// `percentile_cont(0.9)` over the same calls.
    public var p90DurationSeconds: Double = 0
    public var perExpert: [ExpertCallStats] = []
    /// Calls with a Stream quality report; the averages below are over them.
    public var qualityReportedCalls: Int64 = 0
    public var averageQualityScore: Double = 0
    public var averageJitterSeconds: Double = 0
    public var averageLatencySeconds: Double = 0

    public init() {}

    public static let protoName = "loop.callbooking.v1.CallAnalytics"
    public static let schema: MessageSchema<CallAnalytics> = [
        .int64(1, "total_calls", \.totalCalls),
        .int64(2, "completed_calls", \.completedCalls),
        .int64(3, "cancelled_calls", \.cancelledCalls),
        .int64(4, "no_show_calls", \.noShowCalls),
        .double(5, "completion_rate", \.completionRate),
        .double(6, "no_show_rate", \.noShowRate),
        .double(7, "average_duration_seconds", \.averageDurationSeconds),
        .double(8, "p90_duration_seconds", \.p90DurationSeconds),
        .message(9, "per_expert", \.perExpert),
        .int64(10, "quality_reported_calls", \.qualityReportedCalls),
        .double(11, "average_quality_score", \.averageQualityScore),
        .double(12, "average_jitter_seconds", \.averageJitterSeconds),
        .double(13, "average_latency_seconds", \.averageLatencySeconds),
    ]
}

/// Call outcomes of one expert in the window.
public struct ExpertCallStats: ProtoMessage {
    public var expertID = ""
    public var totalCalls: Int64 = 0
    public var completedCalls: Int64 = 0
    public var noShowCalls: Int64 = 0
    public var averageDurationSeconds: Double = 0
    public var qualityReportedCalls: Int64 = 0
    public var averageQualityScore: Double = 0

    public init() {}

    public static let protoName = "loop.callbooking.v1.ExpertCallStats"
    public static let schema: MessageSchema<ExpertCallStats> = [
        .string(1, "expert_id", \.expertID),
        .int64(2, "total_calls", \.totalCalls),
        .int64(3, "completed_calls", \.completedCalls),
        .int64(4, "no_show_calls", \.noShowCalls),
        .double(5, "average_duration_seconds", \.averageDurationSeconds),
        .int64(6, "quality_reported_calls", \.qualityReportedCalls),
        .double(7, "average_quality_score", \.averageQualityScore),
    ]
}
