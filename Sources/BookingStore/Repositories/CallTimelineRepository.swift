public import BookingDomain
public import Foundation

/// What the store recorded about one call, each list oldest first and cut at `limit`:
/// `calls.call_events`, `calls.call_participants`, `calls.call_quality` and
/// `calls.trigger_deliveries`.
public struct CallRecords: Sendable {
    /// One row of `calls.call_events`.
    public struct Event: Sendable, Hashable {
        public let kind: String
        public let occurredAt: Date
        public let actor: String
        /// The `detail` column as JSON text.
        public let detail: String
        /// Nil for the booking's first event.
        public let fromState: CallState?
        public let toState: CallState?
    }

    /// One row of `calls.call_quality`.
    public struct Quality: Sendable {
        public let report: CallQualityReport
        public let reportedAt: Date
    }

    public var events: [Event] = []
    public var attendance: [AttendanceSession] = []
    public var quality: [Quality] = []
    public var deliveries: [NotificationDeliveries.Delivery] = []
    /// A list had more rows than the limit.
    public var truncated = false
}

/// Reads a call's records for its timeline, in one snapshot (a repeatable-read transaction),
/// so the lists agree with each other.
public struct CallTimelineRepository: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// The call's records, at most `limit` of each kind.
    public func records(of id: CallID, limit: Int) async throws -> CallRecords {
        try await self.pool.withTransaction(isolation: .repeatableRead) { connection in
            var records = CallRecords()
            let fetch = limit + 1
            let events = try connection.execute(
                """
                SELECT kind, occurred_at, actor, detail::text AS detail, from_state, to_state
                FROM calls.call_events WHERE call_id = $1::uuid ORDER BY id LIMIT $2
                """, [id.uuidString, fetch]
            ).rows.map { row throws(StoreError) in
                CallRecords.Event(
                    kind: try row.string("kind") ?? "", occurredAt: try row.require(Date.self, "occurred_at"),
                    actor: try row.string("actor") ?? "", detail: try row.string("detail") ?? "{}",
                    fromState: try row.string("from_state").flatMap(CallState.init(rawValue:)),
                    toState: try row.string("to_state").flatMap(CallState.init(rawValue:)))
            }
            let attendance = try connection.execute(
                """
                SELECT user_id, role, joined_at, left_at FROM calls.call_participants
                WHERE call_id = $1::uuid ORDER BY joined_at, user_id LIMIT $2
                """, [id.uuidString, fetch]
            ).rows.map(VideoRepository.attendanceSession)
            let quality = try connection.execute(
                """
                SELECT session_id, quality_score, jitter_average_seconds, jitter_max_seconds,
                    latency_average_seconds, latency_max_seconds, max_freezes_duration_seconds,
                    max_participants, reported_at
                FROM calls.call_quality WHERE call_id = $1::uuid ORDER BY reported_at, session_id LIMIT $2
                """, [id.uuidString, fetch]
            ).rows.map { row throws(StoreError) in
                CallRecords.Quality(
                    report: CallQualityReport(
                        callID: id, sessionID: try row.string("session_id") ?? "",
                        qualityScore: try row.int("quality_score") ?? 0,
                        jitterAverageSeconds: try row.double("jitter_average_seconds"),
                        jitterMaxSeconds: try row.double("jitter_max_seconds"),
                        latencyAverageSeconds: try row.double("latency_average_seconds"),
                        latencyMaxSeconds: try row.double("latency_max_seconds"),
                        maxFreezesDurationSeconds: try row.int("max_freezes_duration_seconds"),
                        maxParticipants: try row.int("max_participants")),
                    reportedAt: try row.require(Date.self, "reported_at"))
            }
            let deliveries = try connection.execute(
                """
                SELECT \(NotificationDeliveries.columns) FROM calls.trigger_deliveries
                WHERE call_id = $1::uuid ORDER BY send_at, idempotency_key LIMIT $2
                """, [id.uuidString, fetch]
            ).rows.map(NotificationDeliveries.decode)
            records.truncated = [events.count, attendance.count, quality.count, deliveries.count].contains { $0 > limit }
            records.events = Array(events.prefix(limit))
            records.attendance = Array(attendance.prefix(limit))
            records.quality = Array(quality.prefix(limit))
            records.deliveries = Array(deliveries.prefix(limit))
            return records
        }
    }
}
