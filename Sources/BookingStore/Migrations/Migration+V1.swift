extension Migration {
    /// Experts and their availability, calls with their event log, recordings and attendance.
    ///
    /// Design notes:
    /// - Everything lives in schema `calls`; the database is shared with other apps. `btree_gist`
    ///   (needed to mix `=` on uuid with `&&` on ranges in one exclusion constraint) is installed
    ///   into `calls` when it is not already there; a default operator class is found whatever
    ///   schema holds it.
    /// - No double booking, enforced by the database: `calls_expert_no_overlap` excludes two
    ///   SCHEDULED/IN_PROGRESS calls of one expert whose `occupied` ranges overlap. `occupied` is
    ///   the scheduled range widened by the call's buffers (CONTRACT "Slots": a call occupies
    ///   `[start − buffer_before, end + buffer_after)`), so buffers add up; with no buffers it is
    ///   `scheduled`. Cancelled, completed and missed calls free their time.
    /// - Weekly hours are minutes of the local day in the expert's IANA zone (`time_zone`), ISO
    ///   weekdays 1 = Monday … 7 = Sunday like `DayOfWeek`; turning them into instants (DST)
    ///   is the domain's job. The database keeps one expert's ranges of a day from overlapping.
    /// - Time off from a person (`manual`) and from Calendly sync (`calendly`) may overlap each
    ///   other (sync replaces only its own rows), never within one source.
    /// - `customer_user_id` NULL means "not claimed yet" (a Calendly booking without a Clerk id).
    /// - `call_events` is append-only, enforced by a trigger.
    static let v1InitialSchema = Migration(
        version: 1, name: "initial schema",
        sql: #"""
            CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA calls;

            -- Sets updated_at on every UPDATE that does not set it itself.
            CREATE FUNCTION calls.touch_updated_at() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
                    NEW.updated_at := now();
                END IF;
                RETURN NEW;
            END
            $$;

            CREATE FUNCTION calls.reject_change() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'calls.% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
            END
            $$;

            -- The time a call keeps its expert from other calls. IMMUTABLE is true although
            -- timestamptz ± interval is only STABLE in general: an interval of minutes alone has
            -- no day or month part, the only parts whose length depends on the time zone.
            -- least(): an end before the start yields an empty range instead of an error, so
            -- the row reaches calls_start_before_end and fails as the check violation it is.
            CREATE FUNCTION calls.occupied_range(
                scheduled_start timestamptz, scheduled_end timestamptz,
                buffer_before_minutes integer, buffer_after_minutes integer
            ) RETURNS tstzrange
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN tstzrange(
                least(scheduled_start, scheduled_end) - make_interval(mins => buffer_before_minutes),
                scheduled_end + make_interval(mins => buffer_after_minutes),
                '[)');

            CREATE TABLE calls.experts (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                name text NOT NULL CHECK (btrim(name) <> ''),
                email text NOT NULL CHECK (position('@' IN email) > 1),
                specialties text[] NOT NULL DEFAULT '{}',
                time_zone text NOT NULL CHECK (time_zone <> ''),
                clerk_user_id text CONSTRAINT experts_clerk_user_id_key UNIQUE,
                calendly_user_uri text CONSTRAINT experts_calendly_user_uri_key UNIQUE,
                active boolean NOT NULL DEFAULT true,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                last_assigned_at timestamptz
            );
            -- Emails are unique ignoring case; the constraint name is what StoreError reports.
            CREATE UNIQUE INDEX experts_email_key ON calls.experts (lower(email));
            CREATE INDEX experts_specialties ON calls.experts USING gin (specialties) WHERE active;
            CREATE TRIGGER experts_touch_updated_at BEFORE UPDATE ON calls.experts
                FOR EACH ROW EXECUTE FUNCTION calls.touch_updated_at();

            CREATE TABLE calls.expert_weekly_hours (
                expert_id uuid NOT NULL REFERENCES calls.experts (id) ON DELETE CASCADE,
                weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
                start_minute integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
                end_minute integer NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
                CONSTRAINT expert_weekly_hours_start_before_end CHECK (start_minute < end_minute),
                PRIMARY KEY (expert_id, weekday, start_minute),
                CONSTRAINT expert_weekly_hours_no_overlap EXCLUDE USING gist (
                    expert_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&)
            );

            CREATE TABLE calls.expert_time_off (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                expert_id uuid NOT NULL REFERENCES calls.experts (id) ON DELETE CASCADE,
                period tstzrange NOT NULL CONSTRAINT expert_time_off_finite CHECK (
                    NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
                source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'calendly')),
                created_at timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT expert_time_off_no_overlap EXCLUDE USING gist (
                    expert_id WITH =, source WITH =, period WITH &&)
            );

            CREATE TABLE calls.calls (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                state text NOT NULL DEFAULT 'SCHEDULED' CONSTRAINT calls_state_known CHECK (
                    state IN ('SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW')),
                expert_id uuid REFERENCES calls.experts (id),
                customer_user_id text,
                customer_email text,
                customer_name text,
                customer_time_zone text,
                topic text NOT NULL DEFAULT '',
                specialty text,
                scheduled_start timestamptz NOT NULL,
                scheduled_end timestamptz NOT NULL,
                buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 1440),
                buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 1440),
                scheduled tstzrange NOT NULL
                    GENERATED ALWAYS AS (tstzrange(least(scheduled_start, scheduled_end), scheduled_end, '[)')) STORED,
                occupied tstzrange NOT NULL GENERATED ALWAYS AS (calls.occupied_range(
                    scheduled_start, scheduled_end, buffer_before_minutes, buffer_after_minutes)) STORED,
                started_at timestamptz,
                ended_at timestamptz,
                customer_context jsonb NOT NULL DEFAULT '{}',
                calendly_event_uri text,
                calendly_invitee_uri text CONSTRAINT calls_calendly_invitee_uri_key UNIQUE,
                rescheduled_from_call_id uuid REFERENCES calls.calls (id),
                rescheduled_to_call_id uuid REFERENCES calls.calls (id),
                cancellation_reason text,
                no_show_party text CHECK (no_show_party IN ('CUSTOMER', 'EXPERT', 'BOTH')),
                request_id text CONSTRAINT calls_request_id_key UNIQUE,
                assignment jsonb,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT calls_start_before_end CHECK (scheduled_start < scheduled_end),
                CONSTRAINT calls_ended_after_started CHECK (
                    ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at),
                CONSTRAINT calls_no_show_party_only_when_no_show CHECK (
                    no_show_party IS NULL OR state = 'NO_SHOW'),
                CONSTRAINT calls_rescheduled_only_when_cancelled CHECK (
                    rescheduled_to_call_id IS NULL OR state = 'CANCELLED'),
                CONSTRAINT calls_expert_no_overlap EXCLUDE USING gist (
                    expert_id WITH =, occupied WITH &&)
                    WHERE (state IN ('SCHEDULED', 'IN_PROGRESS') AND expert_id IS NOT NULL)
            );
            -- ListUpcomingCalls pages by (scheduled_start, id) for one expert, one customer, or all.
            CREATE INDEX calls_by_expert_start ON calls.calls (expert_id, scheduled_start, id)
                WHERE expert_id IS NOT NULL;
            CREATE INDEX calls_by_customer_start ON calls.calls (customer_user_id, scheduled_start, id)
                WHERE customer_user_id IS NOT NULL;
            CREATE INDEX calls_by_start ON calls.calls (scheduled_start, id);
            -- Unclaimed Calendly bookings, claimed by the first caller with the invitee's email.
            CREATE INDEX calls_unclaimed_by_email ON calls.calls (lower(customer_email), scheduled_start)
                WHERE customer_user_id IS NULL;
            CREATE INDEX calls_by_calendly_event ON calls.calls (calendly_event_uri)
                WHERE calendly_event_uri IS NOT NULL;
            CREATE TRIGGER calls_touch_updated_at BEFORE UPDATE ON calls.calls
                FOR EACH ROW EXECUTE FUNCTION calls.touch_updated_at();

            CREATE TABLE calls.call_events (
                id bigserial PRIMARY KEY,
                call_id uuid NOT NULL REFERENCES calls.calls (id),
                from_state text CHECK (
                    from_state IN ('SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW')),
                to_state text NOT NULL CHECK (
                    to_state IN ('SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW')),
                kind text NOT NULL,
                actor text NOT NULL,
                detail jsonb NOT NULL DEFAULT '{}',
                occurred_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX call_events_by_call ON calls.call_events (call_id, id);
            CREATE TRIGGER call_events_append_only BEFORE UPDATE OR DELETE ON calls.call_events
                FOR EACH ROW EXECUTE FUNCTION calls.reject_change();

            CREATE TABLE calls.recordings (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                call_id uuid NOT NULL REFERENCES calls.calls (id),
                url text NOT NULL,
                filename text NOT NULL,
                start_time timestamptz,
                end_time timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                -- A redelivered recording webhook finds its row instead of adding one.
                CONSTRAINT recordings_call_filename_key UNIQUE (call_id, filename)
            );

            CREATE TABLE calls.call_participants (
                call_id uuid NOT NULL REFERENCES calls.calls (id),
                user_id text NOT NULL,
                role text NOT NULL CHECK (role IN ('expert', 'customer', 'other')),
                joined_at timestamptz NOT NULL,
                left_at timestamptz,
                CHECK (left_at IS NULL OR left_at >= joined_at),
                -- One row per session: a participant may leave and join again.
                PRIMARY KEY (call_id, user_id, joined_at)
            );
            """#)
}
