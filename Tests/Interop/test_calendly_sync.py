"""Calendly availability sync against the real binary and a loopback Calendly
(calendly_api_fake.py): CONTRACT "Calendly sync replaces the weekly hours of experts that have a
`calendly_user_uri` and turns busy times into time off marked as synced, skipping busy times that
are our own calls". Synced busy times are `Expert.calendar_busy`; `time_off` is manual entries only.

Each test has a database and a server of its own (the sync walks every linked expert of its
database), whose CALENDLY_BASE_URL is the fake. The server's first periodic round runs right
after start; tests other than the periodic one wait for it (no experts yet) and then have the
next round a day away, so every sync they see is the one they asked for.
"""

import datetime
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zoneinfo

import grpc
import pytest
from google.protobuf import timestamp_pb2

from auth import DEV_KEY, SERVER_ENVIRONMENT, with_token
from calendly_api_fake import CalendlyAPIFake, busy_calendly, busy_external, date, schedule, wday
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from databases import fresh_database, psql, wait_for
from server import Server

TIMEOUT = 15
API_KEY = SERVER_ENVIRONMENT["CALENDLY_API_KEY"]
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.timezone.utc
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


def user_uri(name):
    return f"https://api.calendly.com/users/{name}_{uuid.uuid4().hex[:8].upper()}"


@pytest.fixture
def calendly():
    fake = CalendlyAPIFake(api_key=API_KEY)
    yield fake
    fake.close()


@pytest.fixture
def own_database():
    with fresh_database("cb_sync") as url:
        yield url


def start_server(url, calendly, interval_seconds):
    return Server(database_url=url, extra_environment={
        "CALENDLY_BASE_URL": calendly.base_url, "CALENDLY_SYNC_INTERVAL_SECONDS": str(interval_seconds)})


@pytest.fixture
def synced(own_database, calendly):
    """(server, database URL, fake): the first periodic round is done, the next a day away."""
    server = start_server(own_database, calendly, 86_400)
    try:
        wait_for(lambda: psql(own_database, "SELECT count(*) FROM calls.jobs WHERE kind = 'calendly.sync_round' "
                                            "AND finished_at IS NOT NULL") == "1", 15, "the first periodic round")
        yield server, own_database, calendly
        server.stop()
    finally:
        server.close()


@pytest.fixture
def experts(synced):
    server, _, _ = synced
    with grpc.insecure_channel(server.address) as channel:
        yield rpc.ExpertServiceStub(with_token(channel))


def post(server, path, token=DEV_KEY.token("user_interop_admin", "admin", "admin@interop.example")):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(server.base_url + path, data=b"{}", method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def make_expert(experts, calendly_user_uri="", time_zone="Europe/Berlin", clerk_user_id=""):
    expert = pb.Expert(name="Synced", email=f"{uuid.uuid4().hex}@interop.example", timezone=time_zone,
                       specialties=[uuid.uuid4().hex], calendly_user_uri=calendly_user_uri, clerk_user_id=clerk_user_id)
    expert.weekly_hours.add(day=pb.MONDAY, start_time="08:00", end_time="12:00")
    return experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT)


def next_monday_in_new_york(weeks_ahead=1):
    today = datetime.datetime.now(NEW_YORK).date()
    return today + datetime.timedelta(days=(7 - today.weekday()) % 7 + 7 * weeks_ahead)


def at(day, hh_mm, zone=NEW_YORK):
    hour, minute = map(int, hh_mm.split(":"))
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)


def timestamp(moment):
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


def slots(message):
    return [(slot.start.ToDatetime(tzinfo=UTC), slot.end.ToDatetime(tzinfo=UTC)) for slot in message]


def hours(expert):
    return [(h.day, h.start_time, h.end_time) for h in expert.weekly_hours]


def weekday_schedule(user, *extra_rules):
    return schedule(user, "America/New_York",
                    [wday(day, ("09:00", "17:00")) for day in WEEKDAYS]
                    + [wday("saturday"), wday("sunday")] + list(extra_rules))


def bookable(day, blocked, minutes=30):
    """The 30-minute slots on the 15-minute grid of 09:00–17:00 New York time on `day` that
    overlap nothing in `blocked`: what ListExperts must offer."""
    result = []
    start, close = at(day, "09:00"), at(day, "17:00")
    while start + datetime.timedelta(minutes=minutes) <= close:
        end = start + datetime.timedelta(minutes=minutes)
        if not any(b_start < end and start < b_end for b_start, b_end in blocked):
            result.append((start, end))
        start += datetime.timedelta(minutes=15)
    return result


