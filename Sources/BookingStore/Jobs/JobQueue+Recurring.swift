/// The payload of a job that needs none (a recurring round).
public struct NoPayload: Codable, Sendable, Hashable {
    public init() {}
}

/// A job run every `interval` across all replicas, as a recurring row of the jobs outbox.
public struct RecurringJob: Sendable, Hashable {
    public var kind: String
    public var interval: Duration
    /// When a round was never run: this long after the row is first made.
    public var firstRunIn: Duration

    public init<Kind: JobKind>(_ kind: Kind.Type, every interval: Duration, firstRunIn: Duration) where Kind.Payload == NoPayload {
        self.kind = Kind.name
        self.interval = interval
        self.firstRunIn = firstRunIn
    }
}

extension JobQueue {
    /// Makes `job`'s recurring row, or brings an existing one to `job.interval`: a round already
    /// planned further out than one new interval moves closer, a running round is left to
    /// finish. Every replica schedules its recurring jobs at start; the row is one.
    public func schedule(_ job: RecurringJob) async throws {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO calls.jobs AS j (kind, payload, dedupe_key, run_at, repeat_every)
                VALUES ($1, '{}', 'recurring', now() + make_interval(secs => $3), make_interval(secs => $2))
                ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO UPDATE SET
                    repeat_every = excluded.repeat_every,
                    run_at = CASE WHEN j.state = 'running' THEN j.run_at
                        ELSE least(j.run_at, now() + excluded.repeat_every) END,
                    state = CASE WHEN j.state = 'running' THEN 'running' ELSE 'pending' END
                """,
                [job.kind, Self.seconds(job.interval), Self.seconds(job.firstRunIn)])
        }
    }
}
