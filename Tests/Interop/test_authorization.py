"""CONTRACT.md "Who may do what": every RPC, for eight kinds of caller, over gRPC and REST.

Callers: no token, a badly signed token, an expired one, the call's customer, another
customer, the call's expert, another expert, an admin. Resources are made fresh by an admin
for every case that could change them, so each case sees the same world.
"""

import datetime
import json
import time
import urllib.error
import urllib.request
import uuid

import os

import grpc
import pytest
from google.protobuf import field_mask_pb2, json_format, timestamp_pb2

from auth import ADMIN_TOKEN, DEV_KEY, DevKey, with_token
from databases import psql
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc

TIMEOUT = 10
OK, UNAUTHENTICATED, DENIED, UNIMPLEMENTED = "OK", "UNAUTHENTICATED", "PERMISSION_DENIED", "UNIMPLEMENTED"
CALLERS = ["none", "bad_signature", "expired", "customer", "other_customer", "expert", "other_expert", "admin"]
STRANGER_KEY = DevKey.generate()


def token_for(caller, world):
    if caller == "none":
        return None
    if caller == "bad_signature":
        return STRANGER_KEY.token(world["customer"], "admin")
    if caller == "expired":
        return DEV_KEY.token(world["customer"], "customer", now=time.time() - 7200, lifetime=60)
    role = {"customer": "customer", "other_customer": "customer", "expert": "expert",
            "other_expert": "expert", "admin": "admin"}[caller]
    return DEV_KEY.token(world[caller], role, f"{caller}@interop.example")


def expect(row):
    """Expand a row of the table: the three bad credentials, then the five callers."""
    return dict(zip(CALLERS, [UNAUTHENTICATED] * 3 + row))


TABLE = {
    "CreateCall": expect([OK, DENIED, DENIED, DENIED, OK]),
    "GetCall": expect([OK, DENIED, OK, DENIED, OK]),
    "WatchCall": expect([OK, DENIED, OK, DENIED, OK]),
    "CreateCallToken": expect([OK, DENIED, OK, DENIED, OK]),
    "ListUpcomingCalls": expect([OK, OK, OK, DENIED, OK]),
    # Filtered to the world's customer: another customer may not ask; another expert sees none.
    "ListCalls": expect([OK, DENIED, OK, OK, OK]),
    "GetCallTimeline": expect([OK, DENIED, OK, DENIED, OK]),
    "CompleteCall": expect([DENIED, DENIED, OK, DENIED, OK]),
    "CancelCall": expect([OK, DENIED, OK, DENIED, OK]),
    "ListCallRecordings": expect([OK, DENIED, OK, DENIED, OK]),
    "ReassignCall": expect([DENIED] * 4 + [OK]),
    "GetCallAnalytics": expect([DENIED, DENIED, OK, DENIED, OK]),
    "CreateBookingLink": expect([OK, DENIED, DENIED, DENIED, OK]),
    "ListExperts": expect([OK] * 5),
    "GetExpert": expect([OK] * 5),
    "CreateExpert": expect([DENIED] * 4 + [OK]),
    "SetExpertAvailability": expect([DENIED, DENIED, OK, DENIED, OK]),
    "UpdateExpert": expect([DENIED, DENIED, OK, DENIED, OK]),
    "GetExpertLoad": expect([DENIED, DENIED, OK, DENIED, OK]),
    "HoldSlot": expect([OK, DENIED, DENIED, DENIED, OK]),
    "ReleaseHold": expect([OK, DENIED, DENIED, DENIED, OK]),
    "ListJobs": expect([DENIED] * 4 + [OK]),
    "RetryJob": expect([DENIED] * 4 + [OK]),
    "ListWebhookDeliveries": expect([DENIED] * 4 + [OK]),
}
SERVER_STREAMING = {"WatchCall"}
HTTP = {OK: 200, UNAUTHENTICATED: 401, DENIED: 403, UNIMPLEMENTED: 501}


def timestamp(moment):
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


@pytest.fixture(scope="module")
def admin(server):
    with grpc.insecure_channel(server.address) as channel:
        channel = with_token(channel, ADMIN_TOKEN)
        yield rpc.CallServiceStub(channel), rpc.ExpertServiceStub(channel)


slot_counter = iter(range(10_000))


