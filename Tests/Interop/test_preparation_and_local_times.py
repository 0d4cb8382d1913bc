"""Preparation instructions and local times against the real binary, over grpcio and REST.

The module's server reads PREPARATION_FILE from a temporary file and sends reminders to a
loopback Trigger.dev (trigger_api_fake.py): a call stores the text resolved at booking (the
expert's own, else the specialty's default, else the generic one), shows it in its answers,
and its reminders carry it. Slots and calls carry local times in the zone asked for, the
expert's or the customer's. A file that is missing, not JSON, or has a non-string value stops
the server at start, naming the variable.
"""

import datetime
import json
import uuid
import zoneinfo

import grpc
import pytest
from google.protobuf import timestamp_pb2

from auth import ADMIN_TOKEN, with_token
from databases import fresh_database, wait_for
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from server import Server, start_failure
from test_calendly_webhooks import deliver, invitee, new_invitee_uri
from test_stream_video import rest
from trigger_api_fake import TriggerAPIFake

TRIGGER_KEY = "tr_dev_interop_preparation"
TIMEOUT = 10
WITHIN = 15
SLEEP_TEXT = "Bring your sleep diary of the last two weeks."
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@pytest.fixture(scope="module")
def preparation_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("preparation") / "preparation.json"
    path.write_text(json.dumps({"Sleep": SLEEP_TEXT, "nutrition": "Note what you ate for three days."}))
    return path


@pytest.fixture(scope="module")
def trigger():
    with TriggerAPIFake(api_key=TRIGGER_KEY) as fake:
        yield fake


@pytest.fixture(scope="module")
def server(preparation_file, trigger):
    with fresh_database("cb_preparation") as url:
        process = Server(database_url=url, extra_environment={
            "PREPARATION_FILE": str(preparation_file), "TRIGGER_DEV_BASE_URL": trigger.url,
            "TRIGGER_DEV_API_KEY": TRIGGER_KEY, "JOB_RETRY_BASE_SECONDS": "1"})
        try:
            yield process
            process.stop()
        finally:
            process.close()


@pytest.fixture(scope="module")
def stubs(server):
    with grpc.insecure_channel(server.address) as channel:
        channel = with_token(channel, ADMIN_TOKEN)
        yield rpc.CallServiceStub(channel), rpc.ExpertServiceStub(channel)


def z(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_text(moment, zone):
    """RFC 3339 with the zone's offset, as Python's own tz database gives it."""
    text = moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M:%S%z")
    return text[:-2] + ":" + text[-2:]


def days_ahead(days, hour=9):
    day = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.timezone.utc)


def new_expert(server, specialty, zone="Europe/Berlin", preparation="", calendly_uri=None):
    tag = uuid.uuid4().hex[:10]
    expert = {"name": f"Dr. Prep {tag}", "email": f"{tag}@experts.example", "timezone": zone,
              "specialties": [specialty], "preparationInstructions": preparation,
              "weeklyHours": [{"day": day, "startTime": "00:00", "endTime": "24:00"} for day in DAYS]}
    if calendly_uri:
        expert["calendlyUserUri"] = calendly_uri
    status, created = rest(server, "POST", "/api/v1/experts", ADMIN_TOKEN, {"expert": expert})
    assert status == 200, created
    return created


def book(server, start, expert=None, specialty="", customer_zone="America/New_York"):
    tag = uuid.uuid4().hex[:10]
    body = {"topic": "Sleep routine", "specialty": specialty,
            "customer": {"userId": f"user_p_{tag}", "email": f"{tag}@customers.example", "name": "Bo",
                         "timezone": customer_zone},
            "scheduledStart": z(start), "scheduledEnd": z(start + datetime.timedelta(minutes=30))}
    if expert:
        body["expertId"] = expert["id"]
    status, call = rest(server, "POST", "/api/v1/calls", ADMIN_TOKEN, body)
    assert status == 200, call
    return call


# --- Preparation -------------------------------------------------------------------------------

def test_a_call_keeps_the_experts_own_text_else_the_files_default_else_the_generic_one(server, stubs):
    own = new_expert(server, f"s{uuid.uuid4().hex[:8]}", preparation="Have your last blood test to hand.")
    assert own["preparationInstructions"] == "Have your last blood test to hand."
    sleeper = new_expert(server, "sleep")
    other = new_expert(server, f"s{uuid.uuid4().hex[:8]}")

    assert book(server, days_ahead(3), own)["preparationInstructions"] == "Have your last blood test to hand."
    # The file's key "Sleep" matches the specialty "sleep": case is ignored, as in matching.
    matched = book(server, days_ahead(3, hour=10), specialty="SLEEP")
    assert matched["expertId"] == sleeper["id"]
    assert matched["preparationInstructions"] == SLEEP_TEXT
    # Named expert, no specialty in the request: the expert's specialty gives the default.
    assert book(server, days_ahead(3, hour=11), sleeper)["preparationInstructions"] == SLEEP_TEXT
    generic = book(server, days_ahead(3), other)["preparationInstructions"]
    assert generic and generic not in (SLEEP_TEXT, "")
    # The built-in defaults are replaced by the file: "fitness" has none here.

    calls, _ = stubs
    read = calls.GetCall(pb.GetCallRequest(id=matched["id"]), timeout=TIMEOUT)
    assert read.preparation_instructions == SLEEP_TEXT


def test_an_experts_text_over_the_limit_is_invalid_argument(server, stubs):
    _, experts = stubs
    with pytest.raises(grpc.RpcError) as raised:
        experts.CreateExpert(pb.CreateExpertRequest(expert=pb.Expert(
            name="Dr. Long", timezone="UTC", specialties=["x"], preparation_instructions="x" * 4001)), timeout=TIMEOUT)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "preparation_instructions" in raised.value.details()


