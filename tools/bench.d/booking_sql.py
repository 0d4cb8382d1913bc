"""pgbench scripts for the booking references: the statements one booking's transaction runs
in call-booking (CallTransaction.insert and its effects, CallTransaction+Effects.swift), in the
same order, with the same SQL text, so PostgreSQL does the same work: the calls row (its
exclusion constraint and the day/week counter triggers), the call_events row, the expert's
last_assigned_at, the reminder plan (the expert read, the deliveries read, the four
trigger_deliveries rows in one statement), then the jobs in one statement (room setup, the
four reminders, the no-show check), as JobQueue.enqueue([NewJob]) adds them. The Calendly
variant wraps it like WebhookDeliveryLedger.apply (the delivery key first, its outcome last,
the invitee lookup inside) and adds the delivery log row (WebhookDeliveryLog) after it.

Not in the reference: what the server reads before the transaction (the expert, holds,
occupancy and counters it checks the slot against), and the jobs the worker runs afterwards.

Slots: before its transaction each pgbench transaction takes the next number n of the sequence
public.bench_slots and books expert n % 16 (public.bench_booking_experts) at
:base + (n / 16) × 30 min: the same pattern as the server's requests (scenarios.slot).
"""

from scenarios import BOOKING_EXPERTS, SLOT_SECONDS

CALL_COLUMNS = """c.id, c.state, c.expert_id, c.customer_user_id, c.customer_email, c.customer_name, c.customer_time_zone,
    c.topic, c.scheduled_start, c.scheduled_end, c.started_at, c.ended_at, c.customer_context::text AS customer_context,
    c.calendly_event_uri, c.calendly_invitee_uri, c.rescheduled_from_call_id, c.rescheduled_to_call_id,
    c.cancellation_reason, c.no_show_party, c.assignment::text AS assignment, c.created_at, c.updated_at,
    c.preparation_instructions,
    (SELECT x.time_zone FROM calls.experts x WHERE x.id = c.expert_id) AS expert_time_zone"""

EXPERT_TIME_OFF = """coalesce((SELECT json_agg(json_build_array(extract(epoch FROM lower(t.period)), extract(epoch FROM upper(t.period)))
                          ORDER BY lower(t.period))
          FROM calls.expert_time_off t WHERE t.expert_id = e.id AND t.source = '{source}'), '[]')"""

EXPERT_SELECT = f"""SELECT e.id, e.name, e.email, e.specialties, e.time_zone, e.clerk_user_id, e.calendly_user_uri, e.active,
    e.topics, e.preparation_instructions,
    coalesce((SELECT json_agg(json_build_array(h.weekday, h.start_minute, h.end_minute)
                              ORDER BY h.weekday, h.start_minute)
              FROM calls.expert_weekly_hours h WHERE h.expert_id = e.id), '[]') AS weekly_hours,
    {EXPERT_TIME_OFF.format(source='manual')} AS time_off,
    {EXPERT_TIME_OFF.format(source='calendly')} AS calendar_busy,
    e.buffer_before_minutes, e.buffer_after_minutes, e.minimum_notice_minutes, e.booking_horizon_days,
    e.max_calls_per_day, e.max_calls_per_week, e.weight, e.priority,
    coalesce((SELECT json_agg(json_build_array(o.local_date::text, o.start_minute, o.end_minute)
                              ORDER BY o.local_date, o.start_minute NULLS FIRST)
              FROM calls.expert_date_overrides o WHERE o.expert_id = e.id), '[]') AS date_overrides
FROM calls.experts e WHERE e.id = :expert::uuid"""

JOBS_INSERT = """INSERT INTO calls.jobs (kind, payload, dedupe_key, run_at)
SELECT kind, payload::jsonb, dedupe_key, run_at
FROM unnest(ARRAY[{kinds}]::text[], ARRAY[{payloads}]::text[], ARRAY[{keys}]::text[], ARRAY[{run_ats}]::timestamptz[])
    AS new(kind, payload, dedupe_key, run_at)
ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING;"""

DELIVERIES_INSERT = """INSERT INTO calls.trigger_deliveries (idempotency_key, reminder_key, call_id, kind, recipient,
    minutes_before, send_at)
SELECT idempotency_key, reminder_key, call_id, 'reminder', recipient, minutes_before, send_at
FROM unnest(ARRAY[{keys}]::text[], ARRAY[{keys}]::text[], ARRAY[{ids}]::uuid[], ARRAY[{recipients}]::text[],
        ARRAY[{minutes}]::int[], ARRAY[{send_ats}]::timestamptz[])
    AS new(idempotency_key, reminder_key, call_id, recipient, minutes_before, send_at)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING idempotency_key;"""


def _reminder_keys():
    """(key, recipient, minutes) of the four reminders, as SQL expressions."""
    reminders = []
    for minutes in (1440, 15):
        for recipient in ("'customer'", "'expert-' || :expert::text"):
            # pgbench reads ":name" as a variable even inside quotes: no colon here precedes a letter or digit.
            key = (f"'call-booking' || ':' || 'reminder' || ':' || :id::text || ':' || :start::text || ':' "
                   f"|| '{minutes}m' || ':' || {recipient}")
            reminders.append((key, recipient, minutes))
    return reminders


def _deliveries():
    reminders = _reminder_keys()
    return DELIVERIES_INSERT.format(
        keys=", ".join(key for key, _, _ in reminders), ids=", ".join(":id::text" for _ in reminders),
        recipients=", ".join(recipient for _, recipient, _ in reminders),
        minutes=", ".join(str(minutes) for _, _, minutes in reminders),
        send_ats=", ".join(f"to_timestamp(:start::bigint - {minutes} * 60)::text" for _, _, minutes in reminders))


