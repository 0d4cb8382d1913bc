public import BookingDomain
public import Foundation

/// GetExpertLoad's figures, read from the same counter rows matching and the caps use.
public struct StoredExpertLoad: Sendable, Hashable {
    /// Calls (and, in the ledger, booked minutes) counted on one date.
    public struct Count: Sendable, Hashable {
        /// "YYYY-MM-DD": a day, or the Monday of a week.
        public var date: String
        public var calls: Int
        public var minutes: Int = 0
    }

    /// Ledger rows by their Monday (UTC): cancelled calls and customer no-shows excluded.
    public var ledgerWeeks: [Count]
    /// Cap counters by local date, and by the Monday of the local week.
    public var days: [Count]
    public var weeks: [Count]
    public var upcomingCalls: Int
}

extension ExpertRepository {
    /// The expert's load in `window`: ledger weeks whose Monday is in the UTC weeks the window
    /// touches, counters of the local days (and local weeks) in it, and SCHEDULED calls
    /// starting after `now`. Rows with nothing counted are left out.
    public func load(of id: ExpertID, in window: TimeSlot, now: Date) async throws -> StoredExpertLoad {
        try await self.pool.withConnection { connection in
            let parameters: [(any PGValue)?] = [
                id.uuidString, window.start.timeIntervalSince1970, window.end.timeIntervalSince1970,
            ]
            let ledger = try connection.execute(
                """
                SELECT period_start::text AS week, booked_minutes, call_count FROM calls.expert_load_ledger
                WHERE expert_id = $1::uuid AND period_start >= calls.ledger_period(to_timestamp($2))
                  AND period_start < to_timestamp($3) AT TIME ZONE 'UTC' AND (booked_minutes > 0 OR call_count > 0)
                ORDER BY period_start
                """, parameters
            ).rows.map { row throws(StoreError) in
                StoredExpertLoad.Count(
                    date: try row.string("week") ?? "", calls: try row.int("call_count") ?? 0,
                    minutes: try row.int("booked_minutes") ?? 0)
            }
            let counts = try connection.execute(
                """
                SELECT 'day' AS kind, d.local_date::text AS date, d.call_count FROM calls.expert_day_counts d
                JOIN calls.experts e ON e.id = d.expert_id
                WHERE d.expert_id = $1::uuid AND d.call_count > 0
                  AND d.local_date >= (to_timestamp($2) AT TIME ZONE e.time_zone)::date
                  AND d.local_date < (to_timestamp($3) AT TIME ZONE e.time_zone)::date + 1
                UNION ALL
                SELECT 'week', w.week_start::text, w.call_count FROM calls.expert_week_counts w
                JOIN calls.experts e ON e.id = w.expert_id
                WHERE w.expert_id = $1::uuid AND w.call_count > 0
                  AND w.week_start >= date_trunc('week', to_timestamp($2) AT TIME ZONE e.time_zone)::date
                  AND w.week_start < (to_timestamp($3) AT TIME ZONE e.time_zone)::date + 1
                ORDER BY 1, 2
                """, parameters
            ).rows
            var days: [StoredExpertLoad.Count] = []
            var weeks: [StoredExpertLoad.Count] = []
            for row in counts {
                let entry = StoredExpertLoad.Count(date: try row.string("date") ?? "", calls: try row.int("call_count") ?? 0)
                if try row.string("kind") == "day" { days.append(entry) } else { weeks.append(entry) }
            }
            let upcoming = try connection.execute(
                """
                SELECT count(*) AS n FROM calls.calls
                WHERE expert_id = $1::uuid AND state = 'SCHEDULED' AND lower(scheduled) > to_timestamp($2)
                """, [id.uuidString, now.timeIntervalSince1970]
            ).first?.int("n") ?? 0
            return StoredExpertLoad(ledgerWeeks: ledger, days: days, weeks: weeks, upcomingCalls: upcoming)
        }
    }
}
