import BookingDomain
import Foundation

/// Columns and decoding of `calls.experts` with its weekly hours, time off (manual rows as
/// `time_off`, the Calendly sync's as `calendar_busy`), scheduling rules and date overrides,
/// read in one query: the child rows come back as JSON arrays built by
/// PostgreSQL. `decode` gives the domain's `Expert`, `decodeScheduling` the rest of the same
/// row (until the domain's `Expert` carries the rules, the app joins the two).
enum ExpertRow {
    static let columns = """
        e.id, e.name, e.email, e.specialties, e.time_zone, e.clerk_user_id, e.calendly_user_uri, e.active,
        e.topics, e.preparation_instructions,
        coalesce((SELECT json_agg(json_build_array(h.weekday, h.start_minute, h.end_minute)
                                  ORDER BY h.weekday, h.start_minute)
                  FROM calls.expert_weekly_hours h WHERE h.expert_id = e.id), '[]') AS weekly_hours,
        \(Self.timeOff(.manual)) AS time_off,
        \(Self.timeOff(.calendly)) AS calendar_busy,
        e.buffer_before_minutes, e.buffer_after_minutes, e.minimum_notice_minutes, e.booking_horizon_days,
        e.max_calls_per_day, e.max_calls_per_week, e.weight, e.priority,
        coalesce((SELECT json_agg(json_build_array(o.local_date::text, o.start_minute, o.end_minute)
                                  ORDER BY o.local_date, o.start_minute NULLS FIRST)
                  FROM calls.expert_date_overrides o WHERE o.expert_id = e.id), '[]') AS date_overrides
        """

    /// The expert's time off rows of one source, as `[[start, end], …]` in epoch seconds.
    private static func timeOff(_ source: TimeOffSource) -> String {
        """
        coalesce((SELECT json_agg(json_build_array(extract(epoch FROM lower(t.period)), extract(epoch FROM upper(t.period)))
                                  ORDER BY lower(t.period))
                  FROM calls.expert_time_off t WHERE t.expert_id = e.id AND t.source = '\(source.rawValue)'), '[]')
        """
    }

    static func decode(_ row: PGRow) throws(StoreError) -> Expert {
        let id = try row.require(UUID.self, "id")
        let weeklyHours = try Self.jsonArrays(row.string("weekly_hours")).compactMap { values -> WeeklyHours? in
            guard values.count == 3, let day = Weekday(rawValue: Int(values[0])),
                let start = LocalTime(minutes: Int(values[1])), let end = LocalTime(minutes: Int(values[2]))
            else { return nil }
            return WeeklyHours(day: day, start: start, end: end)
        }
        return Expert(
            id: ExpertID(id), name: try row.string("name") ?? "", email: try row.string("email") ?? "",
            specialties: try row.stringArray("specialties") ?? [], timeZone: try row.string("time_zone") ?? "",
            clerkUserID: try row.string("clerk_user_id") ?? "", calendlyUserURI: try row.string("calendly_user_uri") ?? "",
            active: try row.bool("active") ?? true, weeklyHours: weeklyHours,
            timeOff: try Self.timeSlots(row.string("time_off")), calendarBusy: try Self.timeSlots(row.string("calendar_busy")),
            topics: try row.stringArray("topics") ?? [],
            preparationInstructions: try row.string("preparation_instructions") ?? "")
    }

    static func decodeScheduling(_ row: PGRow) throws(StoreError) -> StoredScheduling {
        let rules = SchedulingRules(
            bufferBeforeMinutes: try row.require(Int.self, "buffer_before_minutes"),
            bufferAfterMinutes: try row.require(Int.self, "buffer_after_minutes"),
            minimumNoticeMinutes: try row.require(Int.self, "minimum_notice_minutes"),
            bookingHorizonDays: try row.require(Int.self, "booking_horizon_days"),
            maxCallsPerDay: try row.require(Int.self, "max_calls_per_day"),
            maxCallsPerWeek: try row.require(Int.self, "max_calls_per_week"),
            weight: try row.require(Int.self, "weight"), priority: try row.require(Int.self, "priority"))
        let text = try row.string("date_overrides")
        guard let data = text?.data(using: .utf8),
            let arrays = (try? JSONSerialization.jsonObject(with: data)) as? [[Any]]
        else { throw StoreError(code: .unexpectedResult, message: "unexpected date overrides: \(text ?? "NULL")") }
        let overrides = try arrays.map { values throws(StoreError) -> StoredDateOverride in
            guard values.count == 3, let date = values[0] as? String else {
                throw StoreError(code: .unexpectedResult, message: "unexpected date override \(values)")
            }
            return StoredDateOverride(
                date: date, startMinute: (values[1] as? NSNumber)?.intValue, endMinute: (values[2] as? NSNumber)?.intValue)
        }
        return StoredScheduling(rules: rules, dateOverrides: overrides)
    }

    /// `[[start, end], …]` in epoch seconds.
    static func timeSlots(_ text: String?) throws(StoreError) -> [TimeSlot] {
        try Self.jsonArrays(text).compactMap { values -> TimeSlot? in
            guard values.count == 2 else { return nil }
            return TimeSlot(start: Date(timeIntervalSince1970: values[0]), end: Date(timeIntervalSince1970: values[1]))
        }
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