def test_a_linked_expert_gets_calendlys_hours_and_busy_times_and_others_are_untouched(synced, experts):
    server, url, calendly = synced
    host = user_uri("HOST")
    monday = next_monday_in_new_york()
    tuesday, wednesday, thursday = (monday + datetime.timedelta(days=n) for n in (1, 2, 3))
    linked = make_expert(experts, calendly_user_uri=host)
    manual_off = (at(thursday, "10:00"), at(thursday, "11:00"))
    experts.SetExpertAvailability(pb.SetExpertAvailabilityRequest(
        expert_id=linked.id, weekly_hours=linked.weekly_hours,
        time_off=[pb.TimeSlot(start=timestamp(manual_off[0]), end=timestamp(manual_off[1]))]), timeout=TIMEOUT)
    unlinked = make_expert(experts)

    # One of our calls, booked through Calendly (as the webhook stores it).
    ours = f"https://api.calendly.com/scheduled_events/{uuid.uuid4().hex}"
    our_call = (at(tuesday, "13:00"), at(tuesday, "13:30"))
    psql(url, f"""INSERT INTO calls.calls (expert_id, customer_user_id, topic, scheduled_start, scheduled_end,
                  calendly_event_uri, calendly_invitee_uri)
                  VALUES ('{linked.id}', 'user_1', 'ours', '{our_call[0].isoformat()}', '{our_call[1].isoformat()}',
                          '{ours}', '{ours}/invitees/I1')""")
    theirs = f"https://api.calendly.com/scheduled_events/{uuid.uuid4().hex}"
    calendly.set_schedules(host, [
        schedule(host, "Europe/London", [wday("monday", ("06:00", "07:00"))], default=False, name="Early", uuid="S0"),
        weekday_schedule(host, date(wednesday.isoformat())),
    ])
    calendly.set_busy_times(host, [
        busy_external(at(monday, "14:00"), at(monday, "15:00")),
        busy_calendly(at(tuesday, "10:00"), at(tuesday, "10:30"), theirs,
                      buffer_before=datetime.timedelta(minutes=15), buffer_after=datetime.timedelta(minutes=15)),
        busy_calendly(*our_call, ours),
    ])

    status, report = post(server, "/api/v1/calendly-sync")
    assert status == 200, report
    assert report == {"synced": [{"expertId": linked.id, "timezone": "America/New_York", "weeklyHours": 5,
                                  "dateOverrides": 1, "timeOff": 2, "skippedOwnCalls": 1}], "failed": []}

    after = experts.GetExpert(pb.GetExpertRequest(id=linked.id), timeout=TIMEOUT)
    assert after.timezone == "America/New_York"   # the schedule's zone, see README
    assert hours(after) == [(day, "09:00", "17:00") for day in range(1, 6)]
    assert [(o.date, list(o.hours)) for o in after.date_overrides] == [(wednesday.isoformat(), [])]
    calendly_busy = [(at(monday, "14:00"), at(monday, "15:00")), (at(tuesday, "09:45"), at(tuesday, "10:45"))]
    # Synced busy times are calendar_busy, in the expert's zone like time_off, which keeps the
    # manual entry alone.
    assert slots(after.calendar_busy) == calendly_busy
    assert after.calendar_busy[0].local_start == at(monday, "14:00").astimezone(NEW_YORK).isoformat()
    assert slots(after.time_off) == [manual_off]

    listed = experts.ListExperts(pb.ListExpertsRequest(
        specialty=linked.specialties[0], available_from=timestamp(at(monday, "00:00")),
        available_to=timestamp(at(thursday, "00:00")), slot_minutes=30), timeout=TIMEOUT)
    [offered] = listed.experts
    assert slots(offered.available_slots) == (
        bookable(monday, calendly_busy) + bookable(tuesday, calendly_busy + [our_call]))

    untouched = experts.GetExpert(pb.GetExpertRequest(id=unlinked.id), timeout=TIMEOUT)
    assert (untouched.timezone, hours(untouched), list(untouched.time_off), list(untouched.calendar_busy)) == \
        ("Europe/Berlin", [(pb.MONDAY, "08:00", "12:00")], [], [])
    assert {request["query"]["user"][0] for request in calendly.requests} == {host}


