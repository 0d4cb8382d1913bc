public import Foundation

/// The jobs outbox in `calls.jobs` (migration 5), safe with several replicas.
///
/// - Enqueue with `enqueue(_:on:)` inside the transaction of the change that causes the job, so
///   the job exists exactly when that change committed.
/// - Workers `claim` due jobs with `FOR UPDATE SKIP LOCKED` (two workers never get the same
///   row) and a lease; a claim counts as an attempt.
/// - `complete` finishes a job; `fail` schedules the next attempt after `backoff`, or makes it
///   `dead` after `maxAttempts` attempts (or at once when retrying cannot help).
/// - A worker that dies holding a job loses it when the lease ends: the next `claim` takes it
///   again, or makes it dead when that was its last attempt.
/// - Recurring jobs (`schedule`, `repeat_every` set) are claimed apart (`recurring: true`), hold
///   their lease for their interval, and are pending again for their next round when they
///   complete or fail: never done, never dead.
///
/// Times are the database's `now()`, one clock for every replica.
public struct JobQueue: Sendable {
    let pool: PGPool
    /// `JOB_MAX_ATTEMPTS` [8].
    public let maxAttempts: Int
    public let backoff: JobBackoff

    public init(pool: PGPool, maxAttempts: Int = 8, backoff: JobBackoff = JobBackoff()) {
        self.pool = pool
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
    }

    /// Adds `job` on `connection`, inside the caller's transaction. Returns false when a job of
    /// the same kind and dedupe key exists already (nothing is added).
    @discardableResult
    static func enqueue<Kind: JobKind>(_ job: Job<Kind>, on connection: PGConnection) throws -> Bool {
        try Self.enqueue(job.row, on: connection)
    }

    @discardableResult
    static func enqueue(_ job: NewJob, on connection: PGConnection) throws -> Bool {
        try connection.execute(
            """
            INSERT INTO calls.jobs (kind, payload, dedupe_key, run_at)
            VALUES ($1, $2::jsonb, $3, coalesce(to_timestamp($4), now()))
            ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
            """,
            [job.kind, job.payload, job.dedupeKey, job.runAt?.timeIntervalSince1970]
        ).affectedRows == 1
    }

    /// Adds `jobs` as `enqueue` adds each, those with a dedupe key in one statement: a booking
    /// plans half a dozen jobs, and a round trip each was most of its transaction.
    static func enqueue(_ jobs: [NewJob], on connection: PGConnection) throws {
        let keyed = jobs.filter { $0.dedupeKey != nil }
        for job in jobs where job.dedupeKey == nil { try Self.enqueue(job, on: connection) }
        if keyed.count <= 1 {
            for job in keyed { try Self.enqueue(job, on: connection) }
            return
        }
        // PostgreSQL reads the element 'now' as the transaction's start, which `now()` is too.
        try connection.execute(
            """
            INSERT INTO calls.jobs (kind, payload, dedupe_key, run_at)
            SELECT kind, payload::jsonb, dedupe_key, run_at
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS new(kind, payload, dedupe_key, run_at)
            ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
            """,
            [
                keyed.map(\.kind), keyed.map(\.payload), keyed.map { $0.dedupeKey ?? "" },
                keyed.map { $0.runAt.map(PGTimestamp.format) ?? "now" },
            ])
    }

    /// Adds `job` in a transaction of its own.
    @discardableResult
    public func enqueue<Kind: JobKind>(_ job: Job<Kind>) async throws -> Bool {
        try await self.enqueue(job.row)
    }

    @discardableResult
    func enqueue(_ row: NewJob) async throws -> Bool {
        try await self.pool.withTransaction { try Self.enqueue(row, on: $0) }
    }

    /// Claims up to `limit` due jobs (oldest due first) for `lease`; jobs other workers hold are
    /// skipped, not waited for. Expired leases on a last attempt are made dead first.
    /// `recurring` claims the recurring jobs instead of the others, each leased for its interval.
    public func claim(limit: Int, lease: Duration, recurring: Bool = false) async throws -> [ClaimedJob] {
        let maxAttempts = self.maxAttempts
        let leaseSeconds = Self.seconds(lease)
        return try await self.pool.withTransaction { connection in
            try connection.execute(
                """
                UPDATE calls.jobs SET state = 'dead', finished_at = now(), locked_until = NULL, lease_token = NULL,
                    last_error = concat_ws('; ', last_error, 'the worker''s lease ended during the last attempt')
                WHERE state = 'running' AND locked_until <= now() AND attempts >= $1 AND repeat_every IS NULL
                """,
                [maxAttempts])
            return try connection.execute(
                """
                WITH due AS (
                    SELECT id FROM calls.jobs
                    WHERE ((state = 'pending' AND run_at <= now())
                        OR (state = 'running' AND locked_until <= now() AND (attempts < $3 OR repeat_every IS NOT NULL)))
                      AND (repeat_every IS NOT NULL) = $4
                    ORDER BY run_at, id
                    LIMIT $1
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE calls.jobs j SET state = 'running', attempts = j.attempts + 1,
                    locked_until = now() + coalesce(j.repeat_every, make_interval(secs => $2)),
                    lease_token = gen_random_uuid()
                FROM due WHERE j.id = due.id
                RETURNING j.id, j.kind, j.payload::text AS payload, j.attempts, j.lease_token
                """,
                [max(1, limit), leaseSeconds, maxAttempts, recurring]
            ).rows.map { row in
                ClaimedJob(
                    id: try row.require(Int64.self, "id"), kind: try row.string("kind") ?? "",
                    payload: try row.string("payload") ?? "{}", attempt: try row.int("attempts") ?? 1,
                    leaseToken: try row.require(UUID.self, "lease_token"))
            }
        }
    }

