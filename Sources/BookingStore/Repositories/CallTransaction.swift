public import BookingDomain
public import Foundation

/// One transaction on a call and what hangs off it, so that a change, its event-log row, its
/// effects (as jobs) and the facts around it (attendance, recordings, a webhook's delivery)
/// commit together or not at all. The app asks `CallLifecycle` what to do and hands the
/// answer here; it never holds a database connection.
///
/// Made by `CallRepository.transaction` (or a webhook's `WebhookDeliveryLedger.apply`). The
/// body may run more than once (serialization retries), so it must touch nothing outside the
/// database.
public struct CallTransaction {
    let connection: PGConnection
    public let lifecycle: CallLifecycle
    /// The time the transaction's decisions are made at.
    public let now: Date
    /// The changes stored so far, reported by `CallRepository.transaction` once they commit.
    let stored = StoredChanges()

    init(connection: PGConnection, lifecycle: CallLifecycle, now: Date) {
        self.connection = connection
        self.lifecycle = lifecycle
        self.now = now
    }

    /// The changes one attempt of a transaction stored, in order. A retried transaction starts
    /// a fresh list, so only what committed is reported.
    final class StoredChanges {
        var changes: [CallChange] = []
        /// Existing calls whose row was updated, by a change or otherwise (a claim).
        var updated: [CallID] = []
    }

    // MARK: - reading, under row locks

    /// The call, row-locked until the transaction ends so concurrent changes apply in turn.
    public func lockCall(_ id: CallID) throws -> Call? {
        try self.connection.execute(
            "SELECT \(CallRow.columns) FROM calls.calls c WHERE c.id = $1::uuid FOR UPDATE", [id.uuidString]
        ).first.map(CallRow.decode)
    }

    /// The call booked by a Calendly invitee, row-locked when `lock`.
    public func call(calendlyInviteeURI: String, lock: Bool) throws -> Call? {
        try CallRepository.find(calendlyInviteeURI: calendlyInviteeURI, forUpdate: lock, on: self.connection)
    }

    /// Every stretch anyone spent in the call's video session, as read now.
    public func attendance(of id: CallID) throws -> [AttendanceSession] {
        try VideoRepository.attendance(of: id, on: self.connection)
    }

    /// The state the call left by its latest move into NO_SHOW; nil when it never moved there.
    public func stateBeforeNoShow(_ id: CallID) throws -> CallState? {
        try CallRepository.stateBeforeNoShow(id, on: self.connection)
    }

    // MARK: - changing calls

    /// What `change(_:actor:_:)` did.
    public struct Outcome: Sendable {
        /// What the lifecycle decided.
        public var decision: CallDecision
        /// The call as stored after it (unchanged when nothing was stored).
        public var call: Call
    }

    /// Locks the call, asks `decide`, and stores the decision: a change with its event and
    /// effects, or only the effects. Nil for an unknown call.
    @discardableResult
    public func change(_ id: CallID, actor: String, _ decide: (Call) throws -> CallDecision) throws -> Outcome? {
        guard let current = try self.lockCall(id) else { return nil }
        let decision = try decide(current)
        switch decision {
        case .change(let change):
            return Outcome(decision: decision, call: try self.save(change, replacing: current, actor: actor))
        case .noChange(let call, let effects):
            try self.run(effects, for: call)
            return Outcome(decision: decision, call: current)
        case .refused:
            return Outcome(decision: decision, call: current)
        }
    }

    /// The no-show check of a call: `CallLifecycle.checkNoShow` on the call and its attendance,
    /// both read under the call's row lock (so a session that started meanwhile is seen), its
    /// decision stored. Nil for an unknown call; else the verdict, for the log.
    public func checkNoShow(_ id: CallID, actor: String) throws -> NoShowVerdict? {
        var verdict: NoShowVerdict?
        try self.change(id, actor: actor) { call in
            let checked = self.lifecycle.checkNoShow(call, attendance: try self.attendance(of: id), at: self.now)
            verdict = checked.verdict
            return checked.decision
        }
        return verdict
    }