def test_writing_back_the_read_time_off_leaves_busy_times_to_the_sync(synced, experts):
    """A client that saves the availability it read (time_off included) turns no synced busy
    time into a manual one: the next round without busy times removes them all."""
    server, _, calendly = synced
    host = user_uri("WRITEBACK")
    monday = next_monday_in_new_york()
    expert = make_expert(experts, calendly_user_uri=host)
    calendly.set_schedules(host, [weekday_schedule(host)])
    calendly.set_busy_times(host, [busy_external(at(monday, "14:00"), at(monday, "15:00"))])
    assert post(server, f"/api/v1/experts/{expert.id}/calendly-sync")[0] == 200
    read = experts.GetExpert(pb.GetExpertRequest(id=expert.id), timeout=TIMEOUT)
    assert slots(read.calendar_busy) == [(at(monday, "14:00"), at(monday, "15:00"))] and not read.time_off

    # calendar_busy sent back is ignored, like the other output-only fields.
    written = experts.SetExpertAvailability(pb.SetExpertAvailabilityRequest(
        expert_id=expert.id, weekly_hours=read.weekly_hours, date_overrides=read.date_overrides,
        time_off=read.time_off), timeout=TIMEOUT)
    assert slots(written.calendar_busy) == slots(read.calendar_busy) and not written.time_off
    echoed = pb.Expert()
    echoed.CopyFrom(read)
    echoed.name = "Renamed"
    rename = pb.UpdateExpertRequest(expert=echoed)
    rename.update_mask.paths.append("name")
    experts.UpdateExpert(rename, timeout=TIMEOUT)

    calendly.set_busy_times(host, [])
    assert post(server, f"/api/v1/experts/{expert.id}/calendly-sync")[0] == 200
    after = experts.GetExpert(pb.GetExpertRequest(id=expert.id), timeout=TIMEOUT)
    assert (after.name, list(after.calendar_busy), list(after.time_off)) == ("Renamed", [], [])


def test_requests_have_the_shape_of_calendlys_documented_api(synced, experts):
    """developer.calendly.com: GET /user_availability_schedules?user=<user URI> and GET
    /user_busy_times?user=&start_time=&end_time= (a range of at most 7 days, not starting in the
    past), both with `Authorization: Bearer <token>` (providers.md §2)."""
    server, _, calendly = synced
    host = user_uri("SHAPE")
    expert = make_expert(experts, calendly_user_uri=host)
    calendly.set_schedules(host, [weekday_schedule(host)])
    before = datetime.datetime.now(UTC).replace(microsecond=0)
    status, report = post(server, f"/api/v1/experts/{expert.id}/calendly-sync")
    assert status == 200, report

    for request in calendly.requests:
        assert request["method"] == "GET"
        assert request["headers"]["authorization"] == f"Bearer {API_KEY}"
        assert request["headers"]["accept"] == "application/json"
        assert "content-length" not in request["headers"] or request["headers"]["content-length"] == "0"
    [schedules] = calendly.requests_to("/user_availability_schedules")
    assert schedules["raw_query"] == "user=" + urllib.parse.quote(host, safe="")
    busy = calendly.requests_to("/user_busy_times")
    assert len(busy) == len(calendly.requests) - 1 == 9   # 60 days (no booking horizon) in 7-day slices
    iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    windows = []
    for request in busy:
        assert set(request["query"]) == {"user", "start_time", "end_time"}
        assert request["query"]["user"] == [host]
        assert request["raw_query"].startswith("user=" + urllib.parse.quote(host, safe="") + "&start_time=")
        start, end = (request["query"][key][0] for key in ("start_time", "end_time"))
        assert iso.match(start) and iso.match(end), (start, end)
        windows.append((datetime.datetime.fromisoformat(start.replace("Z", "+00:00")),
                        datetime.datetime.fromisoformat(end.replace("Z", "+00:00"))))
    assert before <= windows[0][0] <= before + datetime.timedelta(seconds=90)
    for (start, end), (next_start, _) in zip(windows, windows[1:]):
        assert next_start == end
    assert all(datetime.timedelta(0) < end - start <= datetime.timedelta(days=7) for start, end in windows)
    assert windows[-1][1] - windows[0][0] == datetime.timedelta(days=60)


