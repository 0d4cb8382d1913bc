"""The call lifecycle against the real binary: reminders and follow-ups delivered to a
loopback Trigger.dev (trigger_api_fake.py), cancelled and re-planned when a call is cancelled
or rescheduled, no-shows decided from Stream's attendance (webhooks signed as Stream signs
them, rooms set up at stream_api_fake.py).

The module's server has a database of its own, a 2 s no-show grace and a 1 s retry base, so
that every job it runs is visible at once; a second server without TRIGGER_DEV_API_KEY shows
that reminders are then recorded as skipped and nothing is sent.
"""

import datetime
import urllib.request
import uuid
import zoneinfo

import pytest

from auth import ADMIN_TOKEN
from databases import fresh_database, psql, wait_for
from server import Server
from stream_api_fake import StreamAPIFake
from test_calendly_webhooks import deliver, invitee, make_expert, new_invitee_uri, next_week, reschedule_pair
from test_analytics_and_operations import sample
from test_stream_video import iso, rest, send_webhook
from trigger_api_fake import TriggerAPIFake

TRIGGER_KEY = "tr_dev_interop_lifecycle"
REMINDER_TASK = "call-booking.reminder"
FOLLOW_UP_TASK = "call-booking.follow-up"
GRACE_SECONDS = 2
# Jobs are polled every second; a delivery shows up at the fake within this long.
WITHIN = 15


@pytest.fixture(scope="module")
def trigger():
    with TriggerAPIFake(api_key=TRIGGER_KEY) as fake:
        yield fake


@pytest.fixture(scope="module")
def stream():
    api = StreamAPIFake()
    yield api
    api.close()


def start_server(database, trigger, stream, **settings):
    environment = {"TRIGGER_DEV_BASE_URL": trigger.url, "STREAM_BASE_URL": stream.base_url,
                   "NO_SHOW_GRACE_SECONDS": str(GRACE_SECONDS), "JOB_RETRY_BASE_SECONDS": "1", **settings}
    return Server(database_url=database, extra_environment=environment)


@pytest.fixture(scope="module")
def database():
    with fresh_database("cb_lifecycle") as url:
        yield url


