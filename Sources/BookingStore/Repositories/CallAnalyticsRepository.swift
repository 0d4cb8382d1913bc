public import BookingDomain
public import Foundation

/// Call outcomes of a group of calls (all selected calls, or one expert's).
public struct CallOutcomeStats: Sendable, Equatable {
    public var totalCalls: Int64 = 0
    public var completedCalls: Int64 = 0
    public var cancelledCalls: Int64 = 0
    public var noShowCalls: Int64 = 0
    /// Shares (0…1) of the calls that were due: COMPLETED + NO_SHOW. 0 when none was due.
    public var completionRate: Double = 0
    public var noShowRate: Double = 0
    /// Over completed calls having both `started_at` and `ended_at`; 0 when there is none.
    public var averageDurationSeconds: Double = 0
    /// `percentile_cont(0.9)` over the same durations; 0 when there is none.
    public var p90DurationSeconds: Double = 0
    /// Calls with at least one Stream quality report; the averages below are over them, each
    /// call weighing once (its sessions averaged first). 0 when none was reported.
    public var qualityReportedCalls: Int64 = 0
    public var averageQualityScore: Double = 0
    public var averageJitterSeconds: Double = 0
    public var averageLatencySeconds: Double = 0

    public init() {}
}

/// What `GetCallAnalytics` reports: the selected calls together and per expert.
public struct CallAnalyticsReport: Sendable, Equatable {
    public var overall: CallOutcomeStats
    /// One entry per expert with calls in the window, by expert id; calls waiting for an
    /// expert (a Calendly booking nobody could take) come last with `expertID` nil, so the
    /// entries add up to `overall`.
    public var perExpert: [(expertID: ExpertID?, stats: CallOutcomeStats)]

    public static func == (lhs: CallAnalyticsReport, rhs: CallAnalyticsReport) -> Bool {
        lhs.overall == rhs.overall && lhs.perExpert.elementsEqual(rhs.perExpert) { $0 == $1 }
    }
}

/// Call analytics computed by PostgreSQL in one statement: counts, rates, average and p90
/// duration, Stream's quality figures, for the whole selection and per expert (`GROUPING
/// SETS`), so the numbers an admin sees always come from one snapshot and no call rows travel
/// to the service.
public struct CallAnalyticsRepository: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// Calls whose `scheduled_start` is in `[from, to)` (nil: unbounded on that side), of one
    /// expert or of all. Uses `calls_by_expert_start` / `calls_by_start`.
    public func report(expertID: ExpertID?, from: Date?, to: Date?) async throws -> CallAnalyticsReport {
        try await self.pool.withConnection { connection in
            let result = try connection.execute(Self.sql, [from, to, expertID?.uuidString])
            var report = CallAnalyticsReport(overall: CallOutcomeStats(), perExpert: [])
            for row in result.rows {
                let stats = try Self.stats(row)
                if try row.require(Bool.self, "overall") {
                    report.overall = stats
                } else {
                    report.perExpert.append((try row.uuid("expert_id").map(ExpertID.init), stats))
                }
            }
            return report
        }
    }

    private static func stats(_ row: PGRow) throws(StoreError) -> CallOutcomeStats {
        var stats = CallOutcomeStats()
        stats.totalCalls = try row.require(Int64.self, "total_calls")
        stats.completedCalls = try row.require(Int64.self, "completed_calls")
        stats.cancelledCalls = try row.require(Int64.self, "cancelled_calls")
        stats.noShowCalls = try row.require(Int64.self, "no_show_calls")
        stats.completionRate = try row.double("completion_rate") ?? 0
        stats.noShowRate = try row.double("no_show_rate") ?? 0
        stats.averageDurationSeconds = try row.double("average_duration_seconds") ?? 0
        stats.p90DurationSeconds = try row.double("p90_duration_seconds") ?? 0
        stats.qualityReportedCalls = try row.require(Int64.self, "quality_reported_calls")
        stats.averageQualityScore = try row.double("average_quality_score") ?? 0
        stats.averageJitterSeconds = try row.double("average_jitter_seconds") ?? 0
        stats.averageLatencySeconds = try row.double("average_latency_seconds") ?? 0
        return stats
    }

    /// Aggregates skip NULLs, so `duration` (NULL unless a completed call has both times)
    /// feeds only the duration figures, and the quality columns (NULL for calls Stream never
    /// reported on) only the quality figures. Each call's sessions are averaged through the
    /// primary key of `call_quality`. The empty grouping set yields its row even when no call
    /// matches.
    static let sql = """
        WITH selected AS (
            SELECT c.expert_id, c.state,
                CASE WHEN c.state = 'COMPLETED' AND c.started_at IS NOT NULL AND c.ended_at IS NOT NULL
                    THEN extract(epoch FROM c.ended_at - c.started_at)::float8 END AS duration,
                q.score, q.jitter, q.latency
            FROM calls.calls c
            LEFT JOIN LATERAL (
                SELECT avg(quality_score)::float8 AS score, avg(jitter_average_seconds) AS jitter,
                    avg(latency_average_seconds) AS latency
                FROM calls.call_quality WHERE call_id = c.id
            ) q ON true
            WHERE c.scheduled_start >= coalesce($1::timestamptz, '-infinity')
                AND c.scheduled_start < coalesce($2::timestamptz, 'infinity')
                AND ($3::uuid IS NULL OR c.expert_id = $3::uuid)
        ), grouped AS (
            SELECT grouping(expert_id) = 1 AS overall, expert_id,
                count(*) AS total_calls,
                count(*) FILTER (WHERE state = 'COMPLETED') AS completed_calls,
                count(*) FILTER (WHERE state = 'CANCELLED') AS cancelled_calls,
                count(*) FILTER (WHERE state = 'NO_SHOW') AS no_show_calls,
                avg(duration) AS average_duration_seconds,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY duration) AS p90_duration_seconds,
                count(score) AS quality_reported_calls,
                avg(score) AS average_quality_score,
                avg(jitter) AS average_jitter_seconds,
                avg(latency) AS average_latency_seconds
            FROM selected
            GROUP BY GROUPING SETS ((), (expert_id))
        )
        SELECT overall, expert_id, total_calls, completed_calls, cancelled_calls, no_show_calls,
            completed_calls::float8 / nullif(completed_calls + no_show_calls, 0) AS completion_rate,
            no_show_calls::float8 / nullif(completed_calls + no_show_calls, 0) AS no_show_rate,
            average_duration_seconds, p90_duration_seconds,
            quality_reported_calls, average_quality_score, average_jitter_seconds, average_latency_seconds
        FROM grouped
        ORDER BY overall DESC, expert_id NULLS LAST
        """
}
