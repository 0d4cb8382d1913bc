"""WatchCall as grpcio and curl see it: the call first, then each change, including one made
through ANOTHER server process on the same database (a second replica), until the call is
final; GetCall's permissions; server-sent events at GET /api/v1/calls/{id}/events; the caps on
open watches; heartbeats; shutdown ending open watches."""

import datetime
import json
import subprocess
import time
import urllib.request
import uuid

import grpc
import pytest
from google.protobuf import json_format, timestamp_pb2

from connectrpc.protocol import ProtocolType

from auth import ADMIN_TOKEN, DEV_KEY, with_token
from connect_client import CALL_SERVICE, client, method
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from server import serving

TIMEOUT = 10
WATCH_CALL = method(CALL_SERVICE, "WatchCall", pb.GetCallRequest, pb.Call, read_only=True, streaming=True)
# Bounds a watch that would otherwise hang the test; the server ends the streams long before.
WATCH_DEADLINE = 30


def timestamp(moment):
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


slot_counter = iter(range(10_000))


def make_world(server):
    """Two experts, a customer and another customer, and a call of the customer with the first."""
    tag = uuid.uuid4().hex[:10]
    world = {"customer": f"user_wc_{tag}", "other_customer": f"user_woc_{tag}"}
    with grpc.insecure_channel(server.address) as channel:
        channel = with_token(channel, ADMIN_TOKEN)
        calls, experts = rpc.CallServiceStub(channel), rpc.ExpertServiceStub(channel)
        for key in ("expert", "other_expert"):
            expert = pb.Expert(name=f"{key} {tag}", email=f"{key}.{tag}@interop.example", timezone="UTC")
            for day in range(1, 8):
                expert.weekly_hours.add(day=day, start_time="00:00", end_time="24:00")
            world[f"{key}_id"] = experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT).id
        start = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0) \
            + datetime.timedelta(days=40, hours=next(slot_counter))
        world["call"] = calls.CreateCall(pb.CreateCallRequest(
            expert_id=world["expert_id"], topic="watch", customer=pb.Customer(user_id=world["customer"]),
            scheduled_start=timestamp(start), scheduled_end=timestamp(start + datetime.timedelta(minutes=30))),
            timeout=TIMEOUT)
    return world


def token(user, role="customer"):
    return DEV_KEY.token(user, role, f"{user}@interop.example")


def admin_calls(server):
    channel = grpc.insecure_channel(server.address)
    return channel, rpc.CallServiceStub(with_token(channel, ADMIN_TOKEN))


def test_a_watcher_gets_the_call_then_changes_made_through_another_replica_and_the_stream_ends(server, replica):
    world = make_world(server)
    call_id = world["call"].id
    with grpc.insecure_channel(server.address) as channel:
        watcher = rpc.CallServiceStub(with_token(channel, token(world["customer"])))
        stream = watcher.WatchCall(pb.GetCallRequest(id=call_id), timeout=WATCH_DEADLINE)
        first = next(stream)
        assert first == watcher.GetCall(pb.GetCallRequest(id=call_id), timeout=TIMEOUT)
        assert first.state == pb.CALL_STATE_SCHEDULED

        other_channel, elsewhere = admin_calls(replica)
        with other_channel:
            elsewhere.ReassignCall(pb.ReassignCallRequest(
                id=call_id, expert_id=world["other_expert_id"], reason="watch"), timeout=TIMEOUT)
            moved = next(stream)
            assert moved.expert_id == world["other_expert_id"] and moved.state == pb.CALL_STATE_SCHEDULED
            elsewhere.CompleteCall(pb.CompleteCallRequest(id=call_id), timeout=TIMEOUT)
            done = next(stream)
        assert done.state == pb.CALL_STATE_COMPLETED
        # A final call ends the stream, with OK.
        assert list(stream) == []
        assert stream.code() == grpc.StatusCode.OK