@pytest.fixture(scope="module")
def server(database, trigger, stream):
    process = start_server(database, trigger, stream, TRIGGER_DEV_API_KEY=TRIGGER_KEY)
    try:
        yield process
        process.stop()
    finally:
        process.close()


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def z(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def midday_zone():
    """A zone where it is about noon now, so that a call starting soon is not cut by the
    expert's local midnight (weekly hours end there)."""
    offset = max(-12, min(14, 12 - utc_now().hour))
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"   # POSIX signs: Etc/GMT-3 is UTC+3


def new_expert(server, zone="Europe/Berlin"):
    """An expert (in Berlin unless told), open around the clock, with a Clerk user (their video
    identity). Bookings days ahead start on the hour, so no call crosses local midnight."""
    tag = uuid.uuid4().hex[:10]
    expert = {"name": f"Dr. Lifecycle {tag}", "email": f"{tag}@experts.example", "timezone": zone,
              "clerkUserId": f"user_e_{tag}", "specialties": [f"s{tag}"],
              "weeklyHours": [{"day": day, "startTime": "00:00", "endTime": "24:00"} for day in (
                  "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")]}
    status, created = rest(server, "POST", "/api/v1/experts", ADMIN_TOKEN, {"expert": expert})
    assert status == 200, created
    return created


def book(server, expert, start, minutes=30):
    """An admin's booking for a customer in New York; the call as REST answers it."""
    tag = uuid.uuid4().hex[:10]
    status, call = rest(server, "POST", "/api/v1/calls", ADMIN_TOKEN, {
        "expertId": expert["id"], "topic": "Sleep routine",
        "customer": {"userId": f"user_c_{tag}", "email": f"{tag}@customers.example", "name": "Bo Customer",
                     "timezone": "America/New_York"},
        "scheduledStart": z(start), "scheduledEnd": z(start + datetime.timedelta(minutes=minutes))})
    assert status == 200, call
    return call


def get_call(server, call_id):
    status, call = rest(server, "GET", f"/api/v1/calls/{call_id}", ADMIN_TOKEN)
    assert status == 200, call
    return call


def triggers_of(trigger, call_id, task=REMINDER_TASK):
    return [r for r in trigger.triggers(task) if r.body["payload"]["callId"] == call_id]


def runs_of(trigger, call_id):
    return {run_id: run for run_id, run in trigger.runs.items() if run.payload["callId"] == call_id}


def deliveries(database, call_id):
    return psql(database, "SELECT kind || ' ' || status || ' ' || coalesce(detail, '-') FROM calls.trigger_deliveries "
                          f"WHERE call_id = '{call_id}' ORDER BY send_at, idempotency_key").splitlines()


def local_text(moment, zone):
    """ISO 8601 with the zone's offset, as ZonedTime.local renders it."""
    text = moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M:%S%z")
    return text[:-2] + ":" + text[-2:]


# --- Reminders ---------------------------------------------------------------------------------

def test_a_booking_two_days_ahead_triggers_two_reminders_per_participant(server, trigger, database):
    expert = new_expert(server)
    start = (utc_now() + datetime.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    call = book(server, expert, start)
    sent = wait_for(lambda: len(triggers_of(trigger, call["id"])) == 4 and triggers_of(trigger, call["id"]),
                    WITHIN, "four reminders at Trigger.dev")
    seen = set()
    for request in sent:
        assert request.headers["authorization"] == f"Bearer {TRIGGER_KEY}"
        options, payload = request.body["options"], request.body["payload"]
        minutes, role = payload["minutesBefore"], payload["recipient"]["role"]
        seen.add((minutes, role))
        assert options["delay"] == z(start - datetime.timedelta(minutes=minutes))
        assert options["ttl"] == minutes * 60   # expires rather than run after the start
        assert options["idempotencyKey"] == request.headers["idempotency-key"]
        assert options["tags"] == [f"call_{call['id']}"]
        assert payload["kind"] == "call.reminder" and payload["callId"] == call["id"]
        assert payload["topic"] == "Sleep routine"
        zone = "America/New_York" if role == "customer" else "Europe/Berlin"
        assert payload["start"]["timeZone"] == zone
        assert payload["start"]["local"] == local_text(start, zone)
        assert payload["start"]["utc"] == z(start)
        assert payload["join"]["tokenRoute"] == f"POST /api/v1/calls/{call['id']}/token"
        assert payload["preparation"]
        other = payload["otherParty"]
        assert other["name"] == (expert["name"] if role == "customer" else "Bo Customer")
    assert seen == {(1440, "customer"), (1440, "expert"), (15, "customer"), (15, "expert")}
    wait_for(lambda: deliveries(database, call["id"]) == ["reminder triggered -"] * 4, WITHIN, "four triggered rows")


def test_a_booking_ten_minutes_ahead_plans_no_reminder(server, trigger, database):
    expert = new_expert(server, midday_zone())
    call = book(server, expert, utc_now().replace(microsecond=0) + datetime.timedelta(minutes=10))
    # Planned in the booking's transaction: nothing was, so nothing can be sent.
    assert deliveries(database, call["id"]) == []
    assert psql(database, "SELECT count(*) FROM calls.jobs WHERE kind = 'reminder.trigger' "
                          f"AND payload->>'call_id' = '{call['id']}'") == "0"
    assert psql(database, "SELECT count(*) FROM calls.jobs WHERE kind = 'call.no_show_check' "
                          f"AND payload->>'call_id' = '{call['id']}'") == "1"
    status, _ = rest(server, "POST", f"/api/v1/calls/{call['id']}/cancel", ADMIN_TOKEN, {"reason": "tidy up"})
    assert status == 200
    assert triggers_of(trigger, call["id"]) == []


def test_cancelling_a_call_cancels_its_runs(server, trigger, database):
    expert = new_expert(server)
    call = book(server, expert, utc_now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=3))
    wait_for(lambda: deliveries(database, call["id"]) == ["reminder triggered -"] * 4, WITHIN, "four triggered rows")
    status, answer = rest(server, "POST", f"/api/v1/calls/{call['id']}/cancel", ADMIN_TOKEN, {"reason": "Flu"})
    assert status == 200, answer
    assert deliveries(database, call["id"]) == ["reminder cancelled -"] * 4
    runs = wait_for(lambda: (lambda runs: len(runs) == 4 and all(r.status == "CANCELED" for r in runs.values()) and runs)(
        runs_of(trigger, call["id"])), WITHIN, "every run cancelled")
    cancels = [r.path for r in trigger.requests if r.path.startswith("/api/v2/runs/")]
    assert sorted(f"/api/v2/runs/{run_id}/cancel" for run_id in runs) == sorted(
        p for p in cancels if p.split("/")[4] in runs)


def test_a_calendly_reschedule_cancels_the_old_runs_and_triggers_new_ones(server, trigger, database):
    expert, host = make_expert(server)
    old_uri, new_uri = new_invitee_uri(), new_invitee_uri()
    old_start = next_week(11)
    new_start = old_start + datetime.timedelta(days=1)
    old_id = deliver(server, "invitee.created", invitee(old_uri, old_start, hosts=[host]))["callId"]
    wait_for(lambda: len(runs_of(trigger, old_id)) == 4, WITHIN, "the old call's four reminders")

    canceled, created = reschedule_pair(old_uri, new_uri, old_start, new_start, [host])
    deliver(server, "invitee.canceled", canceled)
    new_id = deliver(server, "invitee.created", created)["callId"]

    wait_for(lambda: all(r.status == "CANCELED" for r in runs_of(trigger, old_id).values()), WITHIN,
             "the old call's runs cancelled")
    fresh = wait_for(lambda: len(triggers_of(trigger, new_id)) == 4 and triggers_of(trigger, new_id), WITHIN,
                     "the new call's four reminders")
    assert {r.body["options"]["delay"] for r in fresh} == {
        z(new_start - datetime.timedelta(minutes=1440)), z(new_start - datetime.timedelta(minutes=15))}
    # The Calendly invitee's zone is theirs.
    customer = next(r for r in fresh if r.body["payload"]["recipient"]["role"] == "customer")
    assert customer.body["payload"]["start"]["local"] == local_text(new_start, "Europe/Berlin")
    assert all(r.status != "CANCELED" for r in runs_of(trigger, new_id).values())


def test_reassigning_moves_only_the_experts_reminders_also_back_again(server, trigger, database):
    first, second = new_expert(server), new_expert(server)
    call = book(server, first, utc_now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2, hours=5))
    wait_for(lambda: deliveries(database, call["id"]) == ["reminder triggered -"] * 4, WITHIN, "four triggered rows")
    original = {r.body["options"]["idempotencyKey"]: r for r in triggers_of(trigger, call["id"])}
    def seconds():
        return [r for r in runs_of(trigger, call["id"]).values() if r.payload["recipient"].get("expertId") == second["id"]]
    for expert in (second, first):
        status, answer = rest(server, "POST", f"/api/v1/calls/{call['id']}/reassign", ADMIN_TOKEN,
                              {"expertId": expert["id"], "reason": "interop"})
        assert status == 200, answer
        if expert is second:
            wait_for(lambda: len(seconds()) == 2, WITHIN, "the second expert's reminders")
    # Each expert's reminder names them; the first expert's come back under new keys, since
    # Trigger.dev answers a cancelled run's key with that cancelled run.
    def live_runs():
        runs = [r for r in runs_of(trigger, call["id"]).values() if r.status != "CANCELED"]
        return len(runs) == 4 and len(runs_of(trigger, call["id"])) == 8 and runs
    runs = wait_for(live_runs, WITHIN, "four live runs after two reassignments")
    keys = {r.options["idempotencyKey"]: r for r in runs}
    customer_keys = {k for k, r in original.items() if r.body["payload"]["recipient"]["role"] == "customer"}
    assert customer_keys <= set(keys)
    expert_runs = [r for r in runs if r.payload["recipient"]["role"] == "expert"]
    assert {r.payload["recipient"]["expertId"] for r in expert_runs} == {first["id"]}
    assert all(r.options["idempotencyKey"].endswith(":2") for r in expert_runs)
    assert {r.options["idempotencyKey"][:-2] for r in expert_runs} == set(original) - customer_keys
    assert all(r.status == "CANCELED" for r in seconds())