def test_a_calendly_failure_leaves_that_experts_availability_and_the_others_sync(synced, experts):
    server, _, calendly = synced
    fine_user, failing_user, unknown_user = user_uri("FINE"), user_uri("FAILING"), user_uri("UNKNOWN")
    fine = make_expert(experts, calendly_user_uri=fine_user)
    failing = make_expert(experts, calendly_user_uri=failing_user)
    unknown = make_expert(experts, calendly_user_uri=unknown_user)
    unlinked = make_expert(experts)
    monday = next_monday_in_new_york()
    calendly.set_schedules(fine_user, [weekday_schedule(fine_user)])
    calendly.set_schedules(failing_user, [weekday_schedule(failing_user)])
    calendly.set_busy_times(failing_user, [busy_external(at(monday, "14:00"), at(monday, "15:00"))])
    assert post(server, f"/api/v1/experts/{failing.id}/calendly-sync")[0] == 200
    before = experts.GetExpert(pb.GetExpertRequest(id=failing.id), timeout=TIMEOUT)
    assert len(before.calendar_busy) == 1 and before.timezone == "America/New_York"

    calendly.fail_user(failing_user, 503)
    calendly.set_schedules(fine_user, [weekday_schedule(fine_user, wday("saturday", ("10:00", "12:00")))])
    status, report = post(server, "/api/v1/calendly-sync")
    assert status == 200, report
    assert [entry["expertId"] for entry in report["synced"]] == [fine.id]
    failed = {entry["expertId"]: entry["message"] for entry in report["failed"]}
    assert set(failed) == {failing.id, unknown.id}
    assert "503" in failed[failing.id] and "404" in failed[unknown.id], failed
    assert all(API_KEY not in message for message in failed.values())

    assert experts.GetExpert(pb.GetExpertRequest(id=failing.id), timeout=TIMEOUT) == before
    assert (pb.SATURDAY, "10:00", "12:00") in hours(experts.GetExpert(pb.GetExpertRequest(id=fine.id), timeout=TIMEOUT))
    assert hours(experts.GetExpert(pb.GetExpertRequest(id=unknown.id), timeout=TIMEOUT)) == [(pb.MONDAY, "08:00", "12:00")]
    assert hours(experts.GetExpert(pb.GetExpertRequest(id=unlinked.id), timeout=TIMEOUT)) == [(pb.MONDAY, "08:00", "12:00")]

    # One expert on demand: the contract's error JSON, and still nothing changed.
    status, body = post(server, f"/api/v1/experts/{failing.id}/calendly-sync")
    assert (status, body["code"], body["details"]) == (503, 14, []), body
    status, body = post(server, f"/api/v1/experts/{unknown.id}/calendly-sync")
    assert (status, body["code"]) == (400, 9), body
    assert experts.GetExpert(pb.GetExpertRequest(id=failing.id), timeout=TIMEOUT) == before
    assert API_KEY not in server.stderr_tail(limit=1_000_000)


@pytest.mark.parametrize("headers", [{"Retry-After": "2"}, {"X-RateLimit-Limit": "500", "X-RateLimit-Reset": "2"}],
                         ids=["retry-after", "x-ratelimit-reset"])
def test_a_rate_limited_expert_is_synced_in_the_same_round_after_calendlys_wait(synced, experts, headers):
    server, _, calendly = synced
    user = user_uri("LIMITED")
    expert = make_expert(experts, calendly_user_uri=user)
    calendly.set_schedules(user, [weekday_schedule(user)])
    calendly.rate_limit(1, headers)
    status, report = post(server, "/api/v1/calendly-sync")
    assert status == 200, report
    assert ([entry["expertId"] for entry in report["synced"]], report["failed"]) == ([expert.id], []), report
    refused, retried = calendly.requests_to("/user_availability_schedules", user)
    assert refused["path"] == retried["path"]
    waited = retried["at"] - refused["at"]
    assert 2 <= waited < 4, f"waited {waited:.2f} s for a 2 s reset"
    assert experts.GetExpert(pb.GetExpertRequest(id=expert.id), timeout=TIMEOUT).timezone == "America/New_York"


def test_a_rate_limited_expert_synced_on_demand_gets_503_with_retry_after(synced, experts):
    server, _, calendly = synced
    user = user_uri("LIMITED")
    expert = make_expert(experts, calendly_user_uri=user)
    calendly.set_schedules(user, [weekday_schedule(user)])
    calendly.rate_limit(1, {"X-RateLimit-Reset": "42"})
    request = urllib.request.Request(
        server.base_url + f"/api/v1/experts/{expert.id}/calendly-sync", data=b"{}", method="POST",
        headers={"authorization": "Bearer " + DEV_KEY.token("user_interop_admin", "admin", "admin@interop.example")})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=TIMEOUT)
    assert (refused.value.code, refused.value.headers["retry-after"]) == (503, "42")
    assert len(calendly.requests_to("/user_availability_schedules", user)) == 1


