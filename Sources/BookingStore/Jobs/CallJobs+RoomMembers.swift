public import BookingDomain

extension CallJobs {
    /// Runs the room setup of call `id` again because its people changed (a reassigned expert,
    /// a claimed booking): get-or-create leaves an existing call's members as they were, and
    /// the job, reading the call as it is when it runs, brings them up to date. Call it in the
    /// transaction of the change, after it, so the job exists exactly when the change committed.
    ///
    /// The dedupe key names the call, its expert and customer after the change, and how many
    /// events it has logged: a reassignment back to an earlier expert (A → B → A) still runs
    /// again, while a transaction retried after a serialization failure (rolled back with its
    /// job) cannot leave two. Does nothing for an unknown call.
    public static func enqueueRoomMembersSync(for id: CallID, on connection: PGConnection) throws {
        guard
            let row = try connection.execute(
                """
                SELECT coalesce(c.expert_id::text, '-') AS expert, coalesce(c.customer_user_id, '-') AS customer,
                    (SELECT count(*) FROM calls.call_events e WHERE e.call_id = c.id) AS changes
                FROM calls.calls c WHERE c.id = $1::uuid
                """,
                [id.uuidString]
            ).first
        else { return }
        let key = [
            id.uuidString, "members", try row.string("expert") ?? "-", try row.string("customer") ?? "-",
            String(try row.int("changes") ?? 0),
        ].joined(separator: ":")
        var job = Self.roomSetup(for: id)
        job.dedupeKey = key
        try JobQueue.enqueue(job, on: connection)
    }
}