def _jobs():
    """The room setup, the four reminders and the no-show check, in one statement."""
    jobs = [("'video.room.setup'", "json_build_object('call_id', :id::text)::text", ":id::text", "'now'")]
    for key, _, _ in _reminder_keys():
        jobs.append(("'reminder.trigger'", f"json_build_object('call_id', :id::text, 'idempotency_key', {key})::text",
                     key, "'now'"))
    jobs.append(("'call.no_show_check'", "json_build_object('call_id', :id::text)::text",
                 ":id::text || ':' || (:start::bigint + 600)::text", "to_timestamp(:start::bigint + 600)::text"))
    return JOBS_INSERT.format(kinds=", ".join(j[0] for j in jobs), payloads=", ".join(j[1] for j in jobs),
                              keys=", ".join(j[2] for j in jobs), run_ats=", ".join(j[3] for j in jobs))


def script(calendly):
    """The pgbench script of one booking (calendly: delivered by a Calendly webhook)."""
    actor = "'calendly'" if calendly else "'user_bench_admin'"
    if calendly:
        customer = "'', 'invitee' || :n::text || '@bench.loop', 'Bench Invitee', 'Europe/Berlin'"
        topic, specialty = "'30 Minute Consultation'", "''"
        context = ("'[{\"answer\": \"Sleeping better\", \"question\": \"What would you like to discuss?\"}]'")
        event_uri = "'https://api.calendly.com/scheduled_events/BENCH' || :n::text"
        invitee_uri = "'https://api.calendly.com/scheduled_events/BENCH' || :n::text || '/invitees/BENCH' || :n::text"
        assignment = "'{\"note\": \"the Calendly host\", \"reason\": \"REQUESTED\", \"candidates\": []}'"
    else:
        customer = "'user_bench_customer', 'customer@bench.loop', 'Bench Customer', 'Europe/Berlin'"
        topic, specialty, context = "'Bench booking'", "'benchbook'", "'[]'"
        event_uri = invitee_uri = "NULL"
        assignment = "'{\"note\": \"the caller named the expert\", \"reason\": \"REQUESTED\", \"candidates\": []}'"
    request_id = "NULL" if calendly else "'bench-pgbench-' || :n::text"
    delivery_key = f"{invitee_uri} || ' invitee.created ' || :n::text"
    parts = [
        f"""SELECT s.n, e.id AS expert FROM (SELECT nextval('public.bench_slots') AS n) s
    JOIN public.bench_booking_experts e ON e.k = s.n % {BOOKING_EXPERTS} \\gset""",
        f"\\set start :base + (:n / {BOOKING_EXPERTS}) * {SLOT_SECONDS}",
        "BEGIN;",
    ]
    if calendly:
        parts += [
            f"""INSERT INTO calls.webhook_deliveries (provider, delivery_key, event) VALUES ('calendly', {delivery_key}, 'invitee.created')
ON CONFLICT (provider, delivery_key) DO NOTHING;""",
            f"SELECT {CALL_COLUMNS} FROM calls.calls c WHERE c.calendly_invitee_uri = {invitee_uri};",
        ]
    parts += [
        f"""INSERT INTO calls.calls AS c (id, state, expert_id, customer_user_id, customer_email, customer_name,
    customer_time_zone, topic, specialty, scheduled_start, scheduled_end, customer_context,
    calendly_event_uri, calendly_invitee_uri, rescheduled_from_call_id, request_id, assignment,
    buffer_before_minutes, buffer_after_minutes, preparation_instructions)
VALUES (gen_random_uuid(), 'SCHEDULED', :expert::uuid, nullif({customer.split(', ')[0]}, ''),
    nullif({customer.split(', ')[1]}, ''), nullif({customer.split(', ')[2]}, ''), nullif({customer.split(', ')[3]}, ''),
    {topic}, nullif({specialty}, ''), to_timestamp(:start::bigint), to_timestamp(:start::bigint + {SLOT_SECONDS}), {context}::jsonb,
    {event_uri}, {invitee_uri}, NULL::uuid, {request_id},
    {assignment}::jsonb,
    coalesce(NULL::int, (SELECT e.buffer_before_minutes FROM calls.experts e WHERE e.id = :expert::uuid), 0),
    coalesce(NULL::int, (SELECT e.buffer_after_minutes FROM calls.experts e WHERE e.id = :expert::uuid), 0),
    'Keep a short sleep diary for the nights before the call.')
RETURNING {CALL_COLUMNS} \\gset""",
        f"""INSERT INTO calls.call_events (call_id, from_state, to_state, kind, actor)
VALUES (:id::uuid, NULL, 'SCHEDULED', 'created', {actor});""",
        "UPDATE calls.experts SET last_assigned_at = now() WHERE id = :expert::uuid;",
        EXPERT_SELECT + ";",
        "SELECT idempotency_key, reminder_key, status FROM calls.trigger_deliveries\n"
        "WHERE call_id = :id::uuid AND kind = 'reminder';",
        _deliveries(),
        _jobs(),
    ]
    if calendly:
        parts += [
            f"""UPDATE calls.webhook_deliveries SET outcome = 'booked a call', call_id = :id::uuid
WHERE provider = 'calendly' AND delivery_key = {delivery_key};""",
            "COMMIT;",
            "BEGIN;",
            """INSERT INTO calls.webhook_delivery_log
    (provider, outcome, reason, event, body_sha256, body_size, call_id)
VALUES ('calendly', 'applied', left('booked a call', 500), left('invitee.created', 500), md5(:n::text), 2246, :id::uuid);""",
        ]
    parts.append("COMMIT;")
    return "\n".join(parts) + "\n"
