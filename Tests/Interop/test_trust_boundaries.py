"""Issue 14's hostile callers, against the real binary: each test is what someone who should
not get in tries, and what the server must answer instead."""

import datetime
import os
import uuid

import grpc
import pytest

from auth import DEV_KEY, with_token
from databases import psql
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from test_authorization import admin, make_world, timestamp  # noqa: F401 (admin is a fixture)

TIMEOUT = 10

def half_hour(start):
    return timestamp(start), timestamp(start + datetime.timedelta(minutes=30))


def unclaimed_booking(admin, world, hours_later, email):
    """A booking with only an email, as a Calendly booking without a signed link arrives."""
    calls, _ = admin
    start, end = half_hour(world["slot"] + datetime.timedelta(hours=hours_later))
    call = calls.CreateCall(pb.CreateCallRequest(
        expert_id=world["expert_id"], topic="claim", customer=pb.Customer(email=email),
        scheduled_start=start, scheduled_end=end), timeout=TIMEOUT)
    assert call.customer.user_id == ""
    return call


def test_a_customer_cannot_book_under_another_email(server, admin):
    world = make_world(admin)
    token = DEV_KEY.token(world["customer"], "customer", "mine@interop.example")
    start, end = half_hour(world["slot"] + datetime.timedelta(hours=2))
    with grpc.insecure_channel(server.address) as channel:
        stub = rpc.CallServiceStub(with_token(channel, token))
        with pytest.raises(grpc.RpcError) as raised:
            stub.CreateCall(pb.CreateCallRequest(
                expert_id=world["expert_id"], topic="spoof", scheduled_start=start, scheduled_end=end,
                customer=pb.Customer(user_id=world["customer"], email="victim@interop.example")), timeout=TIMEOUT)
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        booked = stub.CreateCall(pb.CreateCallRequest(
            expert_id=world["expert_id"], topic="own", scheduled_start=start, scheduled_end=end,
            customer=pb.Customer()), timeout=TIMEOUT)
    assert booked.customer.email == "mine@interop.example"
    assert booked.customer.user_id == world["customer"]


def test_an_unverified_email_claims_no_booking_and_a_verified_claim_is_logged(server, admin):
    world = make_world(admin)
    email = f"victim.{uuid.uuid4().hex[:8]}@interop.example"
    call = unclaimed_booking(admin, world, 3, email)
    squatter = DEV_KEY.token("user_squatter_" + uuid.uuid4().hex[:6], "customer", email, email_verified=False)
    owner_id = "user_owner_" + uuid.uuid4().hex[:6]
    owner = DEV_KEY.token(owner_id, "customer", email.upper())
    with grpc.insecure_channel(server.address) as channel:
        listed = rpc.CallServiceStub(with_token(channel, squatter)).ListUpcomingCalls(
            pb.ListUpcomingCallsRequest(), timeout=TIMEOUT)
        assert list(listed.calls) == []
        with pytest.raises(grpc.RpcError) as raised:
            rpc.CallServiceStub(with_token(channel, squatter)).GetCall(pb.GetCallRequest(id=call.id), timeout=TIMEOUT)
        assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
        got = rpc.CallServiceStub(with_token(channel, owner)).GetCall(pb.GetCallRequest(id=call.id), timeout=TIMEOUT)
    assert got.customer.user_id == owner_id
    logged = psql(os.environ["INTEROP_DATABASE_URL"],
                  f"SELECT actor FROM calls.call_events WHERE call_id = '{call.id}' AND kind = 'claimed'")
    assert logged.splitlines() == [owner_id]


def test_a_cancelled_booking_is_not_claimed(server, admin):
    calls, _ = admin
    world = make_world(admin)
    email = f"late.{uuid.uuid4().hex[:8]}@interop.example"
    call = unclaimed_booking(admin, world, 4, email)
    calls.CancelCall(pb.CancelCallRequest(id=call.id, reason="test"), timeout=TIMEOUT)
    owner = DEV_KEY.token("user_late_" + uuid.uuid4().hex[:6], "customer", email)
    with grpc.insecure_channel(server.address) as channel:
        with pytest.raises(grpc.RpcError) as raised:
            rpc.CallServiceStub(with_token(channel, owner)).GetCall(pb.GetCallRequest(id=call.id), timeout=TIMEOUT)
    assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_a_thousand_holds_from_one_customer_leave_three(server, admin):
    world = make_world(admin)
    customer = "user_hoarder_" + uuid.uuid4().hex[:6]
    token = DEV_KEY.token(customer, "customer", f"{customer}@interop.example")
    codes = {}
    with grpc.insecure_channel(server.address) as channel:
        experts = rpc.ExpertServiceStub(with_token(channel, token))
        for n in range(1000):
            start, end = half_hour(world["slot"] + datetime.timedelta(days=1, minutes=30 * n))
            try:
                experts.HoldSlot(pb.HoldSlotRequest(expert_id=world["expert_id"], start=start, end=end), timeout=TIMEOUT)
                code = grpc.StatusCode.OK
            except grpc.RpcError as error:
                code = error.code()
            codes[code] = codes.get(code, 0) + 1
    assert codes == {grpc.StatusCode.OK: 3, grpc.StatusCode.RESOURCE_EXHAUSTED: 997}