def test_watching_is_allowed_as_reading_is(server):
    world = make_world(server)
    call_id = world["call"].id

    def watch_code(token_value, watched=call_id):
        with grpc.insecure_channel(server.address) as channel:
            if token_value is not None:
                channel = with_token(channel, token_value)
            stream = rpc.CallServiceStub(channel).WatchCall(pb.GetCallRequest(id=watched), timeout=TIMEOUT)
            try:
                next(stream)
                stream.cancel()
                return grpc.StatusCode.OK
            except grpc.RpcError as error:
                return error.code()

    assert watch_code(token(world["other_customer"])) == grpc.StatusCode.PERMISSION_DENIED
    assert watch_code(None) == grpc.StatusCode.UNAUTHENTICATED
    assert watch_code(ADMIN_TOKEN, watched=str(uuid.uuid4())) == grpc.StatusCode.NOT_FOUND
    assert watch_code(ADMIN_TOKEN, watched="not-a-call-id") == grpc.StatusCode.INVALID_ARGUMENT
    assert watch_code(ADMIN_TOKEN) == grpc.StatusCode.OK


def curl_events(server, path, token_value, *extra):
    """curl -N printing the response head, then the events as they arrive."""
    command = ["curl", "-N", "-s", "-i", "--max-time", str(WATCH_DEADLINE), *extra, server.base_url + path]
    if token_value is not None:
        command[1:1] = ["-H", f"authorization: Bearer {token_value}"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def read_head(curl):
    """The status code and lower-cased header names and values, read up to the blank line."""
    status = int(curl.stdout.readline().split()[1])
    headers = {}
    for line in iter(curl.stdout.readline, ""):
        if not line.strip():
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def next_event(curl):
    """The next event's lines (comments included), read up to its blank line."""
    lines = []
    for line in iter(curl.stdout.readline, ""):
        if not line.strip():
            if lines:
                return lines
            continue
        lines.append(line.rstrip("\n"))
    return lines


@pytest.mark.parametrize("http", ["--http1.1", "--http2-prior-knowledge"])
def test_curl_sees_the_same_stream_as_server_sent_events(server, replica, http):
    world = make_world(server)
    call_id = world["call"].id
    curl = curl_events(server, f"/api/v1/calls/{call_id}/events", token(world["customer"]), http)
    try:
        status, headers = read_head(curl)
        assert status == 200 and headers["content-type"] == "text/event-stream"
        [data] = next_event(curl)
        first = json_format.Parse(data.removeprefix("data: "), pb.Call())
        assert first.id == call_id and first.state == pb.CALL_STATE_SCHEDULED

        other_channel, elsewhere = admin_calls(replica)
        with other_channel:
            elsewhere.CancelCall(pb.CancelCallRequest(id=call_id, reason="seen by curl"), timeout=TIMEOUT)
        [data] = next_event(curl)
        last = json.loads(data.removeprefix("data: "))
        assert last["state"] == "CALL_STATE_CANCELLED" and last["cancellationReason"] == "seen by curl"
        # The call is final: the server ends the response and curl exits on its own, 0.
        assert next_event(curl) == []
        assert curl.wait(timeout=TIMEOUT) == 0
    finally:
        curl.kill()
        curl.wait()


@pytest.mark.parametrize("protocol", [ProtocolType.CONNECT, ProtocolType.GRPC_WEB], ids=["connect", "grpc-web"])
def test_browser_protocols_watch_the_call_to_its_end(server, replica, protocol):
    world = make_world(server)
    call_id = world["call"].id
    with client(server.base_url, protocol=protocol, timeout_ms=WATCH_DEADLINE * 1000) as browser:
        stream = browser.execute_server_stream(
            request=pb.GetCallRequest(id=call_id), method=WATCH_CALL,
            headers={"authorization": f"Bearer {token(world['customer'])}"})
        messages = iter(stream)
        assert next(messages).state == pb.CALL_STATE_SCHEDULED
        other_channel, elsewhere = admin_calls(replica)
        with other_channel:
            elsewhere.CancelCall(pb.CancelCallRequest(id=call_id, reason="seen in a browser"), timeout=TIMEOUT)
        assert next(messages).state == pb.CALL_STATE_CANCELLED
        assert list(messages) == []


@pytest.mark.parametrize(("who", "status", "code"), [
    ("other_customer", 403, 7), ("nobody", 401, 16), ("admin_unknown_call", 404, 5)])
def test_an_event_stream_that_cannot_start_is_an_ordinary_rest_error(server, who, status, code):
    world = make_world(server)
    path = f"/api/v1/calls/{world['call'].id}/events"
    token_value = {"other_customer": token(world["other_customer"]), "nobody": None,
                   "admin_unknown_call": ADMIN_TOKEN}[who]
    if who == "admin_unknown_call":
        path = f"/api/v1/calls/{uuid.uuid4()}/events"
    curl = curl_events(server, path, token_value)
    try:
        got_status, headers = read_head(curl)
        body = json.loads(curl.stdout.read())
        assert (got_status, headers["content-type"], body["code"]) == (status, "application/json", code)
    finally:
        curl.kill()
        curl.wait()


@pytest.fixture(scope="module")
def capped():
    """A server allowing 3 WatchCall streams in all, 2 per user, with a heartbeat every second."""
    yield from serving(extra_environment={
        "MAX_WATCH_CALL_STREAMS": "3", "MAX_WATCH_CALL_STREAMS_PER_CALLER": "2", "SSE_HEARTBEAT_SECONDS": "1"})


def metrics(server):
    with urllib.request.urlopen(server.base_url + "/metrics", timeout=TIMEOUT) as response:
        return response.read().decode()


def test_open_watches_are_capped_per_user_and_per_process(capped):
    world = make_world(capped)
    request = pb.GetCallRequest(id=world["call"].id)
    with grpc.insecure_channel(capped.address) as channel:
        customer = rpc.CallServiceStub(with_token(channel, token(world["customer"])))
        admin = rpc.CallServiceStub(with_token(channel, ADMIN_TOKEN))
        held = [customer.WatchCall(request, timeout=WATCH_DEADLINE) for _ in range(2)]
        for stream in held:
            next(stream)
        with pytest.raises(grpc.RpcError) as raised:
            next(customer.WatchCall(request, timeout=TIMEOUT))
        assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "per user" in raised.value.details()
        held.append(admin.WatchCall(request, timeout=WATCH_DEADLINE))
        next(held[-1])
        with pytest.raises(grpc.RpcError) as raised:
            next(admin.WatchCall(request, timeout=TIMEOUT))
        assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "call_watch_streams 3" in metrics(capped)
        # Leaving frees a place at once.
        held.pop().cancel()
        held.append(admin.WatchCall(request, timeout=WATCH_DEADLINE))
        assert next(held[-1]).id == world["call"].id
        for stream in held:
            stream.cancel()
    # Watches that ended hold nothing: the gauge is back to zero.
    deadline = time.monotonic() + TIMEOUT
    while "call_watch_streams 0" not in metrics(capped):
        assert time.monotonic() < deadline, metrics(capped)
        time.sleep(0.05)


def test_a_quiet_event_stream_gets_heartbeat_comments(capped):
    world = make_world(capped)
    curl = curl_events(capped, f"/api/v1/calls/{world['call'].id}/events", token(world["customer"]))
    try:
        assert read_head(curl)[0] == 200
        assert next_event(curl)[0].startswith("data: ")
        assert next_event(curl) == [": keep-alive"]
    finally:
        curl.kill()
        curl.wait()


def test_shutdown_ends_open_watches_with_ok(fresh_server):
    world = make_world(fresh_server)
    with grpc.insecure_channel(fresh_server.address) as channel:
        stream = rpc.CallServiceStub(with_token(channel, token(world["customer"]))).WatchCall(
            pb.GetCallRequest(id=world["call"].id), timeout=WATCH_DEADLINE)
        next(stream)
        fresh_server.send_sigterm()
        assert list(stream) == []
        assert stream.code() == grpc.StatusCode.OK
    assert fresh_server.wait_for_exit() == 0
