"""Stream Video against the real binary: call tokens checked with PyJWT, rooms set up
by the jobs outbox against a loopback fake of Stream's API (stream_api_fake.py), webhooks that
change calls exactly once, and recordings with refreshed signed URLs.

The module runs its own server on a database of its own, so its jobs and rows are its alone,
with STREAM_BASE_URL at the fake and a 1 s retry base.
"""

import datetime
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid

import grpc
import jwt
import pytest
from google.protobuf import timestamp_pb2

from auth import ADMIN_TOKEN, DEV_KEY, STREAM_API_KEY, STREAM_SECRET_KEY, booking_link, with_token
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from databases import fresh_database, psql, wait_for
from server import Server
from stream_api_fake import StreamAPIFake
from test_calendly_webhooks import deliver, invitee, make_expert, new_invitee_uri, next_week

TIMEOUT = 10
FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED = 9, 7, 16


@pytest.fixture(scope="module")
def fake():
    api = StreamAPIFake()
    yield api
    api.close()


@pytest.fixture(scope="module")
def database():
    with fresh_database("cb_stream") as url:
        yield url


@pytest.fixture(scope="module")
def stream_server(fake, database):
    process = Server(database_url=database, extra_environment={
        "STREAM_BASE_URL": fake.base_url, "JOB_RETRY_BASE_SECONDS": "1"})
    try:
        yield process
        process.stop()
    finally:
        process.close()


@pytest.fixture(scope="module")
def admin(stream_server):
    with grpc.insecure_channel(stream_server.address) as channel:
        channel = with_token(channel, ADMIN_TOKEN)
        yield rpc.CallServiceStub(channel), rpc.ExpertServiceStub(channel)


def timestamp(moment):
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


slots = iter(range(10_000))


def make_world(admin):
    """An expert linked to a Clerk user, another one, and a booking of a customer with the first."""
    calls, experts = admin
    tag = uuid.uuid4().hex[:10]
    world = {"customer": f"user_c_{tag}", "expert": f"user_e_{tag}", "other_expert": f"user_oe_{tag}",
             "other_customer": f"user_oc_{tag}"}
    for key in ("expert", "other_expert"):
        expert = pb.Expert(name=f"Dr. {key} {tag}", email=f"{key}.{tag}@interop.example", timezone="UTC",
                           clerk_user_id=world[key])
        for day in range(1, 8):
            expert.weekly_hours.add(day=day, start_time="00:00", end_time="24:00")
        world[f"{key}_id"] = experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT).id
    start = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0) \
        + datetime.timedelta(days=3, hours=next(slots))
    world["start"], world["end"] = start, start + datetime.timedelta(minutes=30)
    call = calls.CreateCall(pb.CreateCallRequest(
        expert_id=world["expert_id"], topic="video", customer=pb.Customer(user_id=world["customer"], name="Bo"),
        scheduled_start=timestamp(start), scheduled_end=timestamp(world["end"])), timeout=TIMEOUT)
    world["call_id"] = call.id
    world["call"] = call
    return world


def token_of(world, who, role):
    return DEV_KEY.token(world[who], role, f"{who}@interop.example")


