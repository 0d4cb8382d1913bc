extension Migration {
    /// Live holds count toward the day and week caps in the database, as they already did in
    /// the domain's check, so that a hold always converts:
    ///
    /// - a booking checked against a cap counts, besides the calls, the unexpired holds of other
    ///   customers on that local day or week (the booking customer's own holds never stand in
    ///   their way; a booking without a customer is blocked by every hold);
    /// - converting a live hold is not checked against the caps: its place was counted when it
    ///   was taken. An expired hold's conversion competes like any booking;
    /// - a new hold is refused (`expert_day_cap` / `expert_week_cap`) when calls and live holds
    ///   already fill the cap.
    ///
    /// Bookings and holds of one expert-day serialize on the same counter rows, locked in the
    /// same order (day, then week, then the occupancy constraint: `slot_holds_cap` sorts before
    /// `slot_holds_occupy` as `calls_count` before `calls_occupy`), so they see each other.
    static let v15HoldsCountTowardCaps = Migration(
        version: 15, name: "holds count toward caps",
        sql: #"""
            -- Unexpired, unreleased, unconverted holds of `expert` starting on the local date (or, with
            -- `week`, in the local week) of `start_at`, other than those of `excluded_customer`.
            CREATE FUNCTION calls.live_holds_in(
                expert uuid, zone text, start_at timestamptz, week boolean, excluded_customer text
            ) RETURNS integer
            LANGUAGE sql STABLE AS $$
                SELECT count(*)::integer FROM calls.slot_holds h
                WHERE h.expert_id = expert AND h.released_at IS NULL AND h.converted_call_id IS NULL
                  AND h.expires_at > now() AND h.customer_user_id IS DISTINCT FROM excluded_customer
                  AND CASE WHEN week
                      THEN date_trunc('week', h.scheduled_start AT TIME ZONE zone) = date_trunc('week', start_at AT TIME ZONE zone)
                      ELSE (h.scheduled_start AT TIME ZONE zone)::date = (start_at AT TIME ZONE zone)::date
                  END
            $$;

            -- Adds `added` to the expert's day and week counters of `start_at` (creating the rows; their
            -- locks are held to the end of the transaction, so bookings and holds of one expert-day
            -- queue here). With `checked`, raises expert_day_cap / expert_week_cap when the calls
            -- plus the live holds of everyone but `booking_customer` pass a cap.
            CREATE FUNCTION calls.add_to_caps(
                expert uuid, start_at timestamptz, added integer, checked boolean, booking_customer text
            ) RETURNS void
            LANGUAGE plpgsql AS $$
            DECLARE
                e calls.experts%ROWTYPE;
                local_day date;
                local_week date;
                counted integer;
            BEGIN
                SELECT * INTO STRICT e FROM calls.experts WHERE id = expert;
                local_day := (start_at AT TIME ZONE e.time_zone)::date;
                local_week := date_trunc('week', start_at AT TIME ZONE e.time_zone)::date;
                INSERT INTO calls.expert_day_counts AS d (expert_id, local_date, call_count)
                VALUES (expert, local_day, added)
                ON CONFLICT (expert_id, local_date) DO UPDATE SET call_count = d.call_count + excluded.call_count
                RETURNING d.call_count INTO counted;
                IF checked AND e.max_calls_per_day > 0
                    AND counted + calls.live_holds_in(expert, e.time_zone, start_at, false, booking_customer)
                        > e.max_calls_per_day THEN
                    RAISE EXCEPTION 'expert % has reached max_calls_per_day (%) on %',
                        expert, e.max_calls_per_day, local_day
                        USING ERRCODE = 'CB001', CONSTRAINT = 'expert_day_cap';
                END IF;
                INSERT INTO calls.expert_week_counts AS w (expert_id, week_start, call_count)
                VALUES (expert, local_week, added)
                ON CONFLICT (expert_id, week_start) DO UPDATE SET call_count = w.call_count + excluded.call_count
                RETURNING w.call_count INTO counted;
                IF checked AND e.max_calls_per_week > 0
                    AND counted + calls.live_holds_in(expert, e.time_zone, start_at, true, booking_customer)
                        > e.max_calls_per_week THEN
                    RAISE EXCEPTION 'expert % has reached max_calls_per_week (%) in the week of %',
                        expert, e.max_calls_per_week, local_week
                        USING ERRCODE = 'CB001', CONSTRAINT = 'expert_week_cap';
                END IF;
            END
            $$;

            -- Whether a new or moved call is checked against the caps: not a Calendly booking
            -- (counted, never refused), and not the conversion of a live hold (already counted).
            CREATE FUNCTION calls.call_checks_caps(call calls.calls) RETURNS boolean
            LANGUAGE sql STABLE AS $$
                SELECT call.calendly_invitee_uri IS NULL AND NOT EXISTS (
                    SELECT 1 FROM calls.slot_holds h WHERE h.converted_call_id = call.id AND h.expires_at > now()
                )
            $$;

            -- Counts a call in or out as version 2's calls.count_call_for did, except that a checked
            -- increase goes through calls.add_to_caps, which counts holds. (count_call_for keeps
            -- its own cap check, now only ever called unchecked.)
            CREATE FUNCTION calls.count_new_call(call calls.calls, cap_delta integer, load_delta integer) RETURNS void
            LANGUAGE plpgsql AS $$
            BEGIN
                IF cap_delta > 0 AND calls.call_checks_caps(call) THEN
                    PERFORM calls.add_to_caps(call.expert_id, call.scheduled_start, cap_delta, true, call.customer_user_id);
                    cap_delta := 0;
                END IF;
                PERFORM calls.count_call_for(call.expert_id, call.scheduled_start, call.scheduled_end,
                    cap_delta, load_delta, false);
            END
            $$;

            CREATE OR REPLACE FUNCTION calls.count_call() RETURNS trigger
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
                    IF new_cap <> old_cap OR new_load <> old_load THEN
                        PERFORM calls.count_new_call(NEW, new_cap - old_cap, new_load - old_load);
                    END IF;
                    RETURN NULL;
                END IF;
                IF old_cap <> 0 OR old_load <> 0 THEN
                    PERFORM calls.count_call_for(OLD.expert_id, OLD.scheduled_start, OLD.scheduled_end,
                        -old_cap, -old_load, false);
                END IF;
                IF new_cap <> 0 OR new_load <> 0 THEN
                    PERFORM calls.count_new_call(NEW, new_cap, new_load);
                END IF;
                RETURN NULL;
            END
            $$;

            CREATE FUNCTION calls.check_hold_caps() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM calls.add_to_caps(NEW.expert_id, NEW.scheduled_start, 0, true, NULL);
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER slot_holds_cap AFTER INSERT ON calls.slot_holds
                FOR EACH ROW EXECUTE FUNCTION calls.check_hold_caps();
            """#)
}