def make_world(admin):
    """An expert and another expert (each linked to a Clerk user), and a call of the customer
    with the first expert, at a slot of its own."""
    calls, experts = admin
    tag = uuid.uuid4().hex[:10]
    world = {"customer": f"user_c_{tag}", "other_customer": f"user_oc_{tag}", "expert": f"user_e_{tag}",
             "other_expert": f"user_oe_{tag}", "admin": f"user_a_{tag}"}
    for key in ("expert", "other_expert"):
        expert = pb.Expert(name=f"{key} {tag}", email=f"{key}.{tag}@interop.example", timezone="UTC",
                           clerk_user_id=world[key])
        for day in range(1, 8):
            expert.weekly_hours.add(day=day, start_time="00:00", end_time="24:00")
        world[f"{key}_id"] = experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT).id
    world["slot"] = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0) \
        + datetime.timedelta(days=30, hours=next(slot_counter))
    world["call_id"] = calls.CreateCall(book_request(world, world["slot"]), timeout=TIMEOUT).id
    held = world["slot"] + datetime.timedelta(hours=6)
    world["hold_id"] = experts.HoldSlot(pb.HoldSlotRequest(
        expert_id=world["expert_id"], customer_user_id=world["customer"], start=timestamp(held),
        end=timestamp(held + datetime.timedelta(minutes=30))), timeout=TIMEOUT).id
    # A dead job for RetryJob (jobs die only by failing, which no RPC can cause).
    world["dead_job_id"] = psql(
        os.environ["INTEROP_DATABASE_URL"],
        "INSERT INTO calls.jobs (kind, state, attempts, last_error, finished_at) "
        "VALUES ('authorization.test', 'dead', 8, 'gave up', now()) RETURNING id").splitlines()[0]
    return world


def book_request(world, start):
    return pb.CreateCallRequest(
        expert_id=world["expert_id"], topic="auth", customer=pb.Customer(user_id=world["customer"]),
        scheduled_start=timestamp(start), scheduled_end=timestamp(start + datetime.timedelta(minutes=30)))


