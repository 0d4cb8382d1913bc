public import BookingDomain
public import Foundation

/// A slot hold as stored in `calls.slot_holds` (CONTRACT `SlotHold`, plus its history).
///
/// A hold is live while it is neither released nor converted and `expiresAt` has not passed by
/// the database's clock; only then does it occupy the expert's time.
public struct StoredHold: Sendable, Hashable {
    public let id: UUID
    public let expertID: ExpertID
    public let customerUserID: String
    public let slot: TimeSlot
    /// `slot` widened by the expert's buffers when the hold was taken: what it keeps from others.
    public let occupied: TimeSlot
    public let expiresAt: Date
    public let releasedAt: Date?
    public let releasedBy: String?
    public let convertedCallID: CallID?
    public let createdAt: Date

    public func isLive(at now: Date) -> Bool {
        self.releasedAt == nil && self.convertedCallID == nil && now < self.expiresAt
    }
}

/// HoldSlot and ReleaseHold on `calls.slot_holds`.
///
/// The refusal that matters is the database's: a hold's time goes into `calls.expert_occupancy`
/// (by trigger) under the same exclusion constraint as every live call, so a held slot cannot
/// be booked or held by anyone else from any replica, and a taken slot cannot be held. Expiry
/// uses the database's `now()`, the clock every replica shares.
public struct HoldRepository: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// Holds `slot` of the expert for the customer for `expiresIn` (HOLD_MINUTES). `buffers`
    /// nil takes the expert's own rules, so the held range is the one a booking would occupy.
    ///
    /// Taken by a call: StoreError.exclusionViolation on `expert_occupancy_no_overlap` (for the
    /// app, ALREADY_EXISTS like `calls_expert_no_overlap`). Held by someone else, or by the same
    /// customer in an overlapping hold: StoreError.ruleViolation `slot_held`. Unknown expert:
    /// foreignKeyViolation. A customer who already has `maxLiveHolds` live holds: ruleViolation
    /// `holds_per_customer` (counted under a per-customer advisory lock, so concurrent holds of
    /// one customer cannot pass the count together, on any replica).
    public func hold(
        expertID: ExpertID, customerUserID: String, slot: TimeSlot, buffers: StoredBuffers? = nil,
        expiresIn: Duration, maxLiveHolds: Int? = nil
    ) async throws -> StoredHold {
        let seconds = Double(expiresIn.components.seconds) + Double(expiresIn.components.attoseconds) / 1e18
        return try await self.pool.withTransaction { connection in
            if let maxLiveHolds {
                // Two statements: under READ COMMITTED the count's snapshot is taken after the
                // lock, so it sees the holds of every transaction that held the lock before.
                try connection.execute("SELECT pg_advisory_xact_lock(hashtextextended('holds:' || $1, 0))", [customerUserID])
                let live = try connection.execute(
                    """
                    SELECT count(*) AS live FROM calls.slot_holds h
                    WHERE h.customer_user_id = $1 AND h.released_at IS NULL AND h.converted_call_id IS NULL
                      AND h.expires_at > now()
                    """,
                    [customerUserID]
                ).first?.int("live") ?? 0
                guard live < maxLiveHolds else {
                    throw StoreError.rule("holds_per_customer", "the customer has \(live) live holds already")
                }
            }
            let inserted = try connection.execute(
                """
                INSERT INTO calls.slot_holds AS h (expert_id, customer_user_id, scheduled_start, scheduled_end,
                    buffer_before_minutes, buffer_after_minutes, expires_at)
                SELECT $1::uuid, $2, to_timestamp($3), to_timestamp($4), coalesce($5::int, e.buffer_before_minutes),
                    coalesce($6::int, e.buffer_after_minutes), now() + make_interval(secs => $7::float8)
                FROM calls.experts e WHERE e.id = $1::uuid
                RETURNING \(HoldRow.columns)
                """,
                [
                    expertID.uuidString, customerUserID, slot.start.timeIntervalSince1970, slot.end.timeIntervalSince1970,
                    buffers?.beforeMinutes, buffers?.afterMinutes, seconds,
                ])
            guard let row = inserted.first else {
                throw StoreError(
                    code: .foreignKeyViolation, sqlState: "23503", message: "no expert \(expertID.uuidString)",
                    constraint: "slot_holds_expert_id_fkey")
            }
            return try HoldRow.decode(row)
        }
    }

    /// ReleaseHold: frees the time at once. Releasing a released, converted or expired hold
    /// changes nothing and returns it as stored; unknown id: nil. Who may release is the app's
    /// check (the holder or an admin), made on `find` first.
    public func release(_ id: UUID, by actor: String) async throws -> StoredHold? {
        try await self.pool.withTransaction { connection in
            let released = try connection.execute(
                """
                UPDATE calls.slot_holds h SET released_at = now(), released_by = $2
                WHERE h.id = $1::uuid AND h.released_at IS NULL AND h.converted_call_id IS NULL AND h.expires_at > now()
                RETURNING \(HoldRow.columns)
                """,
                [id.uuidString, actor])
            if let row = released.first { return try HoldRow.decode(row) }
            return try connection.execute("SELECT \(HoldRow.columns) FROM calls.slot_holds h WHERE h.id = $1::uuid", [id.uuidString])
                .first.map(HoldRow.decode)
        }
    }

    public func find(_ id: UUID) async throws -> StoredHold? {
        try await self.pool.withConnection { connection in
            try connection.execute("SELECT \(HoldRow.columns) FROM calls.slot_holds h WHERE h.id = $1::uuid", [id.uuidString])
                .first.map(HoldRow.decode)
        }
    }

    /// Live holds of the experts whose occupied range overlaps `window`, by start: what slot
    /// listing keeps from everyone but the holder.
    public func activeHolds(of ids: [ExpertID], in window: TimeSlot) async throws -> [ExpertID: [StoredHold]] {
        guard !ids.isEmpty else { return [:] }
        return try await self.pool.withConnection { connection in
            var holds: [ExpertID: [StoredHold]] = [:]
            for row in try connection.execute(
                """
                SELECT \(HoldRow.columns) FROM calls.slot_holds h
                WHERE h.expert_id = ANY($1::uuid[]) AND h.released_at IS NULL AND h.converted_call_id IS NULL
                  AND h.expires_at > now() AND h.occupied && tstzrange(to_timestamp($2), to_timestamp($3), '[)')
                ORDER BY h.scheduled_start, h.id
                """,
                [
                    ids.map(\.uuidString), window.start.timeIntervalSince1970,
                    window.end.timeIntervalSince1970,
                ]
            ).rows {
                let hold = try HoldRow.decode(row)
                holds[hold.expertID, default: []].append(hold)
            }
            return holds
        }
    }
}

/// Columns and decoding of `calls.slot_holds`.
enum HoldRow {
    static let columns = """
        h.id, h.expert_id, h.customer_user_id, h.scheduled_start, h.scheduled_end, lower(h.occupied) AS occupied_start,
        upper(h.occupied) AS occupied_end, h.expires_at, h.released_at, h.released_by, h.converted_call_id, h.created_at
        """

    static func decode(_ row: PGRow) throws(StoreError) -> StoredHold {
        StoredHold(
            id: try row.require(UUID.self, "id"), expertID: ExpertID(try row.require(UUID.self, "expert_id")),
            customerUserID: try row.require(String.self, "customer_user_id"),
            slot: TimeSlot(
                start: try row.require(Date.self, "scheduled_start"), end: try row.require(Date.self, "scheduled_end")),
            occupied: TimeSlot(
                start: try row.require(Date.self, "occupied_start"), end: try row.require(Date.self, "occupied_end")),
            expiresAt: try row.require(Date.self, "expires_at"), releasedAt: try row.date("released_at"),
            releasedBy: try row.string("released_by"), convertedCallID: try row.uuid("converted_call_id").map(CallID.init),
            createdAt: try row.require(Date.self, "created_at"))
    }
}
