extension Migration {
    /// What `Retention` looks for each hour, indexed, so a round reads the old rows instead of
    /// whole tables that grow for `RETENTION_DAYS`.
    static let v10RetentionIndexes = Migration(
        version: 10, name: "retention indexes",
        sql: #"""
            CREATE INDEX webhook_deliveries_by_received_at ON calls.webhook_deliveries (received_at);
            CREATE INDEX jobs_done_by_finished_at ON calls.jobs (finished_at) WHERE state = 'done';
            CREATE INDEX slot_holds_by_expires_at ON calls.slot_holds (expires_at);
            CREATE INDEX caller_rate_by_minute ON calls.caller_rate (minute);
            """#)
}
