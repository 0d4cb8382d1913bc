extension Migration {
    /// Scheduling rules, date overrides, slot holds, caps and the load ledger.
    ///
    /// Design notes:
    /// - **One occupancy table.** `expert_occupancy` has a row for every live call (SCHEDULED or
    ///   IN_PROGRESS, with an expert) and every live hold, and one exclusion constraint,
    ///   `expert_occupancy_no_overlap`, over all of them: a hold blocks calls and other holds, a
    ///   call blocks holds, whichever replica writes. Triggers on `calls` and `slot_holds` keep it
    ///   in step in the writer's own transaction, so no code path (booking, cancel, a later
    ///   reassignment, Calendly) can forget it. Rows are deleted when they stop blocking rather
    ///   than flagged, so the constraint needs no WHERE and its index holds live rows only.
    /// - **v1's `calls_expert_no_overlap` stays.** It fires first (index insertion precedes the
    ///   AFTER trigger), so a call refused for another call keeps its name and its meaning
    ///   (ALREADY_EXISTS). An occupancy conflict is then classified by `calls.occupy`: only holds
    ///   in the way is rule `slot_held` (FAILED_PRECONDITION, "held by someone else"); a call in
    ///   the way (a hold hitting a call) keeps the exclusion error.
    /// - **Expiry without a clock in the constraint.** A predicate cannot use now(), so an
    ///   expired hold keeps its occupancy row until someone needs the time: `calls.occupy`
    ///   deletes the expert's expired hold rows overlapping the new range first. Concurrent
    ///   writers serialise on the row lock of that DELETE. `now()` is the database's clock, the
    ///   one clock all replicas share; holds get `expires_at` from it too.
    /// - **Rules raised by the database use SQLSTATE class CB** ("call-booking rule", not used
    ///   by PostgreSQL) with the rule as the constraint name: `expert_day_cap`,
    ///   `expert_week_cap`, `slot_held` (StoreError.ruleViolation).
    /// - **Caps** count calls per expert per local day and per ISO week (Monday) in the
    ///   expert's `time_zone`, in `expert_day_counts` / `expert_week_counts`, by trigger. The
    ///   upsert takes the counter row's lock, so concurrent bookings of one expert-day queue and
    ///   each compares the count including every committed booking: 16 racing bookings at a cap
    ///   of 3 make exactly 3. Counted: every state but CANCELLED. A no-show keeps counting: the
    ///   expert kept that time free, and un-counting it afterwards would let the day exceed its
    ///   cap. Calendly bookings (`calendly_invitee_uri` set) are counted but never refused
    ///   (CONTRACT: Calendly applied its own caps). Only an increase is checked, so lowering a
    ///   cap never blocks a cancel or a no-show.
    /// - **Load ledger** (`expert_load_ledger`): booked minutes and calls per expert per ISO week
    ///   in UTC (one period for every expert, so their loads compare), by the same trigger.
    ///   Cancelled calls and customer no-shows (`no_show_party` CUSTOMER) do not count against
    ///   the expert; an expert's own no-show, or BOTH, does.
    /// - Counters of an expert are rebuilt from `calls` when its time zone changes (local days
    ///   move), and for every expert by this migration (calls booked under v1).
    /// - **Date overrides**: one row per range of a local date; a closed day is one row with NULL
    ///   minutes. The exclusion constraint reads NULL minutes as the whole day, so a date is
    ///   either closed or has non-overlapping ranges, never both.
    static let v2SchedulingRules = Migration(
        version: 2, name: "scheduling rules, holds, caps and load ledger",
        sql: #"""
            ALTER TABLE calls.experts
                ADD COLUMN buffer_before_minutes integer NOT NULL DEFAULT 0
                    CONSTRAINT experts_buffer_before_minutes_range CHECK (buffer_before_minutes BETWEEN 0 AND 1440),
                ADD COLUMN buffer_after_minutes integer NOT NULL DEFAULT 0
                    CONSTRAINT experts_buffer_after_minutes_range CHECK (buffer_after_minutes BETWEEN 0 AND 1440),
                ADD COLUMN minimum_notice_minutes integer NOT NULL DEFAULT 0
                    CONSTRAINT experts_minimum_notice_minutes_range CHECK (minimum_notice_minutes BETWEEN 0 AND 525600),
                ADD COLUMN booking_horizon_days integer NOT NULL DEFAULT 0
                    CONSTRAINT experts_booking_horizon_days_range CHECK (booking_horizon_days BETWEEN 0 AND 3660),
                ADD COLUMN max_calls_per_day integer NOT NULL DEFAULT 0
                    CONSTRAINT experts_max_calls_per_day_range CHECK (max_calls_per_day BETWEEN 0 AND 1440),
                ADD COLUMN max_calls_per_week integer NOT NULL DEFAULT 0
                    CONSTRAINT experts_max_calls_per_week_range CHECK (max_calls_per_week BETWEEN 0 AND 10080),
                ADD COLUMN weight integer NOT NULL DEFAULT 1
                    CONSTRAINT experts_weight_range CHECK (weight BETWEEN 0 AND 1000),
                ADD COLUMN priority integer NOT NULL DEFAULT 0
                    CONSTRAINT experts_priority_range CHECK (priority BETWEEN 0 AND 1000);

            CREATE TABLE calls.expert_date_overrides (
                expert_id uuid NOT NULL REFERENCES calls.experts (id) ON DELETE CASCADE,
                local_date date NOT NULL,
                start_minute integer CHECK (start_minute BETWEEN 0 AND 1439),
                end_minute integer CHECK (end_minute BETWEEN 1 AND 1440),
                CONSTRAINT expert_date_overrides_closed_or_range CHECK ((start_minute IS NULL) = (end_minute IS NULL)),
                CONSTRAINT expert_date_overrides_start_before_end CHECK (start_minute < end_minute),
                CONSTRAINT expert_date_overrides_no_overlap EXCLUDE USING gist (
                    expert_id WITH =, local_date WITH =,
                    int4range(coalesce(start_minute, 0), coalesce(end_minute, 1440)) WITH &&)
            );

            CREATE TABLE calls.slot_holds (
                id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                expert_id uuid NOT NULL REFERENCES calls.experts (id),
                customer_user_id text NOT NULL CHECK (customer_user_id <> ''),
                scheduled_start timestamptz NOT NULL,
                scheduled_end timestamptz NOT NULL,
                buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 1440),
                buffer_after_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 1440),
                occupied tstzrange NOT NULL GENERATED ALWAYS AS (calls.occupied_range(
                    scheduled_start, scheduled_end, buffer_before_minutes, buffer_after_minutes)) STORED,
                expires_at timestamptz NOT NULL,
                released_at timestamptz,
                released_by text,
                -- Deferred: the hold is marked converted (freeing its time) before the call is inserted.
                converted_call_id uuid CONSTRAINT slot_holds_converted_call_id_key UNIQUE
                    REFERENCES calls.calls (id) DEFERRABLE INITIALLY DEFERRED,
                created_at timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT slot_holds_start_before_end CHECK (scheduled_start < scheduled_end),
                CONSTRAINT slot_holds_expire_after_creation CHECK (expires_at > created_at),
                CONSTRAINT slot_holds_released_or_converted CHECK (released_at IS NULL OR converted_call_id IS NULL)
            );
            CREATE INDEX slot_holds_live_by_expert ON calls.slot_holds (expert_id, expires_at)
                WHERE released_at IS NULL AND converted_call_id IS NULL;

            CREATE TABLE calls.expert_occupancy (
                expert_id uuid NOT NULL REFERENCES calls.experts (id),
                occupied tstzrange NOT NULL,
                call_id uuid CONSTRAINT expert_occupancy_call_key UNIQUE REFERENCES calls.calls (id) ON DELETE CASCADE,
                hold_id uuid CONSTRAINT expert_occupancy_hold_key UNIQUE
                    REFERENCES calls.slot_holds (id) ON DELETE CASCADE,
                hold_expires_at timestamptz,
                CONSTRAINT expert_occupancy_one_owner CHECK (num_nonnulls(call_id, hold_id) = 1),
                CONSTRAINT expert_occupancy_expiry_of_holds CHECK ((hold_id IS NULL) = (hold_expires_at IS NULL)),
                CONSTRAINT expert_occupancy_no_overlap EXCLUDE USING gist (expert_id WITH =, occupied WITH &&)
            );

            -- Takes `span` of an expert's time for a call or a hold. Expired holds in the way are
            -- deleted first; a conflict with holds only is rule slot_held, with a call the
            -- exclusion violation itself.
            CREATE FUNCTION calls.occupy(
                expert uuid, span tstzrange, call uuid, hold uuid, hold_expires timestamptz
            ) RETURNS void
            LANGUAGE plpgsql AS $$
            DECLARE
                only_holds boolean;
            BEGIN
                DELETE FROM calls.expert_occupancy o
                WHERE o.expert_id = expert AND o.occupied && span AND o.hold_expires_at <= now();
                BEGIN
                    INSERT INTO calls.expert_occupancy (expert_id, occupied, call_id, hold_id, hold_expires_at)
                    VALUES (expert, span, call, hold, hold_expires);
                EXCEPTION WHEN exclusion_violation THEN
                    SELECT bool_and(o.hold_id IS NOT NULL) INTO only_holds
                    FROM calls.expert_occupancy o WHERE o.expert_id = expert AND o.occupied && span;
                    IF only_holds THEN
                        RAISE EXCEPTION 'the expert''s time % is held for another customer', span
                            USING ERRCODE = 'CB001', CONSTRAINT = 'slot_held';
                    END IF;
                    RAISE;
                END;
            END
            $$;

            CREATE FUNCTION calls.occupy_for_call() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE
                was_live boolean := TG_OP = 'UPDATE' AND OLD.expert_id IS NOT NULL
                    AND OLD.state IN ('SCHEDULED', 'IN_PROGRESS');
                is_live boolean := NEW.expert_id IS NOT NULL AND NEW.state IN ('SCHEDULED', 'IN_PROGRESS');
            BEGIN
                IF was_live AND is_live AND OLD.expert_id = NEW.expert_id AND OLD.occupied = NEW.occupied THEN
                    RETURN NULL;
                END IF;
                IF was_live THEN
                    DELETE FROM calls.expert_occupancy WHERE call_id = OLD.id;
                END IF;
                IF is_live THEN
                    PERFORM calls.occupy(NEW.expert_id, NEW.occupied, NEW.id, NULL, NULL);
                END IF;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER calls_occupy AFTER INSERT OR UPDATE OF
                state, expert_id, scheduled_start, scheduled_end, buffer_before_minutes, buffer_after_minutes
                ON calls.calls FOR EACH ROW EXECUTE FUNCTION calls.occupy_for_call();

            -- A hold stops occupying when released or converted; expiry is handled by occupy().
            CREATE FUNCTION calls.occupy_for_hold() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    DELETE FROM calls.expert_occupancy WHERE hold_id = OLD.id;
                END IF;
                IF NEW.released_at IS NULL AND NEW.converted_call_id IS NULL AND NEW.expires_at > now() THEN
                    PERFORM calls.occupy(NEW.expert_id, NEW.occupied, NULL, NEW.id, NEW.expires_at);
                END IF;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER slot_holds_occupy AFTER INSERT OR UPDATE OF
                released_at, converted_call_id, expires_at, scheduled_start, scheduled_end,
                buffer_before_minutes, buffer_after_minutes, expert_id
                ON calls.slot_holds FOR EACH ROW EXECUTE FUNCTION calls.occupy_for_hold();

            CREATE TABLE calls.expert_day_counts (
                expert_id uuid NOT NULL REFERENCES calls.experts (id) ON DELETE CASCADE,
                local_date date NOT NULL,
                call_count integer NOT NULL CONSTRAINT expert_day_counts_not_negative CHECK (call_count >= 0),
                PRIMARY KEY (expert_id, local_date)
            );
            CREATE TABLE calls.expert_week_counts (
                expert_id uuid NOT NULL REFERENCES calls.experts (id) ON DELETE CASCADE,
                week_start date NOT NULL CONSTRAINT expert_week_counts_monday CHECK (extract(isodow FROM week_start) = 1),
                call_count integer NOT NULL CONSTRAINT expert_week_counts_not_negative CHECK (call_count >= 0),
                PRIMARY KEY (expert_id, week_start)
            );
            CREATE TABLE calls.expert_load_ledger (
                expert_id uuid NOT NULL REFERENCES calls.experts (id) ON DELETE CASCADE,
                period_start date NOT NULL CONSTRAINT expert_load_ledger_monday CHECK (extract(isodow FROM period_start) = 1),
                call_count integer NOT NULL CONSTRAINT expert_load_ledger_calls_not_negative CHECK (call_count >= 0),
                booked_minutes integer NOT NULL
                    CONSTRAINT expert_load_ledger_minutes_not_negative CHECK (booked_minutes >= 0),
                PRIMARY KEY (expert_id, period_start)
            );

            CREATE FUNCTION calls.counts_toward_caps(state text) RETURNS integer
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN CASE WHEN state = 'CANCELLED' THEN 0 ELSE 1 END;

            CREATE FUNCTION calls.counts_toward_load(state text, no_show_party text) RETURNS integer
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN CASE WHEN state = 'CANCELLED' OR (state = 'NO_SHOW' AND no_show_party = 'CUSTOMER') THEN 0 ELSE 1 END;

            CREATE FUNCTION calls.call_minutes(scheduled_start timestamptz, scheduled_end timestamptz) RETURNS integer
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN round(extract(epoch FROM scheduled_end - scheduled_start) / 60)::integer;

            CREATE FUNCTION calls.ledger_period(at timestamptz) RETURNS date
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN date_trunc('week', at AT TIME ZONE 'UTC')::date;

            -- Adds to an expert's counters for a call starting at `start_at`; with `enforce_caps`, an
            -- increase past a cap raises rule expert_day_cap / expert_week_cap. The counter row's
            -- lock is held to the end of the transaction: bookings of one expert-day queue here.
            -- Increases upsert; decreases UPDATE, because INSERT … ON CONFLICT checks the proposed
            -- row (a negative count) against the CHECK before it finds the conflict. A decrease with
            -- no row to decrease is a bookkeeping bug and raises instead of drifting silently.
            CREATE FUNCTION calls.count_call_for(
                expert uuid, start_at timestamptz, end_at timestamptz, cap_delta integer, load_delta integer,
                enforce_caps boolean
            ) RETURNS void
            LANGUAGE plpgsql AS $$
            DECLARE
                e calls.experts%ROWTYPE;
                local_day date;
                local_week date;
                period date := calls.ledger_period(start_at);
                minutes integer := load_delta * calls.call_minutes(start_at, end_at);
                counted integer;
            BEGIN
                IF cap_delta > 0 THEN
                    SELECT * INTO STRICT e FROM calls.experts WHERE id = expert;
                    local_day := (start_at AT TIME ZONE e.time_zone)::date;
                    local_week := date_trunc('week', start_at AT TIME ZONE e.time_zone)::date;
                    INSERT INTO calls.expert_day_counts AS d (expert_id, local_date, call_count)
                    VALUES (expert, local_day, cap_delta)
                    ON CONFLICT (expert_id, local_date) DO UPDATE SET call_count = d.call_count + excluded.call_count
                    RETURNING d.call_count INTO counted;
                    IF enforce_caps AND e.max_calls_per_day > 0 AND counted > e.max_calls_per_day THEN
                        RAISE EXCEPTION 'expert % has reached max_calls_per_day (%) on %',
                            expert, e.max_calls_per_day, local_day
                            USING ERRCODE = 'CB001', CONSTRAINT = 'expert_day_cap';
                    END IF;
                    INSERT INTO calls.expert_week_counts AS w (expert_id, week_start, call_count)
                    VALUES (expert, local_week, cap_delta)
                    ON CONFLICT (expert_id, week_start) DO UPDATE SET call_count = w.call_count + excluded.call_count
                    RETURNING w.call_count INTO counted;
                    IF enforce_caps AND e.max_calls_per_week > 0 AND counted > e.max_calls_per_week THEN
                        RAISE EXCEPTION 'expert % has reached max_calls_per_week (%) in the week of %',
                            expert, e.max_calls_per_week, local_week
                            USING ERRCODE = 'CB001', CONSTRAINT = 'expert_week_cap';
                    END IF;
                ELSIF cap_delta < 0 THEN
                    SELECT * INTO STRICT e FROM calls.experts WHERE id = expert;
                    local_day := (start_at AT TIME ZONE e.time_zone)::date;
                    local_week := date_trunc('week', start_at AT TIME ZONE e.time_zone)::date;
                    UPDATE calls.expert_day_counts SET call_count = call_count + cap_delta
                    WHERE expert_id = expert AND local_date = local_day;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'no day count of expert % on % to decrease', expert, local_day
                            USING ERRCODE = 'check_violation', CONSTRAINT = 'expert_day_counts_not_negative';
                    END IF;
                    UPDATE calls.expert_week_counts SET call_count = call_count + cap_delta
                    WHERE expert_id = expert AND week_start = local_week;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'no week count of expert % for % to decrease', expert, local_week
                            USING ERRCODE = 'check_violation', CONSTRAINT = 'expert_week_counts_not_negative';
                    END IF;
                END IF;
                IF load_delta > 0 THEN
                    INSERT INTO calls.expert_load_ledger AS l (expert_id, period_start, call_count, booked_minutes)
                    VALUES (expert, period, load_delta, minutes)
                    ON CONFLICT (expert_id, period_start) DO UPDATE SET
                        call_count = l.call_count + excluded.call_count,
                        booked_minutes = l.booked_minutes + excluded.booked_minutes;
                ELSIF load_delta < 0 THEN
                    UPDATE calls.expert_load_ledger
                    SET call_count = call_count + load_delta, booked_minutes = booked_minutes + minutes
                    WHERE expert_id = expert AND period_start = period;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'no load of expert % in the week of % to decrease', expert, period
                            USING ERRCODE = 'check_violation', CONSTRAINT = 'expert_load_ledger_calls_not_negative';
                    END IF;
                END IF;
            END
            $$;

            CREATE FUNCTION calls.count_call() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE
                old_cap integer := 0;
                old_load integer := 0;
                new_cap integer := 0;
                new_load integer := 0;
            BEGIN
                IF TG_OP <> 'INSERT' AND OLD.expert_id IS NOT NULL THEN
                    old_cap := calls.counts_toward_caps(OLD.state);
                    old_load := calls.counts_toward_load(OLD.state, OLD.no_show_party);
                END IF;
                IF TG_OP <> 'DELETE' AND NEW.expert_id IS NOT NULL THEN
                    new_cap := calls.counts_toward_caps(NEW.state);
                    new_load := calls.counts_toward_load(NEW.state, NEW.no_show_party);
                END IF;
                IF TG_OP = 'UPDATE' AND OLD.expert_id IS NOT DISTINCT FROM NEW.expert_id
                    AND OLD.scheduled_start = NEW.scheduled_start AND OLD.scheduled_end = NEW.scheduled_end THEN
                    -- Same expert and time: only the deltas (none for most lifecycle changes, so
                    -- completing a call takes no counter lock).
                    IF new_cap <> old_cap OR new_load <> old_load THEN
                        PERFORM calls.count_call_for(NEW.expert_id, NEW.scheduled_start, NEW.scheduled_end,
                            new_cap - old_cap, new_load - old_load, NEW.calendly_invitee_uri IS NULL);
                    END IF;
                    RETURN NULL;
                END IF;
                IF old_cap <> 0 OR old_load <> 0 THEN
                    PERFORM calls.count_call_for(OLD.expert_id, OLD.scheduled_start, OLD.scheduled_end,
                        -old_cap, -old_load, false);
                END IF;
                IF new_cap <> 0 OR new_load <> 0 THEN
                    PERFORM calls.count_call_for(NEW.expert_id, NEW.scheduled_start, NEW.scheduled_end,
                        new_cap, new_load, NEW.calendly_invitee_uri IS NULL);
                END IF;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER calls_count AFTER INSERT OR DELETE OR UPDATE OF
                state, no_show_party, expert_id, scheduled_start, scheduled_end
                ON calls.calls FOR EACH ROW EXECUTE FUNCTION calls.count_call();

            -- Rebuilds one expert's counters from its calls (same rules as count_call).
            CREATE FUNCTION calls.recount_expert(expert uuid) RETURNS void
            LANGUAGE sql AS $$
                DELETE FROM calls.expert_day_counts WHERE expert_id = expert;
                DELETE FROM calls.expert_week_counts WHERE expert_id = expert;
                DELETE FROM calls.expert_load_ledger WHERE expert_id = expert;
                INSERT INTO calls.expert_day_counts (expert_id, local_date, call_count)
                SELECT expert, (c.scheduled_start AT TIME ZONE e.time_zone)::date, sum(calls.counts_toward_caps(c.state))
                FROM calls.calls c JOIN calls.experts e ON e.id = c.expert_id
                WHERE c.expert_id = expert GROUP BY 2;
                INSERT INTO calls.expert_week_counts (expert_id, week_start, call_count)
                SELECT expert, date_trunc('week', c.scheduled_start AT TIME ZONE e.time_zone)::date,
                    sum(calls.counts_toward_caps(c.state))
                FROM calls.calls c JOIN calls.experts e ON e.id = c.expert_id
                WHERE c.expert_id = expert GROUP BY 2;
                INSERT INTO calls.expert_load_ledger (expert_id, period_start, call_count, booked_minutes)
                SELECT expert, calls.ledger_period(c.scheduled_start),
                    sum(calls.counts_toward_load(c.state, c.no_show_party)),
                    sum(calls.counts_toward_load(c.state, c.no_show_party)
                        * calls.call_minutes(c.scheduled_start, c.scheduled_end))
                FROM calls.calls c
                WHERE c.expert_id = expert GROUP BY 2;
            $$;

            CREATE FUNCTION calls.recount_expert_on_zone_change() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM calls.recount_expert(NEW.id);
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER experts_recount_on_zone_change AFTER UPDATE OF time_zone ON calls.experts
                FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone)
                EXECUTE FUNCTION calls.recount_expert_on_zone_change();

            -- Calls booked under version 1: occupancy and counters.
            INSERT INTO calls.expert_occupancy (expert_id, occupied, call_id)
            SELECT expert_id, occupied, id FROM calls.calls
            WHERE expert_id IS NOT NULL AND state IN ('SCHEDULED', 'IN_PROGRESS');
            SELECT calls.recount_expert(id) FROM calls.experts;
            """#)
}