def request_for(rpc_name, world):
    """(request message, REST method, REST path) of each RPC against the world."""
    later = world["slot"] + datetime.timedelta(hours=2)
    return {
        "CreateCall": (book_request(world, later), "POST", "/api/v1/calls"),
        "GetCall": (pb.GetCallRequest(id=world["call_id"]), "GET", f"/api/v1/calls/{world['call_id']}"),
        "WatchCall": (pb.GetCallRequest(id=world["call_id"]), "GET", f"/api/v1/calls/{world['call_id']}/events"),
        "CreateCallToken": (pb.CreateCallTokenRequest(call_id=world["call_id"]), "POST",
                            f"/api/v1/calls/{world['call_id']}/token"),
        "ListUpcomingCalls": (pb.ListUpcomingCallsRequest(expert_id=world["expert_id"]), "GET",
                              f"/api/v1/calls/upcoming?expert_id={world['expert_id']}"),
        "ListCalls": (pb.ListCallsRequest(customer_user_id=world["customer"]), "GET",
                      f"/api/v1/calls?customer_user_id={world['customer']}"),
        "GetCallTimeline": (pb.GetCallTimelineRequest(call_id=world["call_id"]), "GET",
                            f"/api/v1/calls/{world['call_id']}/timeline"),
        "CompleteCall": (pb.CompleteCallRequest(id=world["call_id"]), "POST",
                         f"/api/v1/calls/{world['call_id']}/complete"),
        "CancelCall": (pb.CancelCallRequest(id=world["call_id"], reason="auth"), "POST",
                       f"/api/v1/calls/{world['call_id']}/cancel"),
        "ListCallRecordings": (pb.ListCallRecordingsRequest(call_id=world["call_id"]), "GET",
                               f"/api/v1/calls/{world['call_id']}/recordings"),
        "ReassignCall": (pb.ReassignCallRequest(id=world["call_id"], expert_id=world["other_expert_id"],
                                                reason="auth"), "POST",
                         f"/api/v1/calls/{world['call_id']}/reassign"),
        "GetCallAnalytics": (pb.GetCallAnalyticsRequest(expert_id=world["expert_id"]), "GET",
                             f"/api/v1/analytics/calls?expert_id={world['expert_id']}"),
        "CreateBookingLink": (pb.CreateBookingLinkRequest(
            user_id=world["customer"], scheduling_url="https://calendly.com/loop"), "POST", "/api/v1/booking-links"),
        "ListExperts": (pb.ListExpertsRequest(), "GET", "/api/v1/experts"),
        "GetExpert": (pb.GetExpertRequest(id=world["expert_id"]), "GET", f"/api/v1/experts/{world['expert_id']}"),
        "CreateExpert": (pb.CreateExpertRequest(expert=pb.Expert(
            name="New", email=f"{uuid.uuid4().hex}@interop.example", timezone="UTC")), "POST", "/api/v1/experts"),
        "SetExpertAvailability": (pb.SetExpertAvailabilityRequest(expert_id=world["expert_id"], weekly_hours=[
            pb.WeeklyHours(day=pb.MONDAY, start_time="08:00", end_time="18:00")]), "PUT",
            f"/api/v1/experts/{world['expert_id']}/availability"),
        "UpdateExpert": (pb.UpdateExpertRequest(
            expert=pb.Expert(id=world["expert_id"], name="Renamed"), update_mask=field_mask_pb2.FieldMask(paths=["name"])),
            "PATCH", f"/api/v1/experts/{world['expert_id']}?updateMask=name"),
        "GetExpertLoad": (pb.GetExpertLoadRequest(expert_id=world["expert_id"]), "GET",
                          f"/api/v1/experts/{world['expert_id']}/load"),
        "HoldSlot": (pb.HoldSlotRequest(
            expert_id=world["expert_id"], customer_user_id=world["customer"],
            start=timestamp(world["slot"] + datetime.timedelta(hours=4)),
            end=timestamp(world["slot"] + datetime.timedelta(hours=4, minutes=30))), "POST", "/api/v1/holds"),
        "ReleaseHold": (pb.ReleaseHoldRequest(id=world["hold_id"]), "DELETE", f"/api/v1/holds/{world['hold_id']}"),
        "ListJobs": (pb.ListJobsRequest(state=pb.JOB_STATE_DEAD), "GET", "/api/v1/ops/jobs?state=JOB_STATE_DEAD"),
        "RetryJob": (pb.RetryJobRequest(id=world["dead_job_id"], reason="auth"), "POST",
                     f"/api/v1/ops/jobs/{world['dead_job_id']}/retry"),
        "ListWebhookDeliveries": (pb.ListWebhookDeliveriesRequest(provider="calendly"), "GET",
                                  "/api/v1/ops/webhook-deliveries?provider=calendly"),
    }[rpc_name]


def service_of(rpc_name):
    for service in ("CallService", "ExpertService", "OperationsService"):
        if rpc_name in pb.DESCRIPTOR.services_by_name[service].methods_by_name:
            return service
    raise KeyError(rpc_name)


def call_grpc(server, rpc_name, request, token):
    with grpc.insecure_channel(server.address) as channel:
        if token is not None:
            channel = with_token(channel, token)
        stub = getattr(rpc, service_of(rpc_name) + "Stub")(channel)
        try:
            answer = getattr(stub, rpc_name)(request, timeout=TIMEOUT)
            if rpc_name in SERVER_STREAMING:  # its first message decides
                next(answer)
                answer.cancel()
            return OK
        except grpc.RpcError as error:
            return error.code().name


