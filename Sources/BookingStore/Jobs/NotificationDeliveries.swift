public import BookingDomain
public import Foundation

/// The rows of `calls.trigger_deliveries`: the reminders and follow-ups the lifecycle planned to
/// send for each call, and what became of each. The connection-level functions run in the
/// transaction of the call's change; the others are the delivery jobs' own steps.
public struct NotificationDeliveries: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// What a delivery is for: its column `kind`.
    public enum Kind: String, Sendable, Hashable {
        case reminder
        case followUp = "follow_up"
        case recording
    }

    public typealias Status = DeliveryStatus

    /// One row.
    public struct Delivery: Sendable, Hashable {
        public let idempotencyKey: String
        public let callID: CallID
        public let kind: Kind
        /// A reminder's `Reminder.idempotencyKey` (its delivery's key is the same, or that with
        /// a generation suffix); nil for follow-ups.
        public let reminderKey: String?
        public let recipient: String?
        public let minutesBefore: Int?
        public let sendAt: Date
        public let runID: String?
        public let status: Status
        public let detail: String?
    }

    // MARK: - In the transaction of the call's change

    /// Plans each reminder as a delivery under its key (one row each, `planned`). Returns the
    /// delivery keys planned now (a key planned before is left as it is).
    static func plan(_ reminders: [(reminder: Reminder, deliveryKey: String)], on connection: PGConnection) throws -> [String] {
        guard !reminders.isEmpty else { return [] }
        // One statement for all of them; RETURNING names only the rows it inserted.
        return try connection.execute(
            """
            INSERT INTO calls.trigger_deliveries (idempotency_key, reminder_key, call_id, kind, recipient,
                minutes_before, send_at)
            SELECT idempotency_key, reminder_key, call_id, 'reminder', recipient, minutes_before, send_at
            FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::int[], $6::timestamptz[])
                AS new(idempotency_key, reminder_key, call_id, recipient, minutes_before, send_at)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING idempotency_key
            """,
            [
                reminders.map(\.deliveryKey), reminders.map(\.reminder.idempotencyKey),
                reminders.map(\.reminder.callID.uuidString), reminders.map(\.reminder.recipient.deliveryKey),
                reminders.map(\.reminder.minutesBefore), reminders.map(\.reminder.sendAt),
            ]
        ).rows.map { row throws(StoreError) in try row.string("idempotency_key") ?? "" }
    }

    /// The call's reminder deliveries, by reminder key: each delivery's key and status.
    static func reminderDeliveries(of id: CallID, on connection: PGConnection) throws -> [String: [DeliveryRecord]] {
        var rows: [String: [DeliveryRecord]] = [:]
        for row in try connection.execute(
            """
            SELECT idempotency_key, reminder_key, status FROM calls.trigger_deliveries
            WHERE call_id = $1::uuid AND kind = 'reminder'
            """,
            [id.uuidString]
        ).rows {
            guard let status = Status(rawValue: try row.string("status") ?? "") else { continue }
            let key = try row.string("idempotency_key") ?? ""
            rows[try row.string("reminder_key") ?? key, default: []].append(DeliveryRecord(deliveryKey: key, status: status))
        }
        return rows
    }

    /// Marks the reminders `cancelled`: those still planned, and those triggered whose send
    /// time is after `now` (a run already due has delivered its reminder, and stays
    /// `triggered`). Returns the run ids of the cancelled ones the delivery service has, by key:
    /// those runs must be cancelled there.
    static func cancel(_ keys: [String], now: Date, on connection: PGConnection) throws -> [(key: String, runID: String)] {
        guard !keys.isEmpty else { return [] }
        return try connection.execute(
            """
            UPDATE calls.trigger_deliveries SET status = 'cancelled'
            WHERE idempotency_key = ANY($1::text[])
              AND (status = 'planned' OR (status = 'triggered' AND send_at > to_timestamp($2)))
            RETURNING idempotency_key, run_id
            """,
            [keys, now.timeIntervalSince1970]
        ).rows.compactMap { row throws(StoreError) in
            guard let runID = try row.string("run_id") else { return nil }
            return (try row.string("idempotency_key") ?? "", runID)
        }
    }

    // MARK: - The delivery jobs' steps

    public func find(_ key: String) async throws -> Delivery? {
        try await self.pool.withConnection { connection in
            try connection.execute("SELECT \(Self.columns) FROM calls.trigger_deliveries WHERE idempotency_key = $1", [key])
                .first.map(Self.decode)
        }
    }

    /// Every delivery of the call, by send time then key.
    public func deliveries(of id: CallID) async throws -> [Delivery] {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT \(Self.columns) FROM calls.trigger_deliveries WHERE call_id = $1::uuid
                ORDER BY send_at, idempotency_key
                """,
                [id.uuidString]
            ).rows.map(Self.decode)
        }
    }

    /// What `recordRun` found.
    public enum RunRecorded: Sendable, Hashable {
        /// The delivery was planned and is `triggered` now.
        case triggered
        /// The delivery was cancelled (or ended) while its run was being created: the run id is
        /// stored and a `ReminderCancelJob` enqueued for it, in the same transaction.
        case cancelRun
    }

    /// Records the run the delivery service created for a delivery: `planned`, or `failed` and
    /// retried by an operator, becomes `triggered`. The same run recorded again (a job that
    /// ran twice gets the same run back for its idempotency key) is still `triggered`.
    public func recordRun(_ key: String, runID: String) async throws -> RunRecorded {
        try await self.pool.withTransaction { connection in
            let previous = try connection.execute(
                """
                UPDATE calls.trigger_deliveries d
                SET run_id = $2, status = CASE WHEN d.status IN ('planned', 'failed') THEN 'triggered' ELSE d.status END
                FROM (SELECT status, run_id FROM calls.trigger_deliveries WHERE idempotency_key = $1 FOR UPDATE) before
                WHERE d.idempotency_key = $1
                RETURNING before.status, before.run_id
                """,
                [key, runID]
            ).first
            let status = try previous?.string("status")
            let storedRun = try previous?.string("run_id")
            if status == Status.planned.rawValue || status == Status.failed.rawValue
                || (status == Status.triggered.rawValue && storedRun == runID)
            {
                return .triggered
            }
            try JobQueue.enqueue(
                Job<ReminderCancelJob>(.init(idempotencyKey: key, runID: runID), dedupeKey: key), on: connection)
            return .cancelRun
        }
    }

    /// Ends a delivery that is still to be sent (`planned`, or `failed` and retried) without
    /// sending it: `skipped`, `superseded` or `failed`, saying why (for operators: never a
    /// secret). False when it was neither any more.
    @discardableResult
    public func markUnsent(_ key: String, _ status: Status, detail: String) async throws -> Bool {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE calls.trigger_deliveries SET status = $2, detail = $3
                WHERE idempotency_key = $1 AND status IN ('planned', 'failed')
                """,
                [key, status.rawValue, detail]
            ).affectedRows == 1
        }
    }

    /// Records what became of a follow-up (its row is written by its job, which knows the
    /// idempotency key): `triggered` with the run, or `skipped` or `failed` with why.
    public func recordFollowUp(
        _ key: String, kind: Kind, of id: CallID, status: Status, runID: String? = nil, detail: String? = nil
    ) async throws {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO calls.trigger_deliveries AS d (idempotency_key, call_id, kind, send_at, run_id, status, detail)
                VALUES ($1, $2::uuid, $3, now(), $4, $5, $6)
                ON CONFLICT (idempotency_key) DO UPDATE
                    SET run_id = coalesce(excluded.run_id, d.run_id), status = excluded.status, detail = excluded.detail
                """,
                [key, id.uuidString, kind.rawValue, runID, status.rawValue, detail])
        }
    }

    static let columns = "idempotency_key, call_id, kind, reminder_key, recipient, minutes_before, send_at, run_id, status, detail"

    static func decode(_ row: PGRow) throws(StoreError) -> Delivery {
        guard let kind = Kind(rawValue: try row.string("kind") ?? ""), let status = Status(rawValue: try row.string("status") ?? "")
        else { throw StoreError(code: .unexpectedResult, message: "unknown delivery kind or status") }
        return Delivery(
            idempotencyKey: try row.string("idempotency_key") ?? "", callID: CallID(try row.require(UUID.self, "call_id")),
            kind: kind, reminderKey: try row.string("reminder_key"), recipient: try row.string("recipient"), minutesBefore: try row.int("minutes_before"),
            sendAt: try row.require(Date.self, "send_at"), runID: try row.string("run_id"), status: status,
            detail: try row.string("detail"))
    }
}