    /// Inserts a booked call (`CallLifecycle.book`) with its event and effects. What the schema
    /// refuses is `CallRepository.insert`'s list.
    public func insert(
        _ booking: CallChange, requestID: String?, specialty: String, actor: String, buffers: StoredBuffers? = nil,
        convertingHold holdID: UUID? = nil
    ) throws -> Call {
        let stored = try CallRepository.insertRow(
            booking.call, requestID: requestID, specialty: specialty, buffers: buffers, convertingHold: holdID,
            on: self.connection)
        try self.appendEvent(booking.event, to: stored.id, actor: actor)
        if let expertID = stored.expertID { try self.stampAssigned(expertID) }
        try self.run(booking.effects, for: stored)
        self.stored.changes.append(CallChange(call: stored, event: booking.event, effects: booking.effects))
        return stored
    }

    private func save(_ change: CallChange, replacing current: Call, actor: String) throws -> Call {
        let call = change.call
        guard
            let stored = try self.connection.execute(
                """
                UPDATE calls.calls c SET state = $2, started_at = to_timestamp($3), ended_at = to_timestamp($4),
                    cancellation_reason = $5, no_show_party = $6, rescheduled_to_call_id = $7::uuid,
                    expert_id = $8::uuid, assignment = $9::jsonb, updated_at = now()
                WHERE c.id = $1::uuid
                RETURNING \(CallRow.columns)
                """,
                [
                    call.id.uuidString, call.state.rawValue, call.startedAt?.timeIntervalSince1970,
                    call.endedAt?.timeIntervalSince1970, call.cancellationReason, call.noShowParty?.rawValue,
                    call.rescheduledTo?.uuidString, call.expertID?.uuidString, CallRow.assignmentJSON(call.assignment),
                ]
            ).first.map(CallRow.decode)
        else { throw StoreError(code: .unexpectedResult, message: "the locked call \(call.id) was not updated") }
        try self.appendEvent(change.event, to: stored.id, actor: actor)
        if let expertID = stored.expertID, expertID != current.expertID { try self.stampAssigned(expertID) }
        try self.run(change.effects, for: stored)
        self.stored.changes.append(CallChange(call: stored, event: change.event, effects: change.effects))
        self.stored.updated.append(stored.id)
        return stored
    }

    func appendEvent(_ event: CallEvent, to id: CallID, actor: String) throws {
        try self.connection.execute(
            """
            INSERT INTO calls.call_events (call_id, from_state, to_state, kind, actor)
            VALUES ($1::uuid, $2, $3, $4, $5)
            """,
            [id.uuidString, event.from?.rawValue, event.to.rawValue, event.kind.rawValue, actor])
    }

    /// Matching ranks by when an expert was last given a call.
    private func stampAssigned(_ expertID: ExpertID) throws {
        try self.connection.execute(
            "UPDATE calls.experts SET last_assigned_at = now() WHERE id = $1::uuid", [expertID.uuidString])
    }

    // MARK: - facts of the video session

    /// A participant's session row; false for an unknown call.
    public func recordParticipant(_ session: VideoRepository.ParticipantSession, of id: CallID) throws -> Bool {
        try VideoRepository.recordParticipant(session, of: id, on: self.connection)
    }

    /// A recording of the call; false for an unknown call.
    public func storeRecording(_ recording: VideoRepository.NewRecording, of id: CallID) throws -> Bool {
        try VideoRepository.storeRecording(recording, of: id, on: self.connection)
    }

    /// An event-log row that moves nothing (a failed recording); false for an unknown call.
    public func recordEvent(_ kind: String, detail: [String: String], of id: CallID, actor: String) throws -> Bool {
        try VideoRepository.recordEvent(kind, detail: detail, of: id, actor: actor, on: self.connection)
    }

    /// Queues the fetch of one session's quality report, unless the call is unknown; one per
    /// session however often it is asked for.
    public func enqueueQualityFetch(of id: CallID, sessionID: String) throws -> QualityFetchEnqueued {
        guard try self.connection.execute("SELECT 1 FROM calls.calls WHERE id = $1::uuid", [id.uuidString]).first != nil
        else { return .unknownCall }
        let job = Job<QualityFetchJob>(.init(callID: id, sessionID: sessionID), dedupeKey: "\(id.uuidString):\(sessionID)")
        return try JobQueue.enqueue(job, on: self.connection) ? .queued : .alreadyQueued
    }

    /// What `enqueueQualityFetch` did.
    public enum QualityFetchEnqueued: Sendable, Hashable {
        case queued, alreadyQueued, unknownCall
    }
}