def test_without_an_api_key_reminders_are_recorded_skipped_and_nothing_is_sent(trigger, stream):
    with fresh_database("cb_lifecycle_nokey") as database:
        process = start_server(database, trigger, stream)
        try:
            expert = new_expert(process)
            call = book(process, expert, utc_now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2))
            wait_for(lambda: deliveries(database, call["id"]) == ["reminder skipped TRIGGER_DEV_API_KEY is not set"] * 4,
                     WITHIN, "four skipped reminders")
            assert psql(database, "SELECT count(*) FROM calls.jobs WHERE kind = 'reminder.trigger' AND state = 'done'") == "4"
            assert triggers_of(trigger, call["id"]) == []
            process.stop()
        finally:
            process.close()


# --- No-shows and follow-ups -------------------------------------------------------------------

def test_a_call_nobody_joins_becomes_a_no_show_of_both(server, database):
    expert = new_expert(server, midday_zone())
    start = utc_now().replace(microsecond=0) + datetime.timedelta(seconds=2)
    call = book(server, expert, start)
    done = wait_for(lambda: (lambda c: c["state"] == "CALL_STATE_NO_SHOW" and c)(get_call(server, call["id"])),
                    GRACE_SECONDS + WITHIN, "the no-show")
    assert done["noShowParty"] == "NO_SHOW_PARTY_BOTH"
    assert psql(database, f"SELECT kind || ' ' || actor FROM calls.call_events WHERE call_id = '{call['id']}' "
                          "AND to_state = 'NO_SHOW'") == "no_show no-show-check"


