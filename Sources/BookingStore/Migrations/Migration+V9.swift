extension Migration {
    /// Bookings and holds each customer started per minute, counted here so that every replica
    /// sees the same count (`CallerRateLimit`). One row per user and active minute; the
    /// retention job deletes past minutes.
    static let v9CallerRate = Migration(
        version: 9, name: "caller rate",
        sql: #"""
            CREATE TABLE calls.caller_rate (
                user_id text NOT NULL,
                minute bigint NOT NULL,
                count integer NOT NULL,
                PRIMARY KEY (user_id, minute)
            );
            """#)
}
