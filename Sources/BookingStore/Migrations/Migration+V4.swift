extension Migration {
    /// Periodic jobs that several replicas run on a timer, claimed so that one replica does each
    /// round (first: the Calendly availability sync).
    ///
    /// A replica claims a job by moving its `next_run_at` forward, and only while it is due:
    /// one short UPDATE on the database's clock, the one clock all replicas share. The row lock
    /// makes racing replicas queue, and the second finds the job no longer due. Nothing is held
    /// while the job runs (it calls providers for minutes; an advisory lock would pin a pooled
    /// connection that long), so a replica that dies mid-run costs one round, not the job.
    static let v4PeriodicJobs = Migration(
        version: 4, name: "periodic jobs",
        sql: #"""
            CREATE TABLE calls.periodic_jobs (
                job text PRIMARY KEY CHECK (job <> ''),
                -- When the next round is due; a claim sets it to now() + the job's interval.
                next_run_at timestamptz NOT NULL,
                last_claimed_at timestamptz,
                -- Who claimed the last round (a replica's host and pid), for operators.
                last_claimed_by text NOT NULL DEFAULT ''
            );
            """#)
}
