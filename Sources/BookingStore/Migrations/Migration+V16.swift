extension Migration {
    /// One scheduler: periodic work (the Calendly sync rounds, retention) becomes recurring rows
    /// of the jobs outbox instead of `calls.periodic_jobs`. A recurring job (`repeat_every` set)
    /// is never done or dead: finishing or failing makes it pending again for its next round,
    /// and its lease is its interval, so one replica runs each round. Operators see the rounds
    /// with the other jobs.
    ///
    /// Calls already IN_PROGRESS get the end check their start now plans (it waits for their
    /// end plus the grace when it runs early).
    static let v16OneScheduler = Migration(
        version: 16, name: "recurring jobs and end checks",
        sql: #"""
            ALTER TABLE calls.jobs ADD COLUMN repeat_every interval
                CONSTRAINT jobs_repeat_every_positive CHECK (repeat_every IS NULL OR repeat_every >= interval '1 second');
            DROP TABLE calls.periodic_jobs;

            INSERT INTO calls.jobs (kind, payload, dedupe_key)
            SELECT 'call.end_check', jsonb_build_object('call_id', id::text), id::text || ':in-progress'
            FROM calls.calls WHERE state = 'IN_PROGRESS'
            ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;
            """#)
}
