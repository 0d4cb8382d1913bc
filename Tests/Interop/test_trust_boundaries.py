"""Issue 14's hostile callers, against the real binary: each test is what someone who should
not get in tries, and what the server must answer instead."""

import datetime
import http.server
import json
import os
import threading
import time
import urllib.error
import urllib.request
import uuid

import grpc
import pytest

from auth import DEV_KEY, with_token
from databases import psql
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from server import Server
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


def test_a_thousand_holds_from_one_customer_leave_three(admin):
    # The rate limit out of the way, so every refusal is HOLDS_PER_CUSTOMER's.
    process = Server(extra_environment={"RATE_LIMIT_PER_MINUTE": "100000"})
    try:
        world = make_world(admin)
        customer = "user_hoarder_" + uuid.uuid4().hex[:6]
        token = DEV_KEY.token(customer, "customer", f"{customer}@interop.example")
        codes = {}
        with grpc.insecure_channel(process.address) as channel:
            experts = rpc.ExpertServiceStub(with_token(channel, token))
            for n in range(1000):
                start, end = half_hour(world["slot"] + datetime.timedelta(days=1, minutes=30 * n))
                try:
                    experts.HoldSlot(pb.HoldSlotRequest(expert_id=world["expert_id"], start=start, end=end),
                                     timeout=TIMEOUT)
                    outcome = "OK"
                except grpc.RpcError as error:
                    holds_limit = "HOLDS_PER_CUSTOMER" in (error.details() or "")
                    outcome = f"{error.code().name}{' (holds)' if holds_limit else ''}"
                codes[outcome] = codes.get(outcome, 0) + 1
        assert codes == {"OK": 3, "RESOURCE_EXHAUSTED (holds)": 997}
        process.stop()
    finally:
        process.close()


def test_bookings_past_the_rate_limit_are_429_with_retry_after_over_rest_and_grpc(admin):
    second = int(time.time()) % 60
    if second >= 50:
        time.sleep(61 - second)  # the window is the database's clock minute: start well inside one
    process = Server(extra_environment={"RATE_LIMIT_PER_MINUTE": "5"})
    try:
        world = make_world(admin)
        customer = "user_rapid_" + uuid.uuid4().hex[:6]
        token = DEV_KEY.token(customer, "customer", f"{customer}@interop.example")
        statuses = []
        for n in range(6):
            start = world["slot"] + datetime.timedelta(days=2, hours=n)
            body = json.dumps({"expertId": world["expert_id"], "topic": "rapid",
                               "scheduledStart": start.isoformat().replace("+00:00", "Z"),
                               "scheduledEnd": (start + datetime.timedelta(minutes=30)).isoformat().replace("+00:00", "Z")})
            request = urllib.request.Request(process.base_url + "/api/v1/calls", data=body.encode(), method="POST",
                                             headers={"content-type": "application/json",
                                                      "authorization": f"Bearer {token}"})
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                    statuses.append((response.status, None))
            except urllib.error.HTTPError as error:
                statuses.append((error.code, error.headers.get("retry-after")))
        assert [status for status, _ in statuses] == [200] * 5 + [429]
        assert 1 <= int(statuses[-1][1]) <= 60
        with grpc.insecure_channel(process.address) as channel:
            start, end = half_hour(world["slot"] + datetime.timedelta(days=3))
            with pytest.raises(grpc.RpcError) as raised:
                rpc.ExpertServiceStub(with_token(channel, token)).HoldSlot(
                    pb.HoldSlotRequest(expert_id=world["expert_id"], start=start, end=end), timeout=TIMEOUT)
        assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert 1 <= int(dict(raised.value.trailing_metadata())["retry-after"]) <= 60
        process.stop()
    finally:
        process.close()


def cookie_post(server, path, token, content_type, **headers):
    request = urllib.request.Request(server.base_url + path, data=b'{"reason": "csrf"}', method="POST", headers={
        "cookie": f"__session={token}", "content-type": content_type, **headers})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_a_cookie_write_from_another_origin_is_403_and_a_same_origin_json_one_works(server, admin):
    world = make_world(admin)
    token = DEV_KEY.token(world["customer"], "customer", f"{world['customer']}@interop.example")
    path = f"/api/v1/calls/{world['call_id']}/cancel"
    status, answer = cookie_post(server, path, token, "text/plain", origin="https://evil.example")
    assert status == 403 and "__session cookie" in answer["message"]
    status, _ = cookie_post(server, path, token, "application/json", origin="https://evil.example")
    assert status == 403
    status, _ = cookie_post(server, path, token, "text/plain", **{"sec-fetch-site": "same-origin"})
    assert status == 403
    calls, _ = admin
    assert calls.GetCall(pb.GetCallRequest(id=world["call_id"]), timeout=TIMEOUT).state == pb.CALL_STATE_SCHEDULED
    status, cancelled = cookie_post(server, path, token, "application/json", **{"sec-fetch-site": "same-origin"})
    assert status == 200 and cancelled["state"] == "CALL_STATE_CANCELLED"


