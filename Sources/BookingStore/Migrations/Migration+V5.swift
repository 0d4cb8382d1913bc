extension Migration {
    /// The jobs outbox, and what Stream Video tells us about a call: its room, attendance per
    /// participant session, recordings with their URL expiry.
    ///
    /// Jobs (`JobQueue`): a row is inserted in the same transaction as the change that causes
    /// it (a booking enqueues its room setup), so a job exists exactly when its cause committed.
    /// Workers on any replica claim due rows with `FOR UPDATE SKIP LOCKED` and a lease
    /// (`locked_until`, `lease_token`): a job runs on one worker at a time, and the job of a
    /// worker that died is claimed again once its lease ends. `attempts` counts claims, so a job
    /// that crashes its worker every time still reaches `dead`. `dedupe_key` makes enqueueing
    /// idempotent per kind.
    static let v5JobsAndVideo = Migration(
        version: 5, name: "jobs outbox and video rooms",
        sql: #"""
            CREATE TABLE calls.jobs (
                id bigserial PRIMARY KEY,
                kind text NOT NULL CHECK (kind <> ''),
                payload jsonb NOT NULL DEFAULT '{}',
                dedupe_key text,
                state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'dead')),
                attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                run_at timestamptz NOT NULL DEFAULT now(),
                locked_until timestamptz,
                lease_token uuid,
                last_error text,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz,
                CONSTRAINT jobs_running_has_lease CHECK (
                    state <> 'running' OR (locked_until IS NOT NULL AND lease_token IS NOT NULL))
            );
            CREATE UNIQUE INDEX jobs_kind_dedupe_key ON calls.jobs (kind, dedupe_key) WHERE dedupe_key IS NOT NULL;
            -- What workers scan: due pending jobs, and running ones whose lease may have ended.
            CREATE INDEX jobs_due ON calls.jobs (run_at, id) WHERE state = 'pending';
            CREATE INDEX jobs_leased ON calls.jobs (locked_until) WHERE state = 'running';
            CREATE TRIGGER jobs_touch_updated_at BEFORE UPDATE ON calls.jobs
                FOR EACH ROW EXECUTE FUNCTION calls.touch_updated_at();

            -- The Stream call of a booking, once get-or-create succeeded.
            CREATE TABLE calls.video_rooms (
                call_id uuid PRIMARY KEY REFERENCES calls.calls (id),
                call_type text NOT NULL,
                stream_call_id text NOT NULL,
                ready_at timestamptz NOT NULL DEFAULT now()
            );

            -- Attendance per participant session (no-show detection reads it), with what the
            -- left event reports (how long they stayed).
            ALTER TABLE calls.call_participants
                ADD COLUMN session_id text,
                ADD COLUMN user_session_id text,
                ADD COLUMN stream_role text,
                ADD COLUMN duration_seconds integer CHECK (duration_seconds >= 0);
            CREATE UNIQUE INDEX call_participants_user_session ON calls.call_participants (call_id, user_session_id)
                WHERE user_session_id IS NOT NULL;

            -- Signed recording URLs expire: when, so ListCallRecordings knows to fetch fresh ones.
            ALTER TABLE calls.recordings
                ADD COLUMN session_id text,
                ADD COLUMN recording_type text,
                ADD COLUMN url_expires_at timestamptz;
            """#)
}