def session_events(server, call, who, started, ended):
    """Stream's webhooks of a session in which `who` (user ids) joined, then its end."""
    cid = f"default:{call['id']}"
    assert send_webhook(server, {
        "type": "call.session_started", "created_at": iso(started), "call_cid": cid, "session_id": "s1",
        "call": {"cid": cid, "session": {"id": "s1", "started_at": iso(started)}}})[0] == 200
    for number, user in enumerate(who):
        assert send_webhook(server, {
            "type": "call.session_participant_joined", "created_at": iso(started), "call_cid": cid,
            "session_id": "s1", "participant": {"user_session_id": f"us-{number}", "role": "user",
                                                "joined_at": iso(started), "user": {"id": user}}})[0] == 200
    status, answer = send_webhook(server, {
        "type": "call.session_ended", "created_at": iso(ended), "call_cid": cid, "session_id": "s1",
        "call": {"cid": cid, "session": {"started_at": iso(started), "ended_at": iso(ended)}}})
    assert (status, answer) == (200, {"result": "applied"})


def test_a_session_one_side_never_joined_is_a_no_show_of_that_side(server, trigger):
    expert = new_expert(server)
    start = utc_now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=4)
    call = book(server, expert, start)
    session_events(server, call, [call["customer"]["userId"]], start, start + datetime.timedelta(minutes=20))
    done = get_call(server, call["id"])
    assert done["state"] == "CALL_STATE_NO_SHOW"
    assert done["noShowParty"] == "NO_SHOW_PARTY_EXPERT"

    other = book(server, expert, start + datetime.timedelta(hours=2))
    session_events(server, other, [expert["clerkUserId"]], start + datetime.timedelta(hours=2),
                   start + datetime.timedelta(hours=2, minutes=5))
    assert get_call(server, other["id"])["noShowParty"] == "NO_SHOW_PARTY_CUSTOMER"
    assert triggers_of(trigger, call["id"], FOLLOW_UP_TASK) == []


