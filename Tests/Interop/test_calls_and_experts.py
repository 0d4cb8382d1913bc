"""CallService and ExpertService on PostgreSQL, through grpcio and through the JSON routes.

Each test makes its own experts, with a specialty nobody else uses, so that matching and
listing only see what the test created. Times are a week ahead, inside the experts' hours.
"""

import datetime
import json
import urllib.error
import urllib.request
import uuid
import zoneinfo

import grpc
import pytest
from google.protobuf import json_format, timestamp_pb2

from auth import ADMIN_TOKEN, with_token
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc

TIMEOUT = 10
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def calls(server):
    with grpc.insecure_channel(server.address) as channel:
        yield rpc.CallServiceStub(with_token(channel))


@pytest.fixture
def experts(server):
    with grpc.insecure_channel(server.address) as channel:
        yield rpc.ExpertServiceStub(with_token(channel))


def rest(server, method, path, body=None):
    """(status, JSON) of a REST call; errors are answers too."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.base_url + path, data=data, method=method,
                                     headers={"content-type": "application/json",
                                              "authorization": f"Bearer {ADMIN_TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def next_weekday_at(hour, minute=0, weekday=0, zone=BERLIN):
    """A local time next week on `weekday` (0 = Monday), as an aware datetime."""
    today = datetime.datetime.now(zone).date()
    day = today + datetime.timedelta(days=7 + (weekday - today.weekday()) % 7)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def timestamp(moment):
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment.astimezone(datetime.timezone.utc))
    return value


def make_expert(experts, specialty, name="Dr. Test", zone="Europe/Berlin", hours=("09:00", "17:00")):
    """An expert working Monday to Friday in `zone`."""
    expert = pb.Expert(name=name, email=f"{uuid.uuid4().hex}@experts.example", specialties=[specialty],
                       timezone=zone)
    for day in range(1, 6):
        expert.weekly_hours.add(day=day, start_time=hours[0], end_time=hours[1])
    return experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT)


def book(calls, start, minutes=30, expert_id="", specialty="", request_id="", topic="Sleep", customer="user_1"):
    return calls.CreateCall(pb.CreateCallRequest(
        request_id=request_id, expert_id=expert_id, specialty=specialty, topic=topic,
        customer=pb.Customer(user_id=customer, email="ada@example.com", name="Ada", timezone="Europe/London"),
        scheduled_start=timestamp(start), scheduled_end=timestamp(start + datetime.timedelta(minutes=minutes)),
        customer_context=[pb.QuestionAnswer(question="Goal?", answer="Sleep better")]), timeout=TIMEOUT)


def status_of(call):
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code(), raised.value.details()


# Experts

def test_an_expert_created_over_rest_reads_back_over_grpc(server, experts):
    email = f"{uuid.uuid4().hex}@experts.example"
    status, created = rest(server, "POST", "/api/v1/experts", {"expert": {
        "name": "Dr. Rest", "email": email, "specialties": ["nutrition"], "timezone": "America/New_York",
        "weeklyHours": [{"day": "MONDAY", "startTime": "08:00", "endTime": "12:00"}]}})
    assert status == 200, created
    assert created["active"] is True and created["email"] == email
    read = experts.GetExpert(pb.GetExpertRequest(id=created["id"]), timeout=TIMEOUT)
    assert read.name == "Dr. Rest" and read.timezone == "America/New_York"
    assert [(h.day, h.start_time, h.end_time) for h in read.weekly_hours] == [(pb.MONDAY, "08:00", "12:00")]


def test_a_second_expert_with_the_same_email_is_already_exists(experts):
    email = f"{uuid.uuid4().hex}@experts.example"
    experts.CreateExpert(pb.CreateExpertRequest(expert=pb.Expert(name="A", email=email, timezone="UTC")), timeout=TIMEOUT)
    code, _ = status_of(lambda: experts.CreateExpert(
        pb.CreateExpertRequest(expert=pb.Expert(name="B", email=email.upper(), timezone="UTC")), timeout=TIMEOUT))
    assert code == grpc.StatusCode.ALREADY_EXISTS


def test_an_unknown_time_zone_or_overlapping_hours_are_invalid(experts):
    code, details = status_of(lambda: experts.CreateExpert(pb.CreateExpertRequest(expert=pb.Expert(
        name="A", email=f"{uuid.uuid4().hex}@x.example", timezone="Mars/Olympus")), timeout=TIMEOUT))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "Mars/Olympus" in details
    expert = make_expert(experts, uuid.uuid4().hex)
    request = pb.SetExpertAvailabilityRequest(expert_id=expert.id, weekly_hours=[
        pb.WeeklyHours(day=pb.MONDAY, start_time="09:00", end_time="12:00"),
        pb.WeeklyHours(day=pb.MONDAY, start_time="11:00", end_time="13:00")])
    code, _ = status_of(lambda: experts.SetExpertAvailability(request, timeout=TIMEOUT))
    assert code == grpc.StatusCode.INVALID_ARGUMENT


def test_get_expert_of_an_unknown_id_is_not_found(experts):
    code, _ = status_of(lambda: experts.GetExpert(pb.GetExpertRequest(id=str(uuid.uuid4())), timeout=TIMEOUT))
    assert code == grpc.StatusCode.NOT_FOUND


def test_list_experts_offers_slots_in_the_experts_hours_minus_booked_calls(server, experts, calls):
    specialty = uuid.uuid4().hex
    expert = make_expert(experts, specialty, hours=("09:00", "11:00"))
    monday_nine = next_weekday_at(9)
    book(calls, monday_nine + datetime.timedelta(minutes=30), expert_id=expert.id)
    status, listed = rest(server, "GET",
                          f"/api/v1/experts?specialty={specialty}&available_from="
                          f"{monday_nine.astimezone(datetime.timezone.utc).isoformat().replace('+00:00', 'Z')}"
                          f"&availableTo={(monday_nine + datetime.timedelta(hours=3)).astimezone(datetime.timezone.utc).isoformat().replace('+00:00', 'Z')}"
                          "&slot_minutes=30")
    assert status == 200, listed
    assert [e["id"] for e in listed["experts"]] == [expert.id]
    starts = [datetime.datetime.fromisoformat(s["start"].replace("Z", "+00:00")).astimezone(BERLIN).strftime("%H:%M")
              for s in listed["experts"][0]["availableSlots"]]
    # 09:00-11:00 in 15-minute steps, 30-minute slots, minus the call at 09:30-10:00.
    assert starts == ["09:00", "10:00", "10:15", "10:30"], starts


def test_set_availability_replaces_the_hours(experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    updated = experts.SetExpertAvailability(pb.SetExpertAvailabilityRequest(expert_id=expert.id, weekly_hours=[
        pb.WeeklyHours(day=pb.SATURDAY, start_time="10:00", end_time="12:00")]), timeout=TIMEOUT)
    assert [(h.day, h.start_time) for h in updated.weekly_hours] == [(pb.SATURDAY, "10:00")]


# Calls

def test_booking_a_named_expert_then_the_same_slot_again_is_already_exists(calls, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    start = next_weekday_at(10)
    call = book(calls, start, expert_id=expert.id)
    assert call.state == pb.CALL_STATE_SCHEDULED and call.expert_id == expert.id
    assert call.assignment.reason == pb.ASSIGNMENT_REASON_REQUESTED
    assert call.customer.email == "ada@example.com" and call.customer_context[0].answer == "Sleep better"
    code, _ = status_of(lambda: book(calls, start + datetime.timedelta(minutes=15), expert_id=expert.id))
    assert code == grpc.StatusCode.ALREADY_EXISTS


def test_a_request_id_makes_create_call_idempotent(calls, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    request_id = uuid.uuid4().hex
    first = book(calls, next_weekday_at(11), expert_id=expert.id, request_id=request_id)
    again = book(calls, next_weekday_at(11), expert_id=expert.id, request_id=request_id)
    assert again.id == first.id


def test_a_request_id_is_one_customers_key_not_everyones(calls, experts):
    """Two customers whose apps send the same key get a booking each, and each retry finds its own."""
    expert = make_expert(experts, uuid.uuid4().hex)
    request_id = "booking-1-" + uuid.uuid4().hex[:6]
    ada = book(calls, next_weekday_at(11), expert_id=expert.id, request_id=request_id, customer="user_ada")
    bo = book(calls, next_weekday_at(12), expert_id=expert.id, request_id=request_id, customer="user_bo")
    assert ada.id != bo.id and (ada.customer.user_id, bo.customer.user_id) == ("user_ada", "user_bo")
    assert book(calls, next_weekday_at(12), expert_id=expert.id, request_id=request_id, customer="user_bo").id == bo.id
    assert book(calls, next_weekday_at(11), expert_id=expert.id, request_id=request_id, customer="user_ada").id == ada.id


def test_a_booking_outside_the_hours_names_the_rule(calls, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    code, details = status_of(lambda: book(calls, next_weekday_at(20), expert_id=expert.id))
    assert code == grpc.StatusCode.FAILED_PRECONDITION and "hours" in details


def test_without_an_expert_the_least_loaded_fitting_one_is_matched(calls, experts):
    specialty = uuid.uuid4().hex
    busy = make_expert(experts, specialty, name="Busy")
    free = make_expert(experts, specialty, name="Free")
    make_expert(experts, uuid.uuid4().hex, name="Other specialty")
    book(calls, next_weekday_at(9), expert_id=busy.id)
    matched = book(calls, next_weekday_at(14), specialty=specialty)
    assert matched.expert_id == free.id
    assert matched.assignment.reason == pb.ASSIGNMENT_REASON_MATCHED
    assert {c.expert_id for c in matched.assignment.candidates} == {busy.id, free.id}


def test_with_nobody_free_matching_is_failed_precondition(calls):
    code, _ = status_of(lambda: book(calls, next_weekday_at(10), specialty=uuid.uuid4().hex))
    assert code == grpc.StatusCode.FAILED_PRECONDITION


def with_fields_without_presence(message):
    """Google's JSON of a message as REST answers it (grpc-gateway's default): every field
    without presence printed, at its default when unpopulated. REST also prints unset
    messages as null (Go protojson's EmitUnpopulated), which Python leaves out."""
    return json_format.MessageToDict(message, always_print_fields_with_no_presence=True)


def without_nulls(value):
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def test_get_call_over_rest_is_grpcs_call_with_its_unpopulated_fields(server, calls, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    call = book(calls, next_weekday_at(12), expert_id=expert.id)
    status, body = rest(server, "GET", f"/api/v1/calls/{call.id}")
    assert status == 200, body
    read = calls.GetCall(pb.GetCallRequest(id=call.id), timeout=TIMEOUT)
    assert without_nulls(body) == with_fields_without_presence(read)
    # A new call: not started, no reschedule, no video room yet; browser code reads them unguarded.
    assert body["startedAt"] is None and body["endedAt"] is None
    assert body["cancellationReason"] == "" and body["noShowParty"] == "NO_SHOW_PARTY_UNSPECIFIED"
    assert body["assignment"]["candidates"] == []
    assert [key for key, value in body.items() if value is None] == [
        field.json_name for field in pb.Call.DESCRIPTOR.fields
        if field.message_type is not None and not field.is_repeated and not read.HasField(field.name)]


def test_get_expert_over_rest_is_grpcs_expert_with_its_unpopulated_fields(server, experts):
    created = experts.CreateExpert(pb.CreateExpertRequest(expert=pb.Expert(
        name="Dr. Sparse", email=f"{uuid.uuid4().hex}@experts.example", specialties=[uuid.uuid4().hex],
        timezone="Europe/Berlin")), timeout=TIMEOUT)
    status, body = rest(server, "GET", f"/api/v1/experts/{created.id}")
    assert status == 200, body
    read = experts.GetExpert(pb.GetExpertRequest(id=created.id), timeout=TIMEOUT)
    assert without_nulls(body) == with_fields_without_presence(read)
    assert body["weeklyHours"] == [] and body["dateOverrides"] == [] and body["availableSlots"] == []
    assert body["active"] is True  # proto3 optional: printed because it is set


def test_upcoming_calls_of_an_expert_page_in_start_order(calls, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    ids = [book(calls, next_weekday_at(hour), expert_id=expert.id).id for hour in (15, 9, 12)]
    seen, token = [], ""
    while True:
        page = calls.ListUpcomingCalls(pb.ListUpcomingCallsRequest(expert_id=expert.id, page_size=2, page_token=token),
                                       timeout=TIMEOUT)
        seen += [c.id for c in page.calls]
        token = page.next_page_token
        if not token:
            break
    assert seen == [ids[1], ids[2], ids[0]]


def test_complete_is_idempotent_and_cancel_after_it_names_both_states(calls, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    call = book(calls, next_weekday_at(13), expert_id=expert.id)
    done = calls.CompleteCall(pb.CompleteCallRequest(id=call.id), timeout=TIMEOUT)
    assert done.state == pb.CALL_STATE_COMPLETED and done.HasField("ended_at")
    again = calls.CompleteCall(pb.CompleteCallRequest(id=call.id), timeout=TIMEOUT)
    assert again.ended_at == done.ended_at
    code, details = status_of(lambda: calls.CancelCall(pb.CancelCallRequest(id=call.id, reason="late"), timeout=TIMEOUT))
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    assert "COMPLETED" in details and "CANCELLED" in details


def test_cancelling_over_rest_frees_the_slot(server, calls, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    start = next_weekday_at(16)
    call = book(calls, start, expert_id=expert.id)
    status, cancelled = rest(server, "POST", f"/api/v1/calls/{call.id}/cancel", {"reason": "sick"})
    assert status == 200, cancelled
    assert cancelled["state"] == "CALL_STATE_CANCELLED" and cancelled["cancellationReason"] == "sick"
    assert book(calls, start, expert_id=expert.id).state == pb.CALL_STATE_SCHEDULED


def test_recordings_of_a_new_call_are_empty_and_of_an_unknown_call_not_found(server, calls, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    call = book(calls, next_weekday_at(9, 30), expert_id=expert.id)
    status, body = rest(server, "GET", f"/api/v1/calls/{call.id}/recordings")
    assert status == 200 and body.get("recordings", []) == []
    status, body = rest(server, "GET", f"/api/v1/calls/{uuid.uuid4()}/recordings")
    assert status == 404 and body["code"] == 5


# The same RPCs over REST (proto3 JSON, path and query parameters)

def iso(moment):
    return moment.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def test_book_list_and_complete_over_rest(server, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    start = next_weekday_at(14, 30)
    status, call = rest(server, "POST", "/api/v1/calls", {
        "expert_id": expert.id, "topic": "Snacks", "request_id": uuid.uuid4().hex,
        "customer": {"userId": "user_9", "email": "eve@example.com", "name": "Eve"},
        "scheduledStart": iso(start), "scheduledEnd": iso(start + datetime.timedelta(minutes=45)),
        "customerContext": [{"question": "Diet?", "answer": "Vegan"}]})
    assert status == 200, call
    assert call["state"] == "CALL_STATE_SCHEDULED" and call["customerContext"] == [{"question": "Diet?", "answer": "Vegan"}]

    status, upcoming = rest(server, "GET", f"/api/v1/calls/upcoming?expert_id={expert.id}&pageSize=10")
    assert status == 200 and [c["id"] for c in upcoming["calls"]] == [call["id"]], upcoming

    status, done = rest(server, "POST", f"/api/v1/calls/{call['id']}/complete", {})
    assert status == 200 and done["state"] == "CALL_STATE_COMPLETED" and "endedAt" in done, done
    status, error = rest(server, "POST", f"/api/v1/calls/{call['id']}/cancel", {"reason": "x"})
    assert status == 400 and error["code"] == 9, error


def test_expert_read_and_availability_over_rest(server, experts):
    expert = make_expert(experts, uuid.uuid4().hex)
    status, read = rest(server, "GET", f"/api/v1/experts/{expert.id}")
    assert status == 200 and read["id"] == expert.id and read["timezone"] == "Europe/Berlin", read
    status, updated = rest(server, "PUT", f"/api/v1/experts/{expert.id}/availability", {
        "weeklyHours": [{"day": "SUNDAY", "startTime": "07:00", "endTime": "08:00"}],
        "timeOff": [{"start": iso(next_weekday_at(9)), "end": iso(next_weekday_at(12))}]})
    assert status == 200, updated
    assert updated["weeklyHours"] == [{"day": "SUNDAY", "startTime": "07:00", "endTime": "08:00"}]
    assert len(updated["timeOff"]) == 1
    status, error = rest(server, "PUT", f"/api/v1/experts/{uuid.uuid4()}/availability", {})
    assert status == 404 and error["code"] == 5, error
