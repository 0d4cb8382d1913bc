public import Foundation

/// The jobs outbox as operators see it: jobs listed newest first with their history, and a
/// dead or failed job run again. The worker's side is `JobQueue`.
public struct JobBoard: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// How a job stands, as listed: the table's states, with a pending job whose last attempt
    /// failed shown as `failed` (it waits for its next attempt).
    public enum State: String, Sendable, Hashable, CaseIterable {
        case pending, running, done, dead, failed
    }

    /// A row of `calls.job_events`.
    public struct Event: Sendable, Hashable {
        public var kind: String
        public var at: Date
        public var actor: String
        /// The state and attempts the job had, its last error and the operator's reason.
        public var detail: String
    }

    public struct Listed: Sendable, Hashable {
        public var id: Int64
        public var kind: String
        public var callID: UUID?
        public var state: State
        public var attempts: Int
        /// When a pending or failed job runs next; nil for the others.
        public var nextRunAt: Date?
        public var lastError: String?
        public var createdAt: Date
        public var updatedAt: Date
        public var history: [Event]
    }

    public struct Filter: Sendable, Hashable {
        public var state: State?
        public var kind: String?
        public var callID: UUID?

        public init(state: State? = nil, kind: String? = nil, callID: UUID? = nil) {
            self.state = state
            self.kind = kind
            self.callID = callID
        }
    }

    static let stateSQL = """
        CASE WHEN j.state = 'pending' AND j.last_error IS NOT NULL THEN 'failed' ELSE j.state END
        """

    /// Up to `limit` jobs matching `filter` with ids below `before` (nil: from the newest),
    /// newest first.
    public func list(_ filter: Filter, before: Int64?, limit: Int) async throws -> [Listed] {
        let states: [String]? = filter.state.map { state in
            switch state {
            case .pending, .failed: ["pending"]
            case .running, .done, .dead: [state.rawValue]
            }
        }
        let listed = filter.state.map(\.rawValue)
        return try await self.pool.withConnection { connection in
            let rows = try connection.execute(
                """
                SELECT j.id, j.kind, j.payload ->> 'call_id' AS call_id, \(Self.stateSQL) AS listed_state, j.attempts,
                    j.run_at, j.last_error, j.created_at, j.updated_at
                FROM calls.jobs j
                WHERE ($1::text[] IS NULL OR j.state = ANY($1::text[]))
                  AND ($2::text IS NULL OR \(Self.stateSQL) = $2)
                  AND ($3::text IS NULL OR j.kind = $3)
                  AND ($4::text IS NULL OR (j.payload ? 'call_id' AND j.payload ->> 'call_id' = $4))
                  AND ($5::bigint IS NULL OR j.id < $5)
                ORDER BY j.id DESC
                LIMIT $6
                """,
                [
                    states.map(Self.arrayLiteral), listed, filter.kind, filter.callID?.uuidString.lowercased(), before,
                    max(1, limit),
                ])
            let jobs = try rows.rows.map(Self.decode)
            let history = try Self.history(of: jobs.map(\.id), on: connection)
            return jobs.map { job in
                var job = job
                job.history = history[job.id] ?? []
                return job
            }
        }
    }

    /// What `retry` found.
    public enum RetryOutcome: Sendable, Hashable {
        case retried(Listed)
        case unknown
        /// The job is pending, running or done: there is nothing to retry.
        case notRetryable(State)
    }

    /// Runs a dead or failed job again now: pending, due at once, its attempts reset to 0 so it
    /// gets `JOB_MAX_ATTEMPTS` fresh ones, its last error cleared. The state, attempts and error
    /// it had, with `reason`, become a `retried` row of its history.
    public func retry(_ id: Int64, actor: String, reason: String) async throws -> RetryOutcome {
        try await self.pool.withTransaction { connection in
            guard
                let row = try connection.execute(
                    "SELECT \(Self.stateSQL) AS listed_state, attempts, last_error FROM calls.jobs j WHERE id = $1 FOR UPDATE",
                    [id]
                ).first
            else { return .unknown }
            let state = State(rawValue: try row.string("listed_state") ?? "") ?? .pending
            guard state == .dead || state == .failed else { return .notRetryable(state) }
            let detail = [try row.string("last_error"), reason.isEmpty ? nil : "reason: \(reason)"]
                .compactMap { $0 }.joined(separator: "; ")
            try connection.execute(
                """
                INSERT INTO calls.job_events (job_id, kind, actor, from_state, attempts, detail)
                VALUES ($1, 'retried', $2, $3, $4, $5)
                """,
                [id, actor, state.rawValue, try row.int("attempts") ?? 0, detail])
            guard
                let updated = try connection.execute(
                    """
                    UPDATE calls.jobs j SET state = 'pending', attempts = 0, run_at = now(), last_error = NULL,
                        finished_at = NULL, locked_until = NULL, lease_token = NULL
                    WHERE id = $1
                    RETURNING j.id, j.kind, j.payload ->> 'call_id' AS call_id, \(Self.stateSQL) AS listed_state,
                        j.attempts, j.run_at, j.last_error, j.created_at, j.updated_at
                    """,
                    [id]
                ).first
            else { throw StoreError(code: .unexpectedResult, message: "the locked job \(id) was not updated") }
            var job = try Self.decode(updated)
            job.history = try Self.history(of: [id], on: connection)[id] ?? []
            return .retried(job)
        }
    }

    private static func decode(_ row: PGRow) throws -> Listed {
        let state = State(rawValue: try row.string("listed_state") ?? "") ?? .pending
        return Listed(
            id: try row.require(Int64.self, "id"), kind: try row.string("kind") ?? "", callID: try? row.uuid("call_id"),
            state: state, attempts: try row.int("attempts") ?? 0,
            nextRunAt: state == .pending || state == .failed ? try row.date("run_at") : nil,
            lastError: try row.string("last_error"), createdAt: try row.require(Date.self, "created_at"),
            updatedAt: try row.require(Date.self, "updated_at"), history: [])
    }

    private static func history(of ids: [Int64], on connection: PGConnection) throws -> [Int64: [Event]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.execute(
            """
            SELECT job_id, kind, at, actor, from_state, attempts, detail FROM calls.job_events
            WHERE job_id = ANY($1::bigint[]) ORDER BY job_id, id
            """,
            [Self.arrayLiteral(ids.map(String.init))])
        var history: [Int64: [Event]] = [:]
        for row in rows.rows {
            let detail = "was \(try row.string("from_state") ?? "") after \(try row.int("attempts") ?? 0) attempts"
                + ((try row.string("detail")).flatMap { $0.isEmpty ? nil : ": \($0)" } ?? "")
            history[try row.require(Int64.self, "job_id"), default: []].append(
                Event(
                    kind: try row.string("kind") ?? "", at: try row.require(Date.self, "at"),
                    actor: try row.string("actor") ?? "", detail: detail))
        }
        return history
    }

    /// A PostgreSQL array literal of plain words (states, ids): no quoting needed.
    private static func arrayLiteral(_ words: [String]) -> String { "{" + words.joined(separator: ",") + "}" }
}
