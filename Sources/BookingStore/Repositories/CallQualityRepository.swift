public import BookingDomain
import Foundation

/// What Stream reported about one session of a call (`GetCallStatsResponse`): its quality
/// score, jitter and latency (`Stats {average_seconds, max_seconds}`), the longest freeze and
/// the most participants, and the report itself as JSON.
public struct CallQualityReport: Sendable, Equatable {
    public var callID: CallID
    public var sessionID: String
    public var qualityScore: Int
    public var jitterAverageSeconds: Double?
    public var jitterMaxSeconds: Double?
    public var latencyAverageSeconds: Double?
    public var latencyMaxSeconds: Double?
    public var maxFreezesDurationSeconds: Int?
    public var maxParticipants: Int?
    /// The provider's JSON as received (validated by PostgreSQL, not parsed here).
    public var report: String

    public init(
        callID: CallID, sessionID: String, qualityScore: Int, jitterAverageSeconds: Double? = nil,
        jitterMaxSeconds: Double? = nil, latencyAverageSeconds: Double? = nil, latencyMaxSeconds: Double? = nil,
        maxFreezesDurationSeconds: Int? = nil, maxParticipants: Int? = nil, report: String = "{}"
    ) {
        self.callID = callID
        self.sessionID = sessionID
        self.qualityScore = qualityScore
        self.jitterAverageSeconds = jitterAverageSeconds
        self.jitterMaxSeconds = jitterMaxSeconds
        self.latencyAverageSeconds = latencyAverageSeconds
        self.latencyMaxSeconds = latencyMaxSeconds
        self.maxFreezesDurationSeconds = maxFreezesDurationSeconds
        self.maxParticipants = maxParticipants
        self.report = report
    }
}

/// Stream's quality reports, stored with their call (`calls.call_quality`) and read only by
/// analytics (CONTRACT.md: "Quality metrics from Stream are stored and feed analytics only").
public struct CallQualityRepository: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// Stores the report of one session; a report for the same session again (Stream resends,
    /// or a webhook retry) replaces it. An unknown call is `StoreError` foreignKeyViolation.
    public func record(_ quality: CallQualityReport) async throws {
        _ = try await self.pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO calls.call_quality (call_id, session_id, quality_score, jitter_average_seconds,
                    jitter_max_seconds, latency_average_seconds, latency_max_seconds, max_freezes_duration_seconds,
                    max_participants, report)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
                ON CONFLICT (call_id, session_id) DO UPDATE SET
                    quality_score = excluded.quality_score,
                    jitter_average_seconds = excluded.jitter_average_seconds,
                    jitter_max_seconds = excluded.jitter_max_seconds,
                    latency_average_seconds = excluded.latency_average_seconds,
                    latency_max_seconds = excluded.latency_max_seconds,
                    max_freezes_duration_seconds = excluded.max_freezes_duration_seconds,
                    max_participants = excluded.max_participants,
                    report = excluded.report, reported_at = now()
                """,
                [
                    quality.callID.uuidString, quality.sessionID, quality.qualityScore, quality.jitterAverageSeconds,
                    quality.jitterMaxSeconds, quality.latencyAverageSeconds, quality.latencyMaxSeconds,
                    quality.maxFreezesDurationSeconds, quality.maxParticipants, PGJSON(quality.report),
                ]
            ).affectedRows
        }
    }
}