def test_a_session_both_joined_completes_and_follows_up_then_sends_the_recording(server, trigger, database):
    expert = new_expert(server)
    start = utc_now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=5)
    ended = start + datetime.timedelta(minutes=25)
    call = book(server, expert, start)
    session_events(server, call, [call["customer"]["userId"], expert["clerkUserId"]], start, ended)
    assert get_call(server, call["id"])["state"] == "CALL_STATE_COMPLETED"

    follow_up = wait_for(lambda: triggers_of(trigger, call["id"], FOLLOW_UP_TASK), WITHIN, "the follow-up")
    assert len(follow_up) == 1
    body = follow_up[0].body
    assert body["options"]["idempotencyKey"] == f"call-booking:follow-up:{call['id']}"
    assert "delay" not in body["options"]
    assert body["payload"]["kind"] == "call.completed"
    assert body["payload"]["durationSeconds"] == 25 * 60
    assert [p["role"] for p in body["payload"]["participants"]] == ["customer", "expert"]
    assert body["payload"]["participants"][0]["end"]["local"] == local_text(ended, "America/New_York")
    # The completed call's reminders were cancelled with it.
    wait_for(lambda: all(r.status == "CANCELED" for r in runs_of(trigger, call["id"]).values()
                         if r.task == REMINDER_TASK), WITHIN, "the reminders cancelled")

    url = "https://cdn.example/rec-1.mp4?Expires=9999999999&Signature=x"
    assert send_webhook(server, {
        "type": "call.recording_ready", "created_at": iso(ended), "call_cid": f"default:{call['id']}",
        "call_recording": {"filename": "rec-1.mp4", "url": url, "start_time": iso(start), "end_time": iso(ended),
                           "session_id": "s1", "recording_type": "composite"}})[0] == 200
    recording = wait_for(lambda: [r for r in triggers_of(trigger, call["id"], FOLLOW_UP_TASK)
                                  if r.body["payload"]["kind"] == "call.recording_ready"], WITHIN, "the recording")
    assert recording[0].body["payload"]["recording"]["url"] == url
    assert recording[0].body["options"]["idempotencyKey"] == f"call-booking:recording:{call['id']}:rec-1.mp4"
    wait_for(lambda: sorted(line for line in deliveries(database, call["id"]) if not line.startswith("reminder")) == [
        "follow_up triggered -", "recording triggered -"], WITHIN, "both follow-ups recorded")


# --- Trigger.dev failing -----------------------------------------------------------------------

def reminder_jobs(database, call_id):
    return psql(database, "SELECT state || ' ' || coalesce(last_error, '-') FROM calls.jobs WHERE kind = 'reminder.trigger' "
                          f"AND payload->>'call_id' = '{call_id}' ORDER BY id").splitlines()


def test_a_trigger_dev_that_answers_503_is_retried_until_the_reminders_are_sent(server, trigger, database):
    expert = new_expert(server)
    trigger.fail_next(2, status=503, error="Service unavailable")
    call = book(server, expert, utc_now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=6))
    wait_for(lambda: deliveries(database, call["id"]) == ["reminder triggered -"] * 4, WITHIN, "four triggered rows")
    assert len(runs_of(trigger, call["id"])) == 4
    jobs = reminder_jobs(database, call["id"])
    assert [line.split(" ")[0] for line in jobs] == ["done"] * 4
    assert psql(database, "SELECT sum(attempts) FROM calls.jobs WHERE kind = 'reminder.trigger' "
                          f"AND payload->>'call_id' = '{call['id']}'") == "6"


def metrics(server):
    with urllib.request.urlopen(server.base_url + "/metrics", timeout=10) as response:
        return response.read().decode()


