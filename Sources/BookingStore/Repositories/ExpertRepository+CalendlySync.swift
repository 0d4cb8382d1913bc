public import BookingDomain
import Foundation

/// Who wrote a row of `calls.expert_time_off`: a person (SetExpertAvailability, CreateExpert)
/// or the Calendly sync. Each replaces only its own rows; the two may overlap. Manual rows are
/// read as the expert's `timeOff`, synced ones as `calendarBusy`.
public enum TimeOffSource: String, Sendable {
    case manual
    case calendly
}

/// What the Calendly sync stores for one expert: the default schedule's zone, weekly hours and
/// date overrides, and the busy times stored as `calendly` time off (the expert's
/// `calendarBusy`).
public struct SyncedAvailability: Sendable, Hashable {
    /// The schedule's IANA zone, which becomes the expert's: hours and overrides are in it.
    public var timeZone: String
    public var weeklyHours: [WeeklyHours]
    public var dateOverrides: [StoredDateOverride]
    public var timeOff: [TimeSlot]

    public init(timeZone: String, weeklyHours: [WeeklyHours], dateOverrides: [StoredDateOverride], timeOff: [TimeSlot]) {
        self.timeZone = timeZone
        self.weeklyHours = weeklyHours
        self.dateOverrides = dateOverrides
        self.timeOff = timeOff
    }
}

extension ExpertRepository {
    /// Every expert with a `calendly_user_uri` (active or not), with their rules, ordered by id.
    public func calendlyLinked() async throws -> [(expert: Expert, scheduling: StoredScheduling)] {
        try await self.pool.withConnection { connection in
            try connection.execute(
                "SELECT \(ExpertRow.columns) FROM calls.experts e WHERE e.calendly_user_uri IS NOT NULL ORDER BY e.id"
            ).rows.map { row throws(StoreError) in (try ExpertRow.decode(row), try ExpertRow.decodeScheduling(row)) }
        }
    }

    /// Replaces what Calendly owns of an expert, in one transaction: the time zone, all weekly
    /// hours, all date overrides and the `calendly` time off. Manual time off stays.
    ///
    /// Only while the expert is still linked to `userURI` (the row is locked first): if an
    /// admin relinked or removed them while Calendly was being asked, nothing is written and
    /// the result is nil. A changed zone rebuilds the day and week counters (migration 2's
    /// trigger), in the same transaction.
    public func replaceCalendlyAvailability(
        _ id: ExpertID, linkedTo userURI: String, with availability: SyncedAvailability
    ) async throws -> Expert? {
        try await self.pool.withTransaction { connection in
            guard
                try connection.execute(
                    "SELECT 1 FROM calls.experts WHERE id = $1::uuid AND calendly_user_uri = $2 FOR UPDATE",
                    [id.uuidString, userURI]
                ).first != nil
            else { return nil }
            _ = try connection.execute(
                "UPDATE calls.experts SET time_zone = $2, updated_at = now() WHERE id = $1::uuid",
                [id.uuidString, availability.timeZone])
            _ = try connection.execute("DELETE FROM calls.expert_weekly_hours WHERE expert_id = $1::uuid", [id.uuidString])
            _ = try connection.execute("DELETE FROM calls.expert_date_overrides WHERE expert_id = $1::uuid", [id.uuidString])
            _ = try connection.execute(
                "DELETE FROM calls.expert_time_off WHERE expert_id = $1::uuid AND source = $2",
                [id.uuidString, TimeOffSource.calendly.rawValue])
            try Self.writeAvailability(
                id, weeklyHours: availability.weeklyHours, timeOff: availability.timeOff, timeOffSource: .calendly,
                on: connection)
            try Self.writeDateOverrides(id, availability.dateOverrides, on: connection)
            return try Self.find(id, on: connection)
        }
    }
}
