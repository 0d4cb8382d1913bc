extension Migration {
    /// What operators read without SQL: each job's history (a retry, and the state and error it
    /// replaced), and a log of every webhook delivery, refused ones included.
    ///
    /// The delivery log keeps no body, only its SHA-256 and size. Refused deliveries come from
    /// senders we could not authenticate, so `WebhookDeliveryLog` keeps only the latest of them
    /// per provider; retention (`RETENTION_DAYS`) prunes the rest by `received_at`.
    static let v13OperationsLog = Migration(
        version: 13, name: "job history and webhook delivery log",
        sql: #"""
            CREATE TABLE calls.job_events (
                id bigserial PRIMARY KEY,
                job_id bigint NOT NULL REFERENCES calls.jobs (id) ON DELETE CASCADE,
                kind text NOT NULL CHECK (kind IN ('retried')),
                actor text NOT NULL,
                from_state text NOT NULL,
                attempts integer NOT NULL,
                -- The job's last error when it was retried, and the operator's reason.
                detail text NOT NULL DEFAULT '',
                at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX job_events_by_job ON calls.job_events (job_id, id);
            -- Operators list jobs newest first by state, or those of one call.
            CREATE INDEX jobs_by_state ON calls.jobs (state, id);
            CREATE INDEX jobs_by_call ON calls.jobs ((payload ->> 'call_id'), id) WHERE payload ? 'call_id';

            CREATE TABLE calls.webhook_delivery_log (
                id bigserial PRIMARY KEY,
                provider text NOT NULL CHECK (provider IN ('calendly', 'stream')),
                outcome text NOT NULL
                    CHECK (outcome IN ('applied', 'duplicate', 'ignored', 'rejected', 'invalid', 'failed')),
                reason text NOT NULL DEFAULT '',
                event text NOT NULL DEFAULT '',
                body_sha256 text NOT NULL,
                body_size integer NOT NULL CHECK (body_size >= 0),
                call_id uuid,
                received_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX webhook_delivery_log_by_provider ON calls.webhook_delivery_log (provider, outcome, id);
            CREATE INDEX webhook_delivery_log_by_received_at ON calls.webhook_delivery_log (received_at);
            """#)
}
