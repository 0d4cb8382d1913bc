public import BookingDomain
public import Foundation

/// Calls in `calls.calls`, each change committed together with its `calls.call_events` row and
/// its effects (`CallTransaction`).
public struct CallRepository: Sendable {
    let pool: PGPool
    /// Decides every change; its settings plan the reminders the store records.
    public let lifecycle: CallLifecycle
    /// The clock transactions decide at.
    public let now: @Sendable () -> Date
    /// Told the changes (bookings included) of every transaction that committed, in order:
    /// the app counts call volume there, once per change however often a transaction retried.
    let committed: @Sendable ([CallChange]) -> Void
    /// Told the ids of the existing calls a committed transaction updated (changes and
    /// claims), before the transaction's caller hears back: what this process keeps of calls
    /// it read is forgotten before anyone can read again.
    let updated: @Sendable ([CallID]) -> Void
    /// `find`'s reads, coalesced (`CallLookups`).
    private let lookups: CallLookups
    /// How many coalesced reads may be out at once. Fewer means larger batches: GetCall under
    /// h2load `-c 16 -m 8` answered 25,900 req/s with one, 22,700 with two, 16,300 with five
    /// (2-core VM). Two, so that one slow round trip does not hold up every read.
    static let lookupsInFlight = 2

    public init(
        pool: PGPool, lifecycle: CallLifecycle = CallLifecycle(), now: @escaping @Sendable () -> Date = { Date() },
        committed: @escaping @Sendable ([CallChange]) -> Void = { _ in },
        updated: @escaping @Sendable ([CallID]) -> Void = { _ in }
    ) {
        self.pool = pool
        self.lifecycle = lifecycle
        self.now = now
        self.committed = committed
        self.updated = updated
        self.lookups = CallLookups(maxInFlight: Self.lookupsInFlight) { ids in
            try await pool.withConnection { connection in
                try connection.execute(
                    "SELECT \(CallRow.columns) FROM calls.calls c WHERE c.id = ANY($1::uuid[])", [ids.map(\.uuidString)]
                ).rows.map(CallRow.decode)
            }
        }
    }