def test_a_bearer_write_needs_no_origin(server, admin):
    world = make_world(admin)
    token = DEV_KEY.token(world["customer"], "customer", f"{world['customer']}@interop.example")
    request = urllib.request.Request(server.base_url + f"/api/v1/calls/{world['call_id']}/cancel", data=b"{}",
                                     method="POST", headers={"authorization": f"Bearer {token}",
                                                             "content-type": "application/json",
                                                             "origin": "https://other.example"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        assert response.status == 200


def test_a_stream_delivery_older_than_the_tolerance_is_refused_and_a_fresh_one_applied(admin):
    from test_stream_video import iso, send_webhook
    process = Server(extra_environment={"STREAM_WEBHOOK_TOLERANCE_SECONDS": "300"})
    try:
        world = make_world(admin)
        calls, _ = admin
        now = datetime.datetime.now(datetime.timezone.utc)
        event = {"type": "call.session_started", "call_cid": f"default:{world['call_id']}", "session_id": "s1"}
        for created in (now - datetime.timedelta(seconds=600), now + datetime.timedelta(seconds=600)):
            status, answer = send_webhook(process, dict(event, created_at=iso(created)))
            assert status == 401 and "STREAM_WEBHOOK_TOLERANCE_SECONDS" in answer["message"], answer
        assert calls.GetCall(pb.GetCallRequest(id=world["call_id"]), timeout=TIMEOUT).state == pb.CALL_STATE_SCHEDULED
        status, answer = send_webhook(process, dict(event, created_at=iso(now)))
        assert status == 200 and answer["result"] == "applied", answer
        assert calls.GetCall(pb.GetCallRequest(id=world["call_id"]), timeout=TIMEOUT).state == pb.CALL_STATE_IN_PROGRESS
        process.stop()
    finally:
        process.close()


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the server's (status, headers); records the paths it was asked for."""

    def do_GET(self):
        self.server.paths.append(self.path)
        status, headers = self.server.answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def _serve(answer):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.paths, server.answer = [], answer
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_provider_that_redirects_is_not_followed():
    elsewhere = _serve((200, {}))
    redirecting = _serve((302, {"location": f"http://127.0.0.1:{elsewhere.server_address[1]}/users/me"}))
    process = Server(extra_environment={"CALENDLY_BASE_URL": f"http://127.0.0.1:{redirecting.server_address[1]}"})
    try:
        token = DEV_KEY.token("user_redirected", "customer", "redirected@interop.example")
        request = urllib.request.Request(process.base_url + "/api/v1/booking-links", data=b"{}", method="POST",
                                         headers={"content-type": "application/json", "authorization": f"Bearer {token}"})
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=TIMEOUT)
        assert raised.value.code == 503
        assert redirecting.paths == ["/users/me"]
        assert elsewhere.paths == [], "the redirect was followed, with our Calendly API key"
        process.stop()
    finally:
        process.close()
        redirecting.shutdown()
        elsewhere.shutdown()


def test_a_captured_stream_body_replayed_under_a_fresh_webhook_id_is_a_duplicate(server, admin):
    from test_stream_video import iso, send_webhook
    world = make_world(admin)
    now = datetime.datetime.now(datetime.timezone.utc)
    event = {"type": "call.session_started", "created_at": iso(now), "call_cid": f"default:{world['call_id']}",
             "session_id": "s-replay"}
    status, answer = send_webhook(server, event, webhook_id="original-id")
    assert status == 200 and answer["result"] == "applied", answer
    # X-Webhook-Id is outside the signature: a new one does not make the same body new.
    status, answer = send_webhook(server, event, webhook_id="attacker-fresh-id")
    assert status == 200 and answer["result"] == "duplicate", answer
    logged = psql(os.environ["INTEROP_DATABASE_URL"],
                  f"SELECT count(*) FROM calls.call_events WHERE call_id = '{world['call_id']}' AND kind = 'session_started'")
    assert logged == "1"