def test_only_admins_and_the_expert_themselves_may_sync(synced, experts):
    server, _, calendly = synced
    host = user_uri("SELF")
    me = make_expert(experts, calendly_user_uri=host, clerk_user_id="user_sync_expert")
    other = make_expert(experts, calendly_user_uri=user_uri("OTHER"))
    unlinked = make_expert(experts)
    calendly.set_schedules(host, [weekday_schedule(host)])
    expert_token = DEV_KEY.token("user_sync_expert", "expert", "expert@interop.example")
    customer_token = DEV_KEY.token("user_sync_customer", "customer", "customer@interop.example")

    assert post(server, f"/api/v1/experts/{me.id}/calendly-sync", token=expert_token)[0] == 200
    assert post(server, f"/api/v1/experts/{other.id}/calendly-sync", token=expert_token)[0] == 403
    assert post(server, "/api/v1/calendly-sync", token=expert_token)[0] == 403
    status, body = post(server, f"/api/v1/experts/{me.id}/calendly-sync", token=customer_token)
    assert (status, body["code"]) == (403, 7)
    assert post(server, "/api/v1/calendly-sync", token=customer_token)[0] == 403
    status, body = post(server, "/api/v1/calendly-sync", token=None)
    assert (status, body["code"]) == (401, 16)
    assert post(server, f"/api/v1/experts/{me.id}/calendly-sync", token="not-a-token")[0] == 401
    assert post(server, f"/api/v1/experts/{uuid.uuid4()}/calendly-sync")[0] == 404
    assert post(server, "/api/v1/experts/not-an-id/calendly-sync")[0] == 400
    status, body = post(server, f"/api/v1/experts/{unlinked.id}/calendly-sync")
    assert (status, body["code"]) == (400, 9) and "calendly_user_uri" in body["message"], body
    # Wrong method on a known path: 405, like every route.
    request = urllib.request.Request(server.base_url + "/api/v1/calendly-sync", method="GET")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=TIMEOUT)
    assert raised.value.code == 405


def test_the_periodic_sync_runs_without_being_asked(own_database, calendly):
    """CALENDLY_SYNC_INTERVAL_SECONDS=10: an expert linked after the first round is synced by a
    later one."""
    server = start_server(own_database, calendly, 10)
    try:
        with grpc.insecure_channel(server.address) as channel:
            experts = rpc.ExpertServiceStub(with_token(channel))
            host = user_uri("PERIODIC")
            monday = next_monday_in_new_york()
            calendly.set_schedules(host, [weekday_schedule(host)])
            calendly.set_busy_times(host, [busy_external(at(monday, "14:00"), at(monday, "15:00"))])
            expert = make_expert(experts, calendly_user_uri=host)
            wait_for(lambda: len(experts.GetExpert(pb.GetExpertRequest(id=expert.id), timeout=TIMEOUT).calendar_busy) == 1,
                     30, "a periodic sync of the new expert")
            after = experts.GetExpert(pb.GetExpertRequest(id=expert.id), timeout=TIMEOUT)
            assert after.timezone == "America/New_York"
            assert hours(after) == [(day, "09:00", "17:00") for day in range(1, 6)]
            assert calendly.requests_to("/user_availability_schedules", user=host)
        server.stop()
    finally:
        server.close()


def test_shutdown_stops_a_sync_waiting_for_a_slow_calendly(own_database, calendly):
    """SIGTERM during a round whose Calendly answers take 3 s each (ten requests for the expert):
    the process still exits 0 within the grace period and its margin, and the expert is left as
    it was."""
    first = start_server(own_database, calendly, 86_400)
    first.stop()
    first.close()
    host = user_uri("SLOW")
    calendly.set_schedules(host, [weekday_schedule(host)])
    psql(own_database, f"""INSERT INTO calls.experts (name, email, time_zone, calendly_user_uri)
                           VALUES ('Slow', 'slow@interop.example', 'Europe/Berlin', '{host}')""")
    psql(own_database, "DELETE FROM calls.jobs WHERE kind = 'calendly.sync_round'")   # the next start's first round is due
    calendly.delay = 3
    server = Server(database_url=own_database, grace_seconds=2, extra_environment={
        "CALENDLY_BASE_URL": calendly.base_url, "CALENDLY_SYNC_INTERVAL_SECONDS": "86400"})
    try:
        wait_for(lambda: calendly.requests_to("/user_busy_times", user=host), 20, "the round reaching Calendly")
        server.stop()
    finally:
        server.close()
    assert psql(own_database, "SELECT time_zone FROM calls.experts") == "Europe/Berlin"
    assert len(calendly.requests_to("/user_busy_times", user=host)) < 9