    /// Runs `body` in one transaction (retried whole after a serialization failure, so it must
    /// touch nothing outside the database).
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (CallTransaction) throws -> T) async throws -> T {
        let lifecycle = self.lifecycle
        let now = self.now
        let (value, changes, updated) = try await self.pool.withTransaction { connection in
            let transaction = CallTransaction(connection: connection, lifecycle: lifecycle, now: now())
            return (try body(transaction), transaction.stored.changes, transaction.stored.updated)
        }
        if !updated.isEmpty { self.updated(updated) }
        if !changes.isEmpty { self.committed(changes) }
        return value
    }

    /// `CallTransaction.change` in a transaction of its own. Nil for an unknown call.
    @discardableResult
    public func change(
        _ id: CallID, actor: String, _ decide: @escaping @Sendable (Call, CallTransaction) throws -> CallDecision
    ) async throws -> CallTransaction.Outcome? {
        try await self.transaction { transaction in
            try transaction.change(id, actor: actor) { try decide($0, transaction) }
        }
    }

    /// Inserts a booked call (`CallLifecycle.book`) with its event and effects. With a `requestID` the insert is
    /// idempotent: a retry with the same id returns the call the first request created, also
    /// when the two race (the loser's insert fails on a constraint, then finds the winner's).
    ///
    /// What the database refuses, all in this one transaction (the schema's triggers, so every
    /// replica and every write path obeys the same rules):
    /// - another live call of the expert overlapping the occupied range (`scheduled` widened by
    ///   `buffers`; nil takes the expert's own buffer rules): exclusionViolation
    ///   `calls_expert_no_overlap`, ALREADY_EXISTS;
    /// - a live hold of someone else in that range: ruleViolation `slot_held`;
    /// - the expert's `max_calls_per_day` / `max_calls_per_week` reached in their time zone:
    ///   ruleViolation `expert_day_cap` / `expert_week_cap`. Calendly bookings
    ///   (`calendlyInviteeURI` set) are counted but never refused (CONTRACT).
    ///
    /// With `holdID` the hold is converted: it must be live or merely expired (not released or
    /// converted: ruleViolation `hold_released` / `hold_converted`; unknown: `hold_not_found`) and
    /// be the same expert, customer and slot (`hold_mismatch`). Its time is freed and the call
    /// takes it in the same transaction, so nobody can slip in between. An expired hold converts
    /// when the time is still free: the booking then simply competes like any other.
    public func insert(
        _ booking: CallChange, requestID: String?, specialty: String, actor: String, buffers: StoredBuffers? = nil,
        convertingHold holdID: UUID? = nil
    ) async throws -> Call {
        let customer = booking.call.customer.userID
        if let requestID, let existing = try await self.find(requestID: requestID, customerUserID: customer) {
            return existing
        }
        do {
            return try await self.transaction { transaction in
                try transaction.insert(
                    booking, requestID: requestID, specialty: specialty, actor: actor, buffers: buffers,
                    convertingHold: holdID)
            }
        } catch let error as StoreError where requestID != nil {
            guard let requestID, let existing = try await self.find(requestID: requestID, customerUserID: customer) else {
                throw error
            }
            return existing
        }
    }

    /// The booking `customerUserID` (empty: unclaimed) made with idempotency key `requestID`.
    public func find(requestID: String, customerUserID: String) async throws -> Call? {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT \(CallRow.columns) FROM calls.calls c
                WHERE c.request_id = $1 AND coalesce(c.customer_user_id, '') = $2
                """,
                [requestID, customerUserID])
                .first.map(CallRow.decode)
        }
    }

    /// The row of a new call (and its hold converted), without its event or effects.
    static func insertRow(
        _ call: Call, requestID: String?, specialty: String, buffers: StoredBuffers?, convertingHold holdID: UUID?,
        on connection: PGConnection
    ) throws -> Call {
        if let holdID { try Self.convert(holdID, into: call, on: connection) }
        let inserted = try connection.execute(
            """
            INSERT INTO calls.calls AS c (id, state, expert_id, customer_user_id, customer_email, customer_name,
                customer_time_zone, topic, specialty, scheduled_start, scheduled_end, customer_context,
                calendly_event_uri, calendly_invitee_uri, rescheduled_from_call_id, request_id, assignment,
                buffer_before_minutes, buffer_after_minutes, preparation_instructions)
            VALUES ($1::uuid, 'SCHEDULED', $2::uuid, nullif($3, ''), nullif($4, ''), nullif($5, ''), nullif($6, ''),
                $7, nullif($8, ''), to_timestamp($9), to_timestamp($10), $11::jsonb, $12, $13, $14::uuid, $15,
                $16::jsonb,
                coalesce($17::int, (SELECT e.buffer_before_minutes FROM calls.experts e WHERE e.id = $2::uuid), 0),
                coalesce($18::int, (SELECT e.buffer_after_minutes FROM calls.experts e WHERE e.id = $2::uuid), 0),
                $19)
            RETURNING \(CallRow.columns)
            """,
            [
                call.id.uuidString, call.expertID?.uuidString, call.customer.userID, call.customer.email,
                call.customer.name, call.customer.timeZone, call.topic, specialty,
                call.scheduledStart.timeIntervalSince1970, call.scheduledEnd.timeIntervalSince1970,
                CallRow.contextJSON(call.customerContext), call.calendlyEventURI, call.calendlyInviteeURI,
                call.rescheduledFrom?.uuidString, requestID, CallRow.assignmentJSON(call.assignment),
                buffers?.beforeMinutes, buffers?.afterMinutes, call.preparationInstructions,
            ])
        guard let row = inserted.first else { throw StoreError(code: .unexpectedResult, message: "insert returned no row") }
        return try CallRow.decode(row)
    }

    /// Marks the hold converted into `call` under its row lock; the hold's trigger frees its
    /// occupied time for the call inserted next in the same transaction (the foreign key to the
    /// call is deferred to COMMIT for this order).
    private static func convert(_ holdID: UUID, into call: Call, on connection: PGConnection) throws {
        guard
            let row = try connection.execute(
                """
                SELECT h.released_at IS NOT NULL AS released, h.converted_call_id IS NOT NULL AS converted,
                    h.expert_id = $2::uuid AND h.customer_user_id = $3
                        AND h.scheduled_start = to_timestamp($4) AND h.scheduled_end = to_timestamp($5) AS same
                FROM calls.slot_holds h WHERE h.id = $1::uuid FOR UPDATE
                """,
                [
                    holdID.uuidString, call.expertID?.uuidString, call.customer.userID,
                    call.scheduledStart.timeIntervalSince1970, call.scheduledEnd.timeIntervalSince1970,
                ]
            ).first
        else { throw StoreError.rule("hold_not_found", "no hold \(holdID.uuidString)") }
        if try row.bool("released") == true { throw StoreError.rule("hold_released", "the hold was released") }
        if try row.bool("converted") == true { throw StoreError.rule("hold_converted", "the hold was already booked") }
        guard try row.bool("same") == true else {
            throw StoreError.rule("hold_mismatch", "the hold is for another expert, customer or time")
        }
        _ = try connection.execute(
            "UPDATE calls.slot_holds SET converted_call_id = $2::uuid WHERE id = $1::uuid",
            [holdID.uuidString, call.id.uuidString])
    }

    /// CONTRACT "Who may do what": a booking made without a Clerk user id (Calendly without a
    /// signed `utm_content`, or an admin's) becomes the call of the customer whose verified
    /// email matches, ignoring case. Only calls that can still change (not COMPLETED or
    /// CANCELLED): a finished call's history stays whose it was. Each claim is a `claimed` row in
    /// the call's event log (by the user, with the email) and brings the video room's members
    /// up to date, in the same transaction. Returns how many calls were claimed.
    @discardableResult
    public func claimUnclaimed(email: String, userID: String) async throws -> Int {
        let open = CallState.allCases.filter { !$0.isFinal }.map(\.rawValue)
        return try await self.transaction { transaction in
            let claimed = try transaction.connection.execute(
                """
                UPDATE calls.calls SET customer_user_id = $2, updated_at = now()
                WHERE customer_user_id IS NULL AND lower(customer_email) = lower($1) AND state = ANY($3::text[])
                RETURNING id
                """,
                [email, userID, open]
            ).rows.map { row throws(StoreError) in CallID(try row.require(UUID.self, "id")) }
            transaction.stored.updated += claimed
            for id in claimed {
                _ = try transaction.recordEvent(
                    CallEvent.Kind.claimed.rawValue, detail: ["email": email, "by": "verified_email"], of: id, actor: userID)
                try transaction.enqueueRoomMembersSync(for: id)
            }
            return claimed.count
        }
    }

    /// Read together with the other `find`s waiting at the time (`CallLookups`).
    public func find(_ id: CallID) async throws -> Call? {
        try await self.lookups.find(id)
    }

    /// Calls that have not ended yet (SCHEDULED or IN_PROGRESS, ending after `now`), ordered
    /// by start then id, after `cursor`. Filters are optional and combine.
    public func listUpcoming(
        expertID: ExpertID?, customerUserID: String?, after cursor: PageCursor?, now: Date, limit: Int
    ) async throws -> [Call] {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT \(CallRow.columns) FROM calls.calls c
                WHERE c.state IN ('SCHEDULED', 'IN_PROGRESS') AND c.scheduled_end > to_timestamp($1)
                  AND ($2::uuid IS NULL OR c.expert_id = $2::uuid)
                  AND ($3::text IS NULL OR c.customer_user_id = $3)
                  AND ($4::float8 IS NULL OR (c.scheduled_start, c.id) > (to_timestamp($4), $5::uuid))
                ORDER BY c.scheduled_start, c.id
                LIMIT $6
                """,
                [
                    now.timeIntervalSince1970, expertID?.uuidString, customerUserID,
                    cursor.map { Double($0.microseconds) / 1_000_000 }, cursor?.id.uuidString, limit,
                ]
            ).rows.map(CallRow.decode)
        }
    }

    /// How busy each expert is around a slot, and when each was last assigned: what the matcher
    /// ranks by. `calls` counts calls not cancelled overlapping `window`;
    /// `bookedMinutes` and `ledgerCalls` sum the load ledger over the UTC weeks (Monday) that
    /// `window` touches, which excludes cancelled calls and customer no-shows. Experts without
    /// a row are absent.
    public func loads(of ids: [ExpertID], around window: TimeSlot) async throws -> [ExpertID: ExpertLoad] {
        guard !ids.isEmpty else { return [:] }
        return try await self.pool.withConnection { connection in
            var loads: [ExpertID: ExpertLoad] = [:]
            for row in try connection.execute(
                """
                SELECT e.id, e.last_assigned_at,
                    (SELECT count(*) FROM calls.calls c WHERE c.expert_id = e.id AND c.state <> 'CANCELLED'
                       AND c.scheduled && tstzrange(to_timestamp($2), to_timestamp($3), '[)')) AS calls,
                    coalesce(l.minutes, 0) AS booked_minutes, coalesce(l.calls, 0) AS ledger_calls
                FROM calls.experts e
                LEFT JOIN LATERAL (
                    SELECT sum(booked_minutes) AS minutes, sum(call_count) AS calls FROM calls.expert_load_ledger
                    WHERE expert_id = e.id AND period_start >= calls.ledger_period(to_timestamp($2))
                      AND period_start < to_timestamp($3) AT TIME ZONE 'UTC'
                ) l ON true
                WHERE e.id = ANY($1::uuid[])
                """,
                [
                    ids.map(\.uuidString), window.start.timeIntervalSince1970,
                    window.end.timeIntervalSince1970,
                ]
            ).rows {
                let id = ExpertID(try row.require(UUID.self, "id"))
                loads[id] = ExpertLoad(
                    calls: try row.int("calls") ?? 0, bookedMinutes: try row.int("booked_minutes") ?? 0,
                    ledgerCalls: try row.int("ledger_calls") ?? 0, lastAssignedAt: try row.date("last_assigned_at"))
            }
            return loads
        }
    }
}

/// One expert's load for matching (see `CallRepository.loads(of:around:)`).
public struct ExpertLoad: Sendable, Hashable {
    /// Calls not cancelled overlapping the window.
    public var calls: Int
    /// Load ledger: booked minutes in the UTC weeks the window touches, without customer no-shows.
    public var bookedMinutes: Int
    /// Load ledger: calls counted in those weeks.
    public var ledgerCalls: Int
    public var lastAssignedAt: Date?

    public init(calls: Int, bookedMinutes: Int, ledgerCalls: Int, lastAssignedAt: Date?) {
        self.calls = calls
        self.bookedMinutes = bookedMinutes
        self.ledgerCalls = ledgerCalls
        self.lastAssignedAt = lastAssignedAt
    }
}