def call_rest(server, method, path, request, token):
    body = None
    if method in ("POST", "PUT"):
        body = json_format.MessageToJson(request).encode()
    elif method == "PATCH":  # body: "expert"
        body = json_format.MessageToJson(request.expert).encode()
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    http = urllib.request.Request(server.base_url + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(http, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


CASES = [(rpc_name, caller) for rpc_name in TABLE for caller in CALLERS]


@pytest.mark.parametrize(("rpc_name", "caller"), CASES, ids=[f"{r}-{c}" for r, c in CASES])
def test_grpc(server, admin, rpc_name, caller):
    world = make_world(admin)
    request, _, _ = request_for(rpc_name, world)
    assert call_grpc(server, rpc_name, request, token_for(caller, world)) == TABLE[rpc_name][caller]


@pytest.mark.parametrize(("rpc_name", "caller"), CASES, ids=[f"{r}-{c}" for r, c in CASES])
def test_rest(server, admin, rpc_name, caller):
    world = make_world(admin)
    request, method, path = request_for(rpc_name, world)
    assert call_rest(server, method, path, request, token_for(caller, world)) == HTTP[TABLE[rpc_name][caller]]


def test_private_expert_fields_are_for_the_expert_and_admins(server, admin):
    world = make_world(admin)
    seen = {}
    for caller in ("customer", "expert", "other_expert", "admin"):
        status = urllib.request.Request(server.base_url + f"/api/v1/experts/{world['expert_id']}",
                                        headers={"authorization": f"Bearer {token_for(caller, world)}"})
        with urllib.request.urlopen(status, timeout=TIMEOUT) as response:
            seen[caller] = json.loads(response.read())
    # REST prints unpopulated fields: a hidden one reads as empty, never as the value.
    assert seen["customer"]["email"] == "" and seen["customer"]["clerkUserId"] == ""
    assert seen["other_expert"]["email"] == ""
    assert seen["expert"]["clerkUserId"] == world["expert"] and "@" in seen["admin"]["email"]


def test_a_customer_lists_only_their_own_upcoming_calls(server, admin):
    world = make_world(admin)
    with grpc.insecure_channel(server.address) as channel:
        own = rpc.CallServiceStub(with_token(channel, token_for("customer", world))).ListUpcomingCalls(
            pb.ListUpcomingCallsRequest(), timeout=TIMEOUT)
        other = rpc.CallServiceStub(with_token(channel, token_for("other_customer", world))).ListUpcomingCalls(
            pb.ListUpcomingCallsRequest(), timeout=TIMEOUT)
    assert [call.id for call in own.calls] == [world["call_id"]]
    assert list(other.calls) == []


def test_the_session_cookie_is_accepted_like_the_header(server, admin):
    world = make_world(admin)
    request = urllib.request.Request(server.base_url + f"/api/v1/calls/{world['call_id']}",
                                     headers={"cookie": f"theme=dark; __session={token_for('customer', world)}"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        assert json.loads(response.read())["id"] == world["call_id"]


def test_health_needs_no_token(server):
    with urllib.request.urlopen(server.base_url + "/api/health", timeout=TIMEOUT) as response:
        assert response.status == 200


def test_a_booking_without_a_user_id_becomes_the_call_of_the_customer_with_its_email(server, admin):
    calls, experts = admin
    world = make_world(admin)
    email = f"Claim.{uuid.uuid4().hex[:8]}@Interop.Example"
    start = world["slot"] + datetime.timedelta(hours=3)
    unclaimed = calls.CreateCall(pb.CreateCallRequest(
        expert_id=world["expert_id"], topic="claim", customer=pb.Customer(email=email),
        scheduled_start=timestamp(start), scheduled_end=timestamp(start + datetime.timedelta(minutes=30))),
        timeout=TIMEOUT)
    assert unclaimed.customer.user_id == ""
    stranger = DEV_KEY.token("user_stranger", "customer", "someone@else.example")
    owner = DEV_KEY.token("user_claimer", "customer", email.lower())
    with grpc.insecure_channel(server.address) as channel:
        with pytest.raises(grpc.RpcError) as raised:
            rpc.CallServiceStub(with_token(channel, stranger)).GetCall(pb.GetCallRequest(id=unclaimed.id), timeout=TIMEOUT)
        assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
        listed = rpc.CallServiceStub(with_token(channel, owner)).ListUpcomingCalls(
            pb.ListUpcomingCallsRequest(), timeout=TIMEOUT)
        assert [call.id for call in listed.calls] == [unclaimed.id]
        assert listed.calls[0].customer.user_id == "user_claimer"


def test_a_session_cookie_in_a_split_http2_cookie_header_is_found(server, admin):
    """HTTP/2 clients may send each cookie as its own `cookie` field (RFC 9113 8.2.3)."""
    world = make_world(admin)
    with grpc.insecure_channel(server.address) as channel:
        stub = rpc.CallServiceStub(channel)
        call = stub.GetCall(pb.GetCallRequest(id=world["call_id"]), timeout=TIMEOUT, metadata=[
            ("cookie", "theme=dark"), ("cookie", f"__session={token_for('customer', world)}")])
    assert call.id == world["call_id"]