def test_a_reminder_trigger_dev_refuses_is_dead_at_once_and_failed_with_why(server, trigger, database):
    expert = new_expert(server)
    kind = dict(kind="reminder.trigger")
    before = metrics(server)
    failed_before = sample(before, "job_failures_total", **kind) or 0
    dead_before = sample(before, "job_dead_letters_total", **kind) or 0
    trigger.fail_next(1, status=401, error="Invalid API key")
    call = book(server, expert, utc_now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=6, hours=3))
    jobs = wait_for(lambda: (lambda jobs: all(not line.startswith(("pending", "running")) for line in jobs) and jobs)(
        reminder_jobs(database, call["id"])), WITHIN, "every reminder job finished")
    dead = [line for line in jobs if line.startswith("dead")]
    assert len(dead) == 1 and "401" in dead[0] and "Invalid API key" in dead[0]
    assert TRIGGER_KEY not in dead[0]
    rows = sorted(deliveries(database, call["id"]))
    assert rows[1:] == ["reminder triggered -"] * 3
    assert rows[0].startswith("reminder failed ") and "401" in rows[0] and "Invalid API key" in rows[0], rows
    assert TRIGGER_KEY not in rows[0]
    status, timeline = rest(server, "GET", f"/api/v1/calls/{call['id']}/timeline", ADMIN_TOKEN)
    assert status == 200, timeline
    failed = [d for d in timeline["deliveries"] if d["state"] == "DELIVERY_STATE_FAILED"]
    assert len(failed) == 1 and "HTTP 401" in failed[0]["error"] and "Invalid API key" in failed[0]["error"], timeline
    after = metrics(server)
    assert sample(after, "job_dead_letters_total", **kind) == dead_before + 1
    assert sample(after, "job_failures_total", **kind) == failed_before + 1
    assert sample(after, "job_queue_depth", state="pending") is not None


# --- Call volume metrics -----------------------------------------------------------------------

def test_call_volume_outcomes_and_durations_are_metrics(server):
    """Bookings by source, finished calls by state and no-show party, and the completed call's
    session length in the duration histogram, as /metrics shows them."""
    def values():
        text = metrics(server)
        return {
            "api": sample(text, "calls_booked_total", source="api") or 0,
            "calendly": sample(text, "calls_booked_total", source="calendly") or 0,
            "completed": sample(text, "calls_finished_total", state="completed", no_show_party="none") or 0,
            "cancelled": sample(text, "calls_finished_total", state="cancelled", no_show_party="none") or 0,
            "no_show_expert": sample(text, "calls_finished_total", state="no_show", no_show_party="expert") or 0,
            "durations": sample(text, "call_duration_seconds_count") or 0,
            "seconds": sample(text, "call_duration_seconds_sum") or 0,
            "under_half_hour": sample(text, "call_duration_seconds_bucket", le="1800.0") or 0,
            "under_quarter_hour": sample(text, "call_duration_seconds_bucket", le="900.0") or 0,
        }

    before = values()
    expert = new_expert(server)
    start = utc_now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=6)
    completed = book(server, expert, start)
    session_events(server, completed, [completed["customer"]["userId"], expert["clerkUserId"]], start,
                   start + datetime.timedelta(minutes=25))
    missed = book(server, expert, start + datetime.timedelta(hours=2))
    session_events(server, missed, [missed["customer"]["userId"]], start + datetime.timedelta(hours=2),
                   start + datetime.timedelta(hours=2, minutes=5))
    cancelled = book(server, expert, start + datetime.timedelta(hours=4))
    status, _ = rest(server, "POST", f"/api/v1/calls/{cancelled['id']}/cancel", ADMIN_TOKEN, {"reason": "ill"})
    assert status == 200
    # A repeated cancel is refused and counts nothing more.
    assert rest(server, "POST", f"/api/v1/calls/{cancelled['id']}/cancel", ADMIN_TOKEN, {"reason": "ill"})[0] == 400
    _, host = make_expert(server)
    deliver(server, "invitee.created", invitee(new_invitee_uri(), next_week(13), hosts=[host]))

    after = values()
    delta = {key: after[key] - before[key] for key in before}
    assert delta == {"api": 3, "calendly": 1, "completed": 1, "cancelled": 1, "no_show_expert": 1,
                     "durations": 1, "seconds": 25 * 60, "under_half_hour": 1, "under_quarter_hour": 0}
    assert "# TYPE call_duration_seconds histogram" in metrics(server)