def rest(server, method, path, token=None, body=None, headers=None):
    """(status, JSON) of an HTTP request; errors are answers too."""
    data = body if isinstance(body, bytes) else (None if body is None else json.dumps(body).encode())
    all_headers = {"content-type": "application/json", **(headers or {})}
    if token:
        all_headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(server.base_url + path, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


# Tokens

def test_each_participant_gets_a_token_pyjwt_accepts(stream_server, admin):
    world = make_world(admin)
    cid = f"default:{world['call_id']}"
    for who, role, expected_role in (("expert", "expert", "host"), ("customer", "customer", "call_member"),
                                     ("admin", "admin", "admin")):
        token = ADMIN_TOKEN if who == "admin" else token_of(world, who, role)
        before = int(time.time())
        status, answer = rest(stream_server, "POST", f"/api/v1/calls/{world['call_id']}/token", token, {})
        assert status == 200, answer
        claims = jwt.decode(answer["token"], STREAM_SECRET_KEY, algorithms=["HS256"])
        user = "user_interop_admin" if who == "admin" else world[who]
        assert claims["user_id"] == user and answer["userId"] == user
        assert claims["call_cids"] == [cid]
        assert claims["role"] == expected_role == answer["role"]
        assert "nbf" not in claims
        assert before - 6 <= claims["iat"] <= int(time.time()) - 4
        assert claims["exp"] == int((world["end"] + datetime.timedelta(minutes=60)).timestamp())
        assert answer["apiKey"] == STREAM_API_KEY
        assert answer["callType"] == "default" and answer["callId"] == world["call_id"]
        assert answer["expiresAt"] == (world["end"] + datetime.timedelta(minutes=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
        header = jwt.get_unverified_header(answer["token"])
        assert header == {"alg": "HS256", "typ": "JWT"}
    # The call names its room.
    assert world["call"].video.call_type == "default" and world["call"].video.call_id == world["call_id"]


def test_the_token_over_grpc_is_the_same_kind_of_token(stream_server, admin):
    world = make_world(admin)
    with grpc.insecure_channel(stream_server.address) as channel:
        stub = rpc.CallServiceStub(with_token(channel, token_of(world, "customer", "customer")))
        answer = stub.CreateCallToken(pb.CreateCallTokenRequest(call_id=world["call_id"]), timeout=TIMEOUT)
    claims = jwt.decode(answer.token, STREAM_SECRET_KEY, algorithms=["HS256"])
    assert claims["user_id"] == world["customer"] and answer.role == "call_member"


def test_people_not_on_the_call_and_finished_calls_get_no_token(stream_server, admin):
    world = make_world(admin)
    path = f"/api/v1/calls/{world['call_id']}/token"
    status, answer = rest(stream_server, "POST", path, token_of(world, "other_customer", "customer"), {})
    assert (status, answer["code"]) == (403, PERMISSION_DENIED)
    status, answer = rest(stream_server, "POST", path, token_of(world, "other_expert", "expert"), {})
    assert (status, answer["code"]) == (403, PERMISSION_DENIED)
    status, _ = rest(stream_server, "POST", path, None, {})
    assert status == 401
    # The customer joins once: the server now keeps the call for further tokens, and must
    # forget it when the call changes.
    status, _ = rest(stream_server, "POST", path, token_of(world, "customer", "customer"), {})
    assert status == 200
    calls, _ = admin
    calls.CancelCall(pb.CancelCallRequest(id=world["call_id"], reason="test"), timeout=TIMEOUT)
    refused_before = token_errors(stream_server, "call_not_joinable")
    status, answer = rest(stream_server, "POST", path, token_of(world, "customer", "customer"), {})
    assert (status, answer["code"]) == (400, FAILED_PRECONDITION), answer
    # Operators see refusals in /metrics (call_token_errors_total{reason}).
    assert token_errors(stream_server, "call_not_joinable") == refused_before + 1
    assert token_errors(stream_server, "not_a_participant") >= 2


def test_a_call_another_replica_cancels_gets_no_more_tokens(stream_server, admin, database):
    """Tokens are answered from the calls the server keeps; a change committed elsewhere (here
    by SQL, as another replica would) reaches it through LISTEN/NOTIFY and ends them."""
    world = make_world(admin)
    path = f"/api/v1/calls/{world['call_id']}/token"
    customer = token_of(world, "customer", "customer")
    for _ in range(3):
        status, _ = rest(stream_server, "POST", path, customer, {})
        assert status == 200
    psql(database, f"UPDATE calls.calls SET state = 'CANCELLED', cancellation_reason = 'elsewhere' "
                   f"WHERE id = '{world['call_id']}'")
    wait_for(lambda: rest(stream_server, "POST", path, customer, {})[0] == 400, 5,
             "the token refused after another writer cancelled the call")


def token_errors(server, reason):
    with urllib.request.urlopen(server.base_url + "/metrics", timeout=TIMEOUT) as response:
        text = response.read().decode()
    line = f'call_token_errors_total{{reason="{reason}"}} '
    return next((float(row[len(line):]) for row in text.splitlines() if row.startswith(line)), 0.0)


# Rooms

def room_requests(fake, call_id):
    return fake.seen("POST", f"/api/v2/video/call/default/{call_id}")


def test_booking_creates_the_room_with_both_members_in_the_documented_shape(stream_server, admin, fake):
    world = make_world(admin)
    created = wait_for(lambda: [r for r in room_requests(fake, world["call_id"]) if r.status == 201], 15, "the room")
    request = created[0]
    assert request.query == {"api_key": STREAM_API_KEY}
    assert request.headers["stream-auth-type"] == "jwt"
    assert request.headers["content-type"] == "application/json"
    assert not request.headers["authorization"].lower().startswith("bearer")
    assert jwt.decode(request.headers["authorization"], STREAM_SECRET_KEY, algorithms=["HS256"]) == {"server": True}
    assert request.body == {
        "data": {
            "created_by_id": "call-booking",
            "starts_at": world["start"].strftime("%Y-%m-%dT%H:%M:%SZ"),
            "members": [{"user_id": world["expert"], "role": "host"},
                        {"user_id": world["customer"], "role": "call_member"}],
            "custom": {"booking_id": world["call_id"]},
            "settings_override": {
                "recording": {"mode": "auto-on", "audio_only": False, "quality": "720p"},
                "screensharing": {"enabled": True, "access_request_enabled": False},
            },
        },
        "members_limit": 25, "ring": False, "notify": False, "video": True,
    }
    # The users were upserted first, with the service user that creates the room.
    upserts = [r for r in fake.seen("POST", "/api/v2/users") if world["customer"] in r.body["users"]]
    assert upserts and set(upserts[0].body["users"]) == {"call-booking", world["expert"], world["customer"]}
    assert fake.requests.index(upserts[0]) < fake.requests.index(request)


def test_a_failing_stream_is_retried_until_the_room_exists(stream_server, admin, fake, database):
    fake.failures_left = 2
    world = make_world(admin)
    wait_for(lambda: [r for r in room_requests(fake, world["call_id"]) if r.status == 201], 15, "the room after retries")
    statuses = [r.status for r in room_requests(fake, world["call_id"])]
    assert statuses == [503, 503, 201]
    rows = psql(database, f"SELECT state || ' ' || attempts FROM calls.jobs WHERE dedupe_key = '{world['call_id']}'")
    assert rows == "done 3"
    assert psql(database, f"SELECT count(*) FROM calls.video_rooms WHERE call_id = '{world['call_id']}'") == "1"


def test_a_calendly_booking_gets_its_room_too(stream_server, fake):
    expert, host = make_expert(stream_server)   # no Clerk user: only the customer is a member yet
    answer = deliver(stream_server, "invitee.created", invitee(
        new_invitee_uri(), next_week(hour=11), hosts=[host], utm_content=booking_link("user_calendly_customer")))
    call_id = answer["callId"]
    [request] = wait_for(lambda: [r for r in room_requests(fake, call_id) if r.status == 201], 15, "the Calendly call's room")
    assert request.body["data"]["members"] == [{"user_id": "user_calendly_customer", "role": "call_member"}]
    assert request.body["data"]["custom"] == {"booking_id": call_id}


# Webhooks

def send_webhook(server, event, webhook_id=None, secret=STREAM_SECRET_KEY, api_key=STREAM_API_KEY, signature=None):
    body = json.dumps(event).encode()
    headers = {"x-api-key": api_key, "x-webhook-id": webhook_id or uuid.uuid4().hex, "x-webhook-attempt": "1",
               "x-signature": signature or hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}
    return rest(server, "POST", "/webhooks/stream", body=body, headers=headers)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "123Z"  # nine fractional digits, as Stream sends


def get_call(admin, call_id):
    calls, _ = admin
    return calls.GetCall(pb.GetCallRequest(id=call_id), timeout=TIMEOUT)


def test_a_badly_signed_or_foreign_webhook_is_401_and_changes_nothing(stream_server, admin, database):
    world = make_world(admin)
    event = {"type": "call.session_started", "created_at": iso(world["start"]),
             "call_cid": f"default:{world['call_id']}", "session_id": "s1"}
    status, answer = send_webhook(stream_server, event, secret="not-the-secret")
    assert (status, answer["code"]) == (401, UNAUTHENTICATED)
    status, _ = send_webhook(stream_server, event, api_key="another-app")
    assert status == 401
    status, _ = send_webhook(stream_server, event, signature="00" * 32)
    assert status == 401
    assert get_call(admin, world["call_id"]).state == pb.CALL_STATE_SCHEDULED
    assert psql(database, "SELECT count(*) FROM calls.webhook_deliveries WHERE provider = 'stream' "
                          f"AND call_id = '{world['call_id']}'") == "0"


def test_a_session_runs_the_call_and_records_attendance_once(stream_server, admin, database):
    world = make_world(admin)
    cid = f"default:{world['call_id']}"
    started = world["start"] + datetime.timedelta(seconds=30)
    ended = started + datetime.timedelta(minutes=25)

    status, answer = send_webhook(stream_server, {
        "type": "call.session_started", "created_at": iso(started), "call_cid": cid, "session_id": "s1",
        "call": {"cid": cid, "session": {"id": "s1", "started_at": iso(started)}}})
    assert (status, answer) == (200, {"result": "applied"})
    call = get_call(admin, world["call_id"])
    assert call.state == pb.CALL_STATE_IN_PROGRESS
    assert call.started_at.ToDatetime(tzinfo=datetime.timezone.utc) == started

    for who, role, user_session in (("expert", "host", "us-e"), ("customer", "call_member", "us-c")):
        status, _ = send_webhook(stream_server, {
            "type": "call.session_participant_joined", "created_at": iso(started), "call_cid": cid, "session_id": "s1",
            "participant": {"user_session_id": user_session, "role": role, "joined_at": iso(started),
                            "user": {"id": world[who], "name": who}}})
        assert status == 200
    left_id = uuid.uuid4().hex
    left = {"type": "call.session_participant_left", "created_at": iso(ended), "call_cid": cid, "session_id": "s1",
            "duration_seconds": 1500,
            "participant": {"user_session_id": "us-c", "role": "call_member", "joined_at": iso(started),
                            "user": {"id": world["customer"]}}}
    assert send_webhook(stream_server, left, webhook_id=left_id)[0] == 200
    # Stream retrying the same delivery: acknowledged, applied once.
    assert send_webhook(stream_server, left, webhook_id=left_id) == (200, {"result": "duplicate"})
    rows = psql(database, "SELECT role || ' ' || coalesce(duration_seconds::text, '-') || ' ' || (left_at IS NOT NULL) "
                          f"FROM calls.call_participants WHERE call_id = '{world['call_id']}' ORDER BY role")
    assert rows.splitlines() == ["customer 1500 true", "expert - false"]

    ended_event = {"type": "call.session_ended", "created_at": iso(ended), "call_cid": cid, "session_id": "s1",
                   "call": {"cid": cid, "session": {"started_at": iso(started), "ended_at": iso(ended)}}}
    ended_id = uuid.uuid4().hex
    assert send_webhook(stream_server, ended_event, webhook_id=ended_id) == (200, {"result": "applied"})
    call = get_call(admin, world["call_id"])
    assert call.state == pb.CALL_STATE_COMPLETED
    assert call.ended_at.ToDatetime(tzinfo=datetime.timezone.utc) == ended
    assert call.ended_at.seconds - call.started_at.seconds == 25 * 60
    # A duplicate with a later end changes nothing; a late call.ended neither (already final).
    later = dict(ended_event, created_at=iso(ended + datetime.timedelta(minutes=5)))
    assert send_webhook(stream_server, later, webhook_id=ended_id) == (200, {"result": "duplicate"})
    assert send_webhook(stream_server, {"type": "call.ended", "created_at": iso(ended + datetime.timedelta(minutes=9)),
                                        "call_cid": cid, "call": {"cid": cid}})[0] == 200
    assert get_call(admin, world["call_id"]).ended_at.ToDatetime(tzinfo=datetime.timezone.utc) == ended
    events = psql(database, f"SELECT count(*) FROM calls.call_events WHERE call_id = '{world['call_id']}' "
                            "AND kind IN ('session_started', 'session_ended')")
    assert events == "2"


def test_unknown_events_and_calls_are_acknowledged(stream_server, admin):
    status, answer = send_webhook(stream_server, {"type": "call.member_added", "created_at": iso(datetime.datetime.now()),
                                                  "call_cid": "default:not-ours"})
    assert (status, answer) == (200, {"result": "ignored"})
    now = iso(datetime.datetime.now())
    stranger = f"default:{uuid.uuid4()}"  # our call type, but no such booking
    for event in (
        {"type": "call.session_started", "created_at": now, "call_cid": stranger},
        {"type": "call.member_added", "created_at": now, "call_cid": stranger},
        {"type": "call.session_participant_joined", "created_at": now, "call_cid": stranger,
         "participant": {"user_session_id": "x", "user": {"id": "user_x"}}},
        {"type": "call.recording_ready", "created_at": now, "call_cid": stranger,
         "call_recording": {"filename": "r.mp4", "url": "https://cdn.example/r.mp4"}},
        {"type": "call.recording_failed", "created_at": now, "call_cid": stranger},
    ):
        assert send_webhook(stream_server, event) == (200, {"result": "applied"}), event["type"]
    status, answer = send_webhook(stream_server, {"type": "call.session_started"})
    assert (status, answer["code"]) == (400, 3)


# Recordings

def recording_event(world, filename, expires):
    return {"type": "call.recording_ready", "created_at": iso(world["end"]), "call_cid": f"default:{world['call_id']}",
            "egress_id": "EG1", "recording_type": "composite",
            "call_recording": {"filename": filename, "url": f"https://cdn.example/{filename}?Expires={expires}&Signature=x",
                               "start_time": iso(world["start"]), "end_time": iso(world["end"]),
                               "session_id": "s1", "recording_type": "composite"}}


def test_a_ready_recording_is_listed(stream_server, admin, fake):
    world = make_world(admin)
    fresh_until = int(time.time()) + 3600
    assert send_webhook(stream_server, recording_event(world, "rec-a.mp4", fresh_until))[0] == 200
    status, answer = rest(stream_server, "GET", f"/api/v1/calls/{world['call_id']}/recordings",
                          token_of(world, "customer", "customer"))
    assert status == 200, answer
    [recording] = answer["recordings"]
    assert recording["filename"] == "rec-a.mp4" and recording["callId"] == world["call_id"]
    assert recording["url"] == f"https://cdn.example/rec-a.mp4?Expires={fresh_until}&Signature=x"
    assert recording["startTime"] == world["start"].strftime("%Y-%m-%dT%H:%M:%SZ")
    # Its URL is still good: Stream was not asked.
    assert not fake.seen("GET", f"/api/v2/video/call/default/{world['call_id']}/recordings")
    status, _ = rest(stream_server, "GET", f"/api/v1/calls/{world['call_id']}/recordings",
                     token_of(world, "other_customer", "customer"))
    assert status == 403


def test_an_expired_recording_url_is_refreshed_from_stream(stream_server, admin, fake):
    world = make_world(admin)
    assert send_webhook(stream_server, recording_event(world, "rec-b.mp4", int(time.time()) - 60))[0] == 200
    fresh = f"https://cdn.example/rec-b.mp4?Expires={int(time.time()) + 7200}&Signature=new"
    fake.recordings[world["call_id"]] = [{
        "filename": "rec-b.mp4", "url": fresh, "start_time": iso(world["start"]), "end_time": iso(world["end"]),
        "session_id": "s1", "recording_type": "composite"}]
    status, answer = rest(stream_server, "GET", f"/api/v1/calls/{world['call_id']}/recordings",
                          token_of(world, "expert", "expert"))
    assert status == 200, answer
    assert [r["url"] for r in answer["recordings"]] == [fresh]
    listed = fake.seen("GET", f"/api/v2/video/call/default/{world['call_id']}/recordings")
    assert len(listed) == 1 and listed[0].query == {"api_key": STREAM_API_KEY}
    # Stored: the next listing needs no refresh.
    rest(stream_server, "GET", f"/api/v1/calls/{world['call_id']}/recordings", token_of(world, "expert", "expert"))
    assert len(fake.seen("GET", f"/api/v2/video/call/default/{world['call_id']}/recordings")) == 1


def test_a_failed_recording_is_recorded_on_the_call(stream_server, admin, database):
    world = make_world(admin)
    status, _ = send_webhook(stream_server, {
        "type": "call.recording_failed", "created_at": iso(world["end"]), "call_cid": f"default:{world['call_id']}",
        "egress_id": "EG9", "recording_type": "composite"})
    assert status == 200
    detail = psql(database, f"SELECT detail->>'egress_id' FROM calls.call_events WHERE call_id = '{world['call_id']}' "
                            "AND kind = 'recording_failed'")
    assert detail == "EG9"
    assert "Stream recording failed" in stream_server.stderr_tail()


# The jobs worker

def test_a_job_nobody_handles_is_dead_at_once_and_names_why(stream_server, database):
    job_id = psql(database, "INSERT INTO calls.jobs (kind) VALUES ('interop.unknown-kind') RETURNING id")
    row = wait_for(lambda: psql(database, "SELECT state || '|' || attempts || '|' || last_error FROM calls.jobs "
                                          f"WHERE id = {job_id} AND state = 'dead'"), 15, "the unknown job to be dead")
    assert row == "dead|1|no handler for job kind interop.unknown-kind"
