public import BookingDomain
import Foundation

/// Experts, their weekly hours and time off, in `calls.experts` and its child tables.
public struct ExpertRepository: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// Inserts an expert with its hours, time off (as manual rows; `calendarBusy` is the
    /// Calendly sync's and not written), scheduling rules and date overrides in one
    /// transaction. A taken email, Clerk user or Calendly URI is ALREADY_EXISTS (the caller maps
    /// StoreError.uniqueViolation); a rule out of range is a check violation.
    @discardableResult
    public func insert(_ expert: Expert, scheduling: StoredScheduling = StoredScheduling()) async throws -> Expert {
        try await self.pool.withTransaction { connection in
            _ = try connection.execute(
                """
                INSERT INTO calls.experts
                    (id, name, email, specialties, time_zone, clerk_user_id, calendly_user_uri, active, topics,
                     preparation_instructions)
                VALUES ($1::uuid, $2, $3, $4::text[], $5, nullif($6, ''), nullif($7, ''), $8, $9::text[], $10)
                """,
                [
                    expert.id.uuidString, expert.name, expert.email, expert.specialties, expert.timeZone,
                    expert.clerkUserID, expert.calendlyUserURI, expert.active, expert.topics,
                    expert.preparationInstructions,
                ])
            try Self.writeAvailability(expert.id, weeklyHours: expert.weeklyHours, timeOff: expert.timeOff, on: connection)
            try Self.writeRules(expert.id, scheduling.rules, on: connection)
            try Self.writeDateOverrides(expert.id, scheduling.dateOverrides, on: connection)
            return try Self.find(expert.id, on: connection) ?? expert
        }
    }

    public func find(_ id: ExpertID) async throws -> Expert? {
        try await self.pool.withConnection { connection in try Self.find(id, on: connection) }
    }

    public func find(clerkUserID: String) async throws -> Expert? {
        try await self.pool.withConnection { connection in
            try connection.execute(
                "SELECT \(ExpertRow.columns) FROM calls.experts e WHERE e.clerk_user_id = $1", [clerkUserID]
            ).first.map(ExpertRow.decode)
        }
    }

    static func find(_ id: ExpertID, on connection: PGConnection) throws -> Expert? {
        try connection.execute("SELECT \(ExpertRow.columns) FROM calls.experts e WHERE e.id = $1::uuid", [id.uuidString])
            .first.map(ExpertRow.decode)
    }

    /// Experts ordered by name then id, after the given (name, id) position; `specialty`
    /// filters case-insensitively, empty means all. Active experts only unless `includeInactive`.
    public func list(specialty: String, after: (name: String, id: ExpertID)?, limit: Int, includeInactive: Bool)
        async throws -> [Expert]
    {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT \(ExpertRow.columns) FROM calls.experts e
                WHERE ($1 = '' OR EXISTS (SELECT 1 FROM unnest(e.specialties) s WHERE lower(s) = lower($1)))
                  AND ($2::boolean OR e.active)
                  AND ($3::text IS NULL OR (e.name, e.id) > ($3, $4::uuid))
                ORDER BY e.name, e.id
                LIMIT $5
                """,
                [specialty, includeInactive, after?.name, after?.id.uuidString, limit]
            ).rows.map(ExpertRow.decode)
        }
    }

    /// The expert with its scheduling rules and date overrides, read in one query.
    public func findWithScheduling(_ id: ExpertID) async throws -> (expert: Expert, scheduling: StoredScheduling)? {
        try await self.pool.withConnection { connection in
            guard
                let row = try connection.execute(
                    "SELECT \(ExpertRow.columns) FROM calls.experts e WHERE e.id = $1::uuid", [id.uuidString]
                ).first
            else { return nil }
            return (try ExpertRow.decode(row), try ExpertRow.decodeScheduling(row))
        }
    }

    /// Scheduling rules and date overrides of several experts (a page of `list`, the matcher's
    /// candidates) in one query; unknown ids are absent.
    public func scheduling(of ids: [ExpertID]) async throws -> [ExpertID: StoredScheduling] {
        guard !ids.isEmpty else { return [:] }
        return try await self.pool.withConnection { connection in
            var result: [ExpertID: StoredScheduling] = [:]
            for row in try connection.execute(
                "SELECT \(ExpertRow.columns) FROM calls.experts e WHERE e.id = ANY($1::uuid[])",
                [ids.map(\.uuidString)]
            ).rows {
                result[ExpertID(try row.require(UUID.self, "id"))] = try ExpertRow.decodeScheduling(row)
            }
            return result
        }
    }

    /// SetExpertAvailability: replaces weekly hours and manual time off (Calendly's synced
    /// time off is the sync's to replace), and the date overrides and rules when given (CONTRACT:
    /// `date_overrides` are replaced, `scheduling` only when set; nil keeps what is stored, so
    /// callers that send neither change neither). Returns the expert as stored, nil when
    /// unknown.
    public func replaceAvailability(
        _ id: ExpertID, weeklyHours: [WeeklyHours], timeOff: [TimeSlot], dateOverrides: [StoredDateOverride]? = nil,
        rules: SchedulingRules? = nil
    ) async throws -> Expert? {
        try await self.pool.withTransaction { connection in
            // Locks the expert row: concurrent replacements queue instead of interleaving.
            guard try connection.execute("SELECT 1 FROM calls.experts WHERE id = $1::uuid FOR UPDATE", [id.uuidString]).first
                != nil
            else { return nil }
            _ = try connection.execute("DELETE FROM calls.expert_weekly_hours WHERE expert_id = $1::uuid", [id.uuidString])
            _ = try connection.execute(
                "DELETE FROM calls.expert_time_off WHERE expert_id = $1::uuid AND source = 'manual'", [id.uuidString])
            try Self.writeAvailability(id, weeklyHours: weeklyHours, timeOff: timeOff, on: connection)
            if let dateOverrides {
                _ = try connection.execute(
                    "DELETE FROM calls.expert_date_overrides WHERE expert_id = $1::uuid", [id.uuidString])
                try Self.writeDateOverrides(id, dateOverrides, on: connection)
            }
            if let rules { try Self.writeRules(id, rules, on: connection) }
            _ = try connection.execute("UPDATE calls.experts SET updated_at = now() WHERE id = $1::uuid", [id.uuidString])
            return try Self.find(id, on: connection)
        }
    }

    /// One INSERT per table, whatever the number of rows: arrays unnested server-side.
    static func writeAvailability(
        _ id: ExpertID, weeklyHours: [WeeklyHours], timeOff: [TimeSlot], timeOffSource: TimeOffSource = .manual,
        on connection: PGConnection
    ) throws {
        if !weeklyHours.isEmpty {
            _ = try connection.execute(
                """
                INSERT INTO calls.expert_weekly_hours (expert_id, weekday, start_minute, end_minute)
                SELECT $1::uuid, d, s, e FROM unnest($2::int[], $3::int[], $4::int[]) AS t(d, s, e)
                """,
                [
                    id.uuidString, Self.intArray(weeklyHours.map(\.day.rawValue)),
                    Self.intArray(weeklyHours.map(\.start.minutes)), Self.intArray(weeklyHours.map(\.end.minutes)),
                ])
        }
        if !timeOff.isEmpty {
            _ = try connection.execute(
                """
                INSERT INTO calls.expert_time_off (expert_id, period, source)
                SELECT $1::uuid, tstzrange(to_timestamp(s), to_timestamp(e), '[)'), $4
                FROM unnest($2::float8[], $3::float8[]) AS t(s, e)
                """,
                [
                    id.uuidString, Self.doubleArray(timeOff.map(\.start.timeIntervalSince1970)),
                    Self.doubleArray(timeOff.map(\.end.timeIntervalSince1970)), timeOffSource.rawValue,
                ])
        }
    }

    static func writeRules(_ id: ExpertID, _ rules: SchedulingRules, on connection: PGConnection) throws {
        _ = try connection.execute(
            """
            UPDATE calls.experts SET buffer_before_minutes = $2, buffer_after_minutes = $3, minimum_notice_minutes = $4,
                booking_horizon_days = $5, max_calls_per_day = $6, max_calls_per_week = $7, weight = $8, priority = $9
            WHERE id = $1::uuid
            """,
            [
                id.uuidString, rules.bufferBeforeMinutes, rules.bufferAfterMinutes, rules.minimumNoticeMinutes,
                rules.bookingHorizonDays, rules.maxCallsPerDay, rules.maxCallsPerWeek, rules.weight, rules.priority,
            ])
    }

    /// One INSERT for all overrides. A malformed date is a data exception, overlapping ranges
    /// (or a closed day with ranges) the exclusion `expert_date_overrides_no_overlap`.
    static func writeDateOverrides(_ id: ExpertID, _ overrides: [StoredDateOverride], on connection: PGConnection)
        throws
    {
        guard !overrides.isEmpty else { return }
        _ = try connection.execute(
            """
            INSERT INTO calls.expert_date_overrides (expert_id, local_date, start_minute, end_minute)
            SELECT $1::uuid, d, s, e FROM unnest($2::date[], $3::int[], $4::int[]) AS t(d, s, e)
            """,
            [
                id.uuidString, overrides.map(\.date), Self.optionalIntArray(overrides.map(\.startMinute)),
                Self.optionalIntArray(overrides.map(\.endMinute)),
            ])
    }

    /// Booked time of each expert in `window`: the occupied ranges of their SCHEDULED and
    /// IN_PROGRESS calls, which is what availability must keep free.
    public func bookedIntervals(of ids: [ExpertID], in window: TimeSlot) async throws -> [ExpertID: [TimeSlot]] {
        guard !ids.isEmpty else { return [:] }
        return try await self.pool.withConnection { connection in
            let rows = try connection.execute(
                """
                SELECT expert_id, extract(epoch FROM lower(occupied)) AS s, extract(epoch FROM upper(occupied)) AS e
                FROM calls.calls
                WHERE expert_id = ANY($1::uuid[]) AND state IN ('SCHEDULED', 'IN_PROGRESS')
                  AND occupied && tstzrange(to_timestamp($2), to_timestamp($3), '[)')
                """,
                [ids.map(\.uuidString), window.start.timeIntervalSince1970, window.end.timeIntervalSince1970]
            ).rows
            var booked: [ExpertID: [TimeSlot]] = [:]
            for row in rows {
                guard let id = try row.uuid("expert_id"), let start = try row.double("s"), let end = try row.double("e")
                else { continue }
                booked[ExpertID(id), default: []].append(
                    TimeSlot(start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: end)))
            }
            return booked
        }
    }

    // MARK: array parameters (text format)

    static func intArray(_ values: [Int]) -> String { "{" + values.map(String.init).joined(separator: ",") + "}" }

    /// nil is an unquoted NULL element.
    static func optionalIntArray(_ values: [Int?]) -> String {
        "{" + values.map { $0.map(String.init) ?? "NULL" }.joined(separator: ",") + "}"
    }

    static func doubleArray(_ values: [Double]) -> String {
        "{" + values.map { String(format: "%.6f", $0) }.joined(separator: ",") + "}"
    }
}
