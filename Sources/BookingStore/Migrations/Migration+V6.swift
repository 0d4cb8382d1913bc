extension Migration {
    /// Call quality as Stream reports it, one row per call session (a call that was left and
    /// rejoined has several): Stream's `GetCallStatsResponse` after `call.stats_report_ready`.
    /// The figures analytics averages are columns; the whole report is kept as `report` for
    /// questions nobody has asked yet.
    static let v6CallQuality = Migration(
        version: 6, name: "call quality",
        sql: #"""
            CREATE TABLE calls.call_quality (
                call_id uuid NOT NULL REFERENCES calls.calls (id) ON DELETE CASCADE,
                session_id text NOT NULL CHECK (session_id <> ''),
                quality_score integer NOT NULL CHECK (quality_score >= 0),
                jitter_average_seconds double precision CHECK (jitter_average_seconds >= 0),
                jitter_max_seconds double precision CHECK (jitter_max_seconds >= 0),
                latency_average_seconds double precision CHECK (latency_average_seconds >= 0),
                latency_max_seconds double precision CHECK (latency_max_seconds >= 0),
                max_freezes_duration_seconds integer CHECK (max_freezes_duration_seconds >= 0),
                max_participants integer CHECK (max_participants >= 0),
                report jsonb NOT NULL DEFAULT '{}',
                reported_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (call_id, session_id)
            );
            """#)
}