def test_a_calendly_booking_resolves_the_text_of_its_host(server):
    uri = f"https://api.calendly.com/users/{uuid.uuid4().hex.upper()}"
    host = new_expert(server, "sleep", calendly_uri=uri)
    invitee_uri = new_invitee_uri()
    answer = deliver(server, "invitee.created", invitee(invitee_uri, days_ahead(5, hour=12), hosts=[(uri, host["email"])]))
    status, call = rest(server, "GET", f"/api/v1/calls/{answer['callId']}", ADMIN_TOKEN)
    assert status == 200, call
    assert call["expertId"] == host["id"]
    assert call["preparationInstructions"] == SLEEP_TEXT
    # Calendly's invitee timezone is the customer's.
    assert call["customerLocalStart"] == local_text(days_ahead(5, hour=12), "Europe/Berlin")


def test_the_reminders_carry_the_calls_text(server, trigger):
    expert = new_expert(server, "nutrition")
    call = book(server, days_ahead(2), expert)
    assert call["preparationInstructions"] == "Note what you ate for three days."
    reminders = wait_for(
        lambda: [r for r in trigger.triggers("call-booking.reminder") if r.body["payload"]["callId"] == call["id"]],
        WITHIN, "the reminders")
    for request in reminders:
        assert request.body["payload"]["preparationInstructions"] == "Note what you ate for three days."


@pytest.mark.parametrize("content, named", [
    (None, "cannot read"),
    ("not json", "not a JSON object"),
    ('{"sleep": 42}', 'the value of \\"sleep\\" in'),   # stderr is JSON log lines
    ('["a list"]', "not a JSON object"),
    ('{"sleep": ""}', "empty"),
    ('{"sleep": "a", "Sleep ": "b"}', "twice"),
])
def test_a_bad_preparation_file_stops_the_server_at_start(tmp_path, content, named):
    path = tmp_path / "preparation.json"
    if content is not None:
        path.write_text(content)
    code, stderr = start_failure({"PREPARATION_FILE": str(path)})
    assert code != 0
    assert "PREPARATION_FILE" in stderr and named in stderr, stderr[-2000:]


# --- Local times -------------------------------------------------------------------------------

def test_slots_carry_local_times_in_the_requested_zone_else_the_experts(server, stubs):
    specialty = f"s{uuid.uuid4().hex[:8]}"
    new_expert(server, specialty, zone="Asia/Tokyo")
    start = days_ahead(6)
    window = f"availableFrom={z(start)}&availableTo={z(start + datetime.timedelta(hours=1))}"
    status, listed = rest(server, "GET", f"/api/v1/experts?specialty={specialty}&{window}", ADMIN_TOKEN)
    assert status == 200, listed
    slot = listed["experts"][0]["availableSlots"][0]
    assert slot["localStart"] == local_text(start, "Asia/Tokyo")
    assert slot["localEnd"] == local_text(start + datetime.timedelta(minutes=30), "Asia/Tokyo")

    _, experts = stubs
    request = pb.ListExpertsRequest(specialty=specialty, timezone="America/Sao_Paulo")
    request.available_from.FromDatetime(start)
    request.available_to.FromDatetime(start + datetime.timedelta(hours=1))
    answer = experts.ListExperts(request, timeout=TIMEOUT)
    first = answer.experts[0].available_slots[0]
    assert first.local_start == local_text(start, "America/Sao_Paulo")
    assert first.start.ToDatetime(tzinfo=datetime.timezone.utc) == start


def test_an_unknown_zone_is_invalid_argument_over_grpc_and_rest(server, stubs):
    status, error = rest(server, "GET", "/api/v1/experts?timezone=Mars/Olympus", ADMIN_TOKEN)
    assert (status, error["code"]) == (400, 3), error
    _, experts = stubs
    with pytest.raises(grpc.RpcError) as raised:
        experts.ListExperts(pb.ListExpertsRequest(timezone="Europe/Nowhere"), timeout=TIMEOUT)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "timezone" in raised.value.details()


def test_a_call_carries_its_start_in_the_customers_and_the_experts_zones(server, stubs):
    expert = new_expert(server, f"s{uuid.uuid4().hex[:8]}", zone="Europe/Berlin")
    start = days_ahead(4, hour=15)
    call = book(server, start, expert, customer_zone="America/New_York")
    assert call["customerLocalStart"] == local_text(start, "America/New_York")
    assert call["expertLocalStart"] == local_text(start, "Europe/Berlin")

    calls, _ = stubs
    read = calls.GetCall(pb.GetCallRequest(id=call["id"]), timeout=TIMEOUT)
    assert read.expert_local_start == local_text(start, "Europe/Berlin")
    # Without the customer's zone there is no local start for them.
    unknown = book(server, days_ahead(4, hour=16), expert, customer_zone="")
    assert unknown["customerLocalStart"] == ""
    assert unknown["expertLocalStart"] == local_text(days_ahead(4, hour=16), "Europe/Berlin")


def test_time_off_carries_local_times_in_the_experts_zone(server, stubs):
    expert = new_expert(server, f"s{uuid.uuid4().hex[:8]}", zone="America/New_York")
    start = days_ahead(8)
    off = {"start": z(start), "end": z(start + datetime.timedelta(hours=2)),
           "localStart": "ignored on input", "localEnd": "ignored"}
    status, updated = rest(server, "PUT", f"/api/v1/experts/{expert['id']}/availability", ADMIN_TOKEN,
                           {"timeOff": [off]})
    assert status == 200, updated
    assert updated["timeOff"][0]["localStart"] == local_text(start, "America/New_York")
    assert updated["timeOff"][0]["localEnd"] == local_text(start + datetime.timedelta(hours=2), "America/New_York")
