import BookingDomain
import Foundation

/// Columns and decoding of `calls.experts` with its weekly hours and time off, read in one
/// query: the child rows come back as JSON arrays built by PostgreSQL.
enum ExpertRow {
    static let columns = """
        e.id, e.name, e.email, e.specialties, e.time_zone, e.clerk_user_id, e.calendly_user_uri, e.active,
        coalesce((SELECT json_agg(json_build_array(h.weekday, h.start_minute, h.end_minute)
                                  ORDER BY h.weekday, h.start_minute)
                  FROM calls.expert_weekly_hours h WHERE h.expert_id = e.id), '[]') AS weekly_hours,
        coalesce((SELECT json_agg(json_build_array(extract(epoch FROM lower(t.period)), extract(epoch FROM upper(t.period)))
                                  ORDER BY lower(t.period))
                  FROM calls.expert_time_off t WHERE t.expert_id = e.id), '[]') AS time_off
        """

    static func decode(_ row: PGRow) throws(StoreError) -> Expert {
        let id = try row.require(UUID.self, "id")
        let weeklyHours = try Self.jsonArrays(row.string("weekly_hours")).compactMap { values -> WeeklyHours? in
            guard values.count == 3, let day = Weekday(rawValue: Int(values[0])),
                let start = LocalTime(minutes: Int(values[1])), let end = LocalTime(minutes: Int(values[2]))
            else { return nil }
            return WeeklyHours(day: day, start: start, end: end)
        }
        let timeOff = try Self.jsonArrays(row.string("time_off")).compactMap { values -> TimeSlot? in
            guard values.count == 2 else { return nil }
            return TimeSlot(start: Date(timeIntervalSince1970: values[0]), end: Date(timeIntervalSince1970: values[1]))
        }
        return Expert(
            id: ExpertID(id), name: try row.string("name") ?? "", email: try row.string("email") ?? "",
            specialties: try row.stringArray("specialties") ?? [], timeZone: try row.string("time_zone") ?? "",
            clerkUserID: try row.string("clerk_user_id") ?? "", calendlyUserURI: try row.string("calendly_user_uri") ?? "",
            active: try row.bool("active") ?? true, weeklyHours: weeklyHours, timeOff: timeOff)
    }

    /// `[[1, 540, 1020], …]` as numbers; PostgreSQL built it, so anything else is a bug.
    static func jsonArrays(_ text: String?) throws(StoreError) -> [[Double]] {
        guard let data = text?.data(using: .utf8) else { return [] }
        guard let arrays = (try? JSONSerialization.jsonObject(with: data)) as? [[Any]] else {
            throw StoreError(code: .other, message: "unexpected JSON from the database: \(text ?? "")")
        }
        return arrays.map { $0.compactMap { ($0 as? NSNumber)?.doubleValue } }
    }
}
