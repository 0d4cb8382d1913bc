public import BookingDomain
import Foundation

extension ExpertRepository {
    /// Calls per local date and per local week (keyed by its Monday) of each expert, from the
    /// counter rows the booking trigger keeps: what the daily and weekly caps compare against.
    /// Dates are read widely (a week on each side of `window`) so that every week the window
    /// touches is complete.
    public func callCounts(of ids: [ExpertID], in window: TimeSlot) async throws -> [ExpertID: CallCounts] {
        guard !ids.isEmpty else { return [:] }
        let from = window.start.addingTimeInterval(-8 * 86_400).timeIntervalSince1970
        let to = window.end.addingTimeInterval(8 * 86_400).timeIntervalSince1970
        return try await self.pool.withConnection { connection in
            var counts: [ExpertID: CallCounts] = [:]
            let rows = try connection.execute(
                """
                SELECT expert_id, 'day' AS kind, local_date::text AS date, call_count FROM calls.expert_day_counts
                WHERE expert_id = ANY($1::uuid[]) AND local_date BETWEEN to_timestamp($2)::date AND to_timestamp($3)::date
                UNION ALL
                SELECT expert_id, 'week', week_start::text, call_count FROM calls.expert_week_counts
                WHERE expert_id = ANY($1::uuid[]) AND week_start BETWEEN to_timestamp($2)::date AND to_timestamp($3)::date
                """,
                [ids.map(\.uuidString), from, to]
            ).rows
            for row in rows {
                guard let id = try row.uuid("expert_id"), let date = try row.string("date").flatMap(LocalDate.init),
                    let count = try row.int("call_count")
                else { continue }
                if try row.string("kind") == "day" {
                    counts[ExpertID(id), default: CallCounts()].perDay[date] = count
                } else {
                    counts[ExpertID(id), default: CallCounts()].perWeek[date] = count
                }
            }
            return counts
        }
    }
}
