"""UpdateExpert over grpcio and over REST (PATCH with urllib, body: "expert"): the update
mask (a query parameter, or the fields the body sets), what each caller may change, and a
deactivated expert that is no longer matched. GetExpertLoad over both, for the expert and
for others.
"""

import datetime
import http.client
import json
import urllib.error
import urllib.request
import uuid

import grpc
import pytest
from google.protobuf import field_mask_pb2, timestamp_pb2

from auth import ADMIN_TOKEN, DEV_KEY, with_token
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc

TIMEOUT = 10


def new_expert(experts, specialty):
    """An expert linked to a fresh Clerk user, bookable all week; (id, that user's token)."""
    user = f"user_{uuid.uuid4().hex[:12]}"
    expert = pb.Expert(name="Grace", email=f"{user}@interop.example", timezone="UTC", specialties=[specialty],
                       clerk_user_id=user)
    for day in range(1, 8):
        expert.weekly_hours.add(day=day, start_time="00:00", end_time="24:00")
    created = experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT)
    return created.id, DEV_KEY.token(user, "expert", f"{user}@interop.example")


@pytest.fixture
def experts(server):
    with grpc.insecure_channel(server.address) as channel:
        yield rpc.ExpertServiceStub(with_token(channel))


def patch(server, expert_id, body, query="", token=ADMIN_TOKEN):
    """(status, JSON) of PATCH /api/v1/experts/{id}; errors are answers too."""
    request = urllib.request.Request(
        f"{server.base_url}/api/v1/experts/{expert_id}{query}", data=json.dumps(body).encode(), method="PATCH",
        headers={"content-type": "application/json", "authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def update(server, token, expert, paths):
    with grpc.insecure_channel(server.address) as channel:
        stub = rpc.ExpertServiceStub(with_token(channel, token))
        return stub.UpdateExpert(pb.UpdateExpertRequest(
            expert=expert, update_mask=field_mask_pb2.FieldMask(paths=paths)), timeout=TIMEOUT)


def test_an_admin_updates_over_grpc_only_the_masked_fields(server, experts):
    expert_id, _ = new_expert(experts, "interop-manage")
    updated = update(server, ADMIN_TOKEN, pb.Expert(
        id=expert_id, name="Grace H.", topics=["COBOL", "compilers"], preparation_instructions="Bring the listing.",
        scheduling=pb.SchedulingRules(weight=3, priority=2), timezone="ignored/not masked"),
        ["name", "topics", "preparation_instructions", "scheduling.weight", "scheduling.priority"])
    assert (updated.name, list(updated.topics)) == ("Grace H.", ["COBOL", "compilers"])
    assert updated.preparation_instructions == "Bring the listing."
    assert (updated.scheduling.weight, updated.scheduling.priority, updated.timezone) == (3, 2, "UTC")
    read = experts.GetExpert(pb.GetExpertRequest(id=expert_id), timeout=TIMEOUT)
    assert list(read.topics) == ["COBOL", "compilers"] and read.scheduling.weight == 3


def test_rest_patch_takes_the_mask_from_the_query_or_from_the_body(server, experts):
    expert_id, _ = new_expert(experts, "interop-manage")
    # ?updateMask= names the fields: the body's other fields are ignored.
    status, body = patch(server, expert_id, {"name": "Renamed", "topics": ["not", "masked"]}, "?updateMask=name")
    assert status == 200, body
    assert body["name"] == "Renamed" and body["topics"] == []
    # Without it, the mask is what the body sets, nested messages included.
    status, body = patch(server, expert_id, {"topics": ["ledger"], "scheduling": {"priority": 4}})
    assert status == 200, body
    assert body["name"] == "Renamed" and body["topics"] == ["ledger"]
    assert body["scheduling"]["priority"] == 4 and body["scheduling"]["weight"] == 0
    # The path names the expert: an id in the body is neither the target nor a change.
    status, body = patch(server, expert_id, {"id": str(uuid.uuid4()), "name": "Path wins"})
    assert status == 200, body
    assert (body["id"], body["name"]) == (expert_id, "Path wins")
    # A mask that names the id asks to change it.
    status, body = patch(server, expert_id, {"name": "x"}, "?updateMask=id,name")
    assert (status, body["code"]) == (400, 3) and "id cannot be changed" in body["message"]


def test_bad_masks_and_identity_fields_are_invalid(server, experts):
    expert_id, _ = new_expert(experts, "interop-manage")
    for body, query, words in [
        ({"email": "new@interop.example"}, "", "email cannot be changed"),
        ({"clerkUserId": "user_x"}, "", "clerk_user_id cannot be changed"),
        ({"weeklyHours": []}, "", "unknown field \"weekly_hours\""),
        ({}, "", "update_mask must name"),
        ({"name": "x"}, "?updateMask=nickname", "unknown field \"nickname\""),
        ({"timezone": "Mars/Olympus"}, "", "timezone"),
    ]:
        status, answer = patch(server, expert_id, body, query)
        assert (status, answer["code"]) == (400, 3), (body, answer)
        assert words in answer["message"], answer
    status, answer = patch(server, str(uuid.uuid4()), {"name": "Nobody"})
    assert (status, answer["code"]) == (404, 5)


def test_an_expert_edits_their_profile_but_not_how_they_are_matched(server, experts):
    expert_id, token = new_expert(experts, "interop-manage")
    other_id, other_token = new_expert(experts, "interop-manage")
    status, body = patch(server, expert_id, {"name": "Self-named", "calendlyUserUri": ""}, token=token)
    assert (status, body["name"]) == (200, "Self-named")
    for field in ({"active": False}, {"scheduling": {"weight": 9}}, {"scheduling": {"priority": 9}}):
        status, answer = patch(server, expert_id, field, token=token)
        assert (status, answer["code"]) == (403, 7), field
        assert "is for admins" in answer["message"]
    # Another expert and a customer may change nothing of it, over gRPC too.
    assert patch(server, expert_id, {"name": "Hijack"}, token=other_token)[0] == 403
    customer = DEV_KEY.token("user_interop_customer", "customer", "c@interop.example")
    assert patch(server, expert_id, {"name": "Hijack"}, token=customer)[0] == 403
    with pytest.raises(grpc.RpcError) as denied:
        update(server, other_token, pb.Expert(id=expert_id, name="Hijack"), ["name"])
    assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert other_id


def test_a_deactivated_expert_is_not_matched_and_keeps_their_calls(server, experts):
    specialty = f"interop-deactivate-{uuid.uuid4().hex[:8]}"
    expert_id, _ = new_expert(experts, specialty)
    start = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0) \
        + datetime.timedelta(days=3)

    def booking(hours):
        begin, end = timestamp_pb2.Timestamp(), timestamp_pb2.Timestamp()
        begin.FromDatetime(start + datetime.timedelta(hours=hours))
        end.FromDatetime(start + datetime.timedelta(hours=hours, minutes=30))
        return pb.CreateCallRequest(specialty=specialty, topic="COBOL", scheduled_start=begin, scheduled_end=end,
                                    customer=pb.Customer(user_id="user_interop_c", email="c@interop.example",
                                                         name="C"))

    with grpc.insecure_channel(server.address) as channel:
        calls = rpc.CallServiceStub(with_token(channel))
        booked = calls.CreateCall(booking(0), timeout=TIMEOUT)
        assert booked.expert_id == expert_id
        status, body = patch(server, expert_id, {"active": False})
        assert (status, body["active"]) == (200, False)
        with pytest.raises(grpc.RpcError) as unmatched:
            calls.CreateCall(booking(2), timeout=TIMEOUT)
        assert unmatched.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        kept = calls.GetCall(pb.GetCallRequest(id=booked.id), timeout=TIMEOUT)
        assert (kept.state, kept.expert_id) == (pb.CALL_STATE_SCHEDULED, expert_id)


def test_the_load_counts_booked_minutes_calls_per_day_and_upcoming_calls(server, experts):
    specialty = f"interop-load-{uuid.uuid4().hex[:8]}"
    expert_id, token = new_expert(experts, specialty)
    experts.SetExpertAvailability(pb.SetExpertAvailabilityRequest(
        expert_id=expert_id, weekly_hours=[pb.WeeklyHours(day=day, start_time="00:00", end_time="24:00")
                                           for day in range(1, 8)],
        scheduling=pb.SchedulingRules(max_calls_per_day=5)), timeout=TIMEOUT)
    start = datetime.datetime.now(datetime.timezone.utc).replace(hour=9, minute=0, second=0, microsecond=0) \
        + datetime.timedelta(days=2)
    with grpc.insecure_channel(server.address) as channel:
        calls = rpc.CallServiceStub(with_token(channel))
        for minutes in (30, 45):
            begin, end = timestamp_pb2.Timestamp(), timestamp_pb2.Timestamp()
            begin.FromDatetime(start)
            end.FromDatetime(start + datetime.timedelta(minutes=minutes))
            calls.CreateCall(pb.CreateCallRequest(
                expert_id=expert_id, topic="load", scheduled_start=begin, scheduled_end=end,
                customer=pb.Customer(user_id="user_interop_c", email="c@interop.example", name="C")), timeout=TIMEOUT)
            start += datetime.timedelta(hours=2)
    with grpc.insecure_channel(server.address) as channel:
        load = rpc.ExpertServiceStub(with_token(channel, token)).GetExpertLoad(
            pb.GetExpertLoadRequest(expert_id=expert_id), timeout=TIMEOUT)
    assert load.upcoming_calls == 2 and load.max_calls_per_day == 5
    assert sum(week.booked_minutes for week in load.ledger_weeks) == 75
    assert [(day.date, day.calls) for day in load.days] == [(start.date().isoformat(), 2)]
    # Over REST, the same figures; a window longer than 366 days is refused.
    request = urllib.request.Request(f"{server.base_url}/api/v1/experts/{expert_id}/load",
                                     headers={"authorization": f"Bearer {ADMIN_TOKEN}"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        body = json.loads(response.read())
    assert body["upcomingCalls"] == 2 and body["days"] == [{"date": start.date().isoformat(), "calls": 2}]
    too_long = urllib.request.Request(
        f"{server.base_url}/api/v1/experts/{expert_id}/load?from=2030-01-01T00:00:00Z&to=2031-01-03T00:00:00Z",
        headers={"authorization": f"Bearer {ADMIN_TOKEN}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(too_long, timeout=TIMEOUT)
    assert refused.value.code == 400


def test_abuse_a_patch_too_large_too_deep_or_with_many_paths_is_refused_cleanly(server, experts):
    expert_id, _ = new_expert(experts, "interop-manage")
    host, port = server.base_url.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
    connection.putrequest("PATCH", f"/api/v1/experts/{expert_id}")
    connection.putheader("authorization", f"Bearer {ADMIN_TOKEN}")
    connection.putheader("content-type", "application/json")
    connection.putheader("content-length", str(100 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413  # refused from the head, the body never read
    connection.close()
    deep = {}
    for _ in range(300):
        deep = {"a": deep}
    many = {f"field{i}": i for i in range(5000)}
    for body in (deep, many):
        status, answer = patch(server, expert_id, body)
        assert (status, answer["code"]) == (400, 3)
    # The expert is unchanged and the server still answers.
    assert experts.GetExpert(pb.GetExpertRequest(id=expert_id), timeout=TIMEOUT).name == "Grace"
