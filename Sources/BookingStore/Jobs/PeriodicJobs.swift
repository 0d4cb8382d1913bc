/// Claims rounds of periodic jobs in `calls.periodic_jobs` (migration 4), so that of several
/// replicas running the same timer exactly one does each round.
///
/// A claim is one statement: it moves the job's `next_run_at` to now + `interval` only if it was
/// due, on the database's clock. Nothing stays locked while the job runs; a replica that dies
/// mid-round loses that round, and the next one is due `interval` after its claim.
public struct PeriodicJobs: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    public enum Claim: Sendable, Equatable {
        /// This caller runs the round; the next is due `interval` from now.
        case claimed
        /// Another replica has the round; the job is next due in `dueIn` (zero or more).
        case notDue(dueIn: Duration)
    }

    /// Claims the current round of `job` for `holder` (a replica's name, for operators) when it is
    /// due, or tells how long until it is. The first claim of a job creates its row.
    public func claim(_ job: String, every interval: Duration, by holder: String) async throws -> Claim {
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        return try await self.pool.withConnection { connection in
            // The outer SELECT reads the snapshot from before the upsert: when the claim failed,
            // that is the row another replica's claim left (or, after waiting for its lock, the
            // row as it was: the caller then asks again a moment later).
            let row = try connection.execute(
                """
                WITH claimed AS (
                    INSERT INTO calls.periodic_jobs AS j (job, next_run_at, last_claimed_at, last_claimed_by)
                    VALUES ($1, now() + make_interval(secs => $2), now(), $3)
                    ON CONFLICT (job) DO UPDATE
                        SET next_run_at = EXCLUDED.next_run_at, last_claimed_at = EXCLUDED.last_claimed_at,
                            last_claimed_by = EXCLUDED.last_claimed_by
                        WHERE j.next_run_at <= now()
                    RETURNING 1
                )
                SELECT EXISTS (SELECT 1 FROM claimed) AS claimed,
                       (SELECT extract(epoch FROM next_run_at - now())::float8 FROM calls.periodic_jobs WHERE job = $1) AS due_in
                """,
                [job, seconds, holder]
            ).first
            if try row?.bool("claimed") == true { return .claimed }
            let dueIn = max(0, try row?.double("due_in") ?? 0)
            return .notDue(dueIn: .milliseconds(Int64((dueIn * 1000).rounded(.up))))
        }
    }
}