    /// Marks the job done (a recurring one: pending for its next round). False when the claim
    /// was lost (the lease ended and another worker took the job): that worker's outcome stands.
    @discardableResult
    public func complete(_ job: ClaimedJob) async throws -> Bool {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE calls.jobs SET state = CASE WHEN repeat_every IS NULL THEN 'done' ELSE 'pending' END,
                    run_at = CASE WHEN repeat_every IS NULL THEN run_at ELSE now() + repeat_every END,
                    attempts = CASE WHEN repeat_every IS NULL THEN attempts ELSE 0 END,
                    finished_at = now(), locked_until = NULL, lease_token = NULL, last_error = NULL
                WHERE id = $1 AND lease_token = $2::uuid AND state = 'running'
                """,
                [job.id, job.leaseToken]
            ).affectedRows == 1
        }
    }

    /// What `fail` did with the job.
    public enum Retry: Sendable, Hashable {
        /// Pending again, due at this time.
        case scheduled(Date)
        /// No more attempts: `maxAttempts` reached, or `permanent`.
        case dead
        /// The claim was lost; the row was not changed.
        case claimLost
    }

    /// Records a failed attempt: pending again after the backoff, or dead after the last
    /// attempt or when `permanent` (retrying cannot help). A recurring job is pending again after
    /// the backoff or its interval, whichever is sooner. `error` is stored for operators; it
    /// must not contain secrets.
    @discardableResult
    public func fail(_ job: ClaimedJob, error: String, permanent: Bool = false) async throws -> Retry {
        let delay = Self.seconds(self.backoff.jittered(afterAttempt: job.attempt))
        let maxAttempts = self.maxAttempts
        return try await self.pool.withConnection { connection in
            guard
                let row = try connection.execute(
                    """
                    UPDATE calls.jobs SET
                        state = CASE WHEN repeat_every IS NULL AND ($3 OR attempts >= $4) THEN 'dead' ELSE 'pending' END,
                        run_at = CASE WHEN repeat_every IS NOT NULL THEN now() + least(make_interval(secs => $5), repeat_every)
                            WHEN $3 OR attempts >= $4 THEN run_at ELSE now() + make_interval(secs => $5) END,
                        finished_at = CASE WHEN repeat_every IS NULL AND ($3 OR attempts >= $4) THEN now() END,
                        locked_until = NULL, lease_token = NULL, last_error = left($6, 2000)
                    WHERE id = $1 AND lease_token = $2::uuid AND state = 'running'
                    RETURNING state, run_at
                    """,
                    [job.id, job.leaseToken, permanent, maxAttempts, delay, error]
                ).first
            else { return .claimLost }
            if try row.string("state") == "dead" { return .dead }
            return .scheduled(try row.require(Date.self, "run_at"))
        }
    }

    /// How many jobs wait (`pending`, due or not) and run (`running`) now: what the worker
    /// reports as `job_queue_depth`. Both counts read the partial indexes of migration 5.
    public func depth() async throws -> (pending: Int, running: Int) {
        try await self.pool.withConnection { connection in
            let row = try connection.execute(
                """
                SELECT (SELECT count(*) FROM calls.jobs WHERE state = 'pending') AS pending,
                       (SELECT count(*) FROM calls.jobs WHERE state = 'running') AS running
                """
            ).first
            return (try row?.int("pending") ?? 0, try row?.int("running") ?? 0)
        }
    }

    /// The job's row, or nil.
    public func status(of id: Int64) async throws -> JobStatus? {
        try await self.pool.withConnection { connection in
            try connection.execute(
                "SELECT id, kind, state, attempts, run_at, last_error FROM calls.jobs WHERE id = $1", [id]
            ).first.map(Self.status)
        }
    }

    /// The jobs of `kind` with `dedupeKey`, or every job of `kind` when it is nil, oldest first.
    public func jobs(kind: String, dedupeKey: String? = nil) async throws -> [JobStatus] {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT id, kind, state, attempts, run_at, last_error FROM calls.jobs
                WHERE kind = $1 AND ($2::text IS NULL OR dedupe_key = $2) ORDER BY id
                """,
                [kind, dedupeKey]
            ).rows.map(Self.status)
        }
    }

    private static func status(_ row: PGRow) throws(StoreError) -> JobStatus {
        guard let state = JobStatus.State(rawValue: try row.string("state") ?? "") else {
            throw StoreError(code: .other, message: "unknown job state \(try row.string("state") ?? "")")
        }
        return JobStatus(
            id: try row.require(Int64.self, "id"), kind: try row.string("kind") ?? "", state: state,
            attempts: try row.int("attempts") ?? 0, runAt: try row.require(Date.self, "run_at"),
            lastError: try row.string("last_error"))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
