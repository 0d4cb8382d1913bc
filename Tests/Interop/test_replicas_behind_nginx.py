"""Three call-booking replicas on one PostgreSQL behind Debian's nginx (nginx_proxy.py), under
load, while one replica gets SIGTERM and another SIGKILL.

Load: gRPC GetCall and Health/Check through nginx (grpcio threads, plus h2load when installed),
REST GetCall through nginx's HTTP/1.1 port, and a stream of signed Calendly `invitee.created` and
Stream `call.session_started` deliveries, each sent twice at once to two different replicas (as a
provider's retry may race its first attempt); a delivery neither copy of which was answered 2xx
is delivered again through nginx until it is, as the providers retry. Afterwards: every
acknowledged delivery has its effect exactly once, no booking is doubled, the jobs of the new
calls ran, the survivor serves, and clients saw only retryable errors. Bounded: about 25 s of
load and checks, loopback only. Skipped, saying so, when nginx is not installed or does not start.
"""

import concurrent.futures
import datetime
import hashlib
import hmac
import http.client
import json
import threading
import time
import urllib.error
import urllib.request
import uuid

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from auth import ADMIN_TOKEN, STREAM_API_KEY, STREAM_SECRET_KEY, with_token
from databases import fresh_database, psql, wait_for
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from nginx_proxy import Nginx, h2load_grpc, nginx_binary
from server import Server
from stream_api_fake import StreamAPIFake
from test_calendly_webhooks import book_directly, delivery, invitee, make_expert, new_invitee_uri, next_week, sign
from test_stream_video import iso

TIMEOUT = 5
EXPERTS = 8
STREAM_CALLS = 24
# Calendly bookings take 30-minute slots of the experts from 05:00 UTC on, up to 18:00.
MAX_DELIVERIES = EXPERTS * 2 * 13
LOAD_SECONDS = 10
SIGTERM_AT, SIGKILL_AT = 3, 5
RETRYABLE_HTTP = {502, 503, 504}
GET_CALL = "/loop.callbooking.v1.CallService/GetCall"


def post(base_url, path, body, headers):
    """The HTTP status and JSON answer, or (None, error) when no answer came (a dead replica)."""
    request = urllib.request.Request(base_url + path, data=body, method="POST",
                                     headers={"content-type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, error.read()[:200]
    except (OSError, http.client.HTTPException) as error:
        return None, repr(error)


class Provider:
    """Sends each delivery twice at once to two replicas, then through nginx until it is
    acknowledged; keeps every answer."""

    def __init__(self, replicas, proxy):
        self.replicas, self.proxy = replicas, proxy
        self.answers = []       # (kind, key, status, answer)
        self.acknowledged = {}  # (kind, key) -> True once any copy got 2xx
        self.pool = concurrent.futures.ThreadPoolExecutor(2)

    def deliver(self, index, kind, key, path, make_request):
        targets = [self.replicas[index % 3], self.replicas[(index + 1) % 3]]
        copies = [self.pool.submit(post, target.base_url, path, *make_request()) for target in targets]
        results = [copy.result() for copy in copies]
        deadline = time.monotonic() + 20
        while not any(status and 200 <= status < 300 for status, _ in results) and time.monotonic() < deadline:
            time.sleep(0.2)
            results.append(post(self.proxy.http_base_url, path, *make_request()))
        for status, answer in results:
            self.answers.append((kind, key, status, answer))
        self.acknowledged[(kind, key)] = any(status and 200 <= status < 300 for status, _ in results)


def calendly_request(body):
    def make():
        data = json.dumps(body).encode()   # re-signed on every attempt, as Calendly does
        return data, {"Calendly-Webhook-Signature": sign(data), "user-agent": "Calendly-Webhooks"}
    return make


def stream_request(event, webhook_id):
    def make():
        data = json.dumps(event).encode()
        return data, {"x-api-key": STREAM_API_KEY, "x-webhook-id": webhook_id, "x-webhook-attempt": "1",
                      "x-signature": hmac.new(STREAM_SECRET_KEY.encode(), data, hashlib.sha256).hexdigest()}
    return make


class Load:
    """gRPC and REST readers through nginx until stopped; every outcome kept with its time."""

    def __init__(self, proxy, call_id):
        self.proxy, self.call_id = proxy, call_id
        self.stop = threading.Event()
        self.grpc_codes, self.rest_statuses = [], []
        self.threads = [threading.Thread(target=self.grpc_reader, daemon=True) for _ in range(3)]
        self.threads.append(threading.Thread(target=self.rest_reader, daemon=True))
        for thread in self.threads:
            thread.start()

    def grpc_reader(self):
        with grpc.insecure_channel(self.proxy.grpc_address) as channel:
            calls = rpc.CallServiceStub(with_token(channel))
            health = health_pb2_grpc.HealthStub(channel)
            while not self.stop.is_set():
                try:
                    calls.GetCall(pb.GetCallRequest(id=self.call_id), timeout=TIMEOUT)
                    health.Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT)
                    code = grpc.StatusCode.OK
                except grpc.RpcError as error:
                    code = error.code()
                    time.sleep(0.05)
                self.grpc_codes.append((time.monotonic(), code))

    def rest_reader(self):
        connection = None
        while not self.stop.is_set():
            try:
                connection = connection or http.client.HTTPConnection(
                    "127.0.0.1", self.proxy.http_port, timeout=TIMEOUT)
                connection.request("GET", f"/api/v1/calls/{self.call_id}",
                                   headers={"authorization": f"Bearer {ADMIN_TOKEN}"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection, status = None, None
            self.rest_statuses.append((time.monotonic(), status))

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT + 5)


@pytest.fixture
def world():
    if nginx_binary() is None:
        print("\nSKIPPED the replica test: nginx is not installed (tools/setup installs Debian's nginx)")
        pytest.skip("nginx is not installed: tools/setup installs Debian's nginx")
    fake = StreamAPIFake()
    with fresh_database("cb_replicas") as url:
        environment = {"STREAM_BASE_URL": fake.base_url, "JOB_RETRY_BASE_SECONDS": "1",
                       "MAX_CONNECTIONS_PER_PEER": "10000"}
        replicas = []
        proxy = None
        try:
            replicas = [Server(grace_seconds=3, database_url=url, extra_environment=environment) for _ in range(3)]
            try:
                proxy = Nginx([replica.port for replica in replicas])
            except RuntimeError as error:
                print(f"\nSKIPPED the replica test: nginx did not start: {error}")
                pytest.skip(f"nginx did not start: {error}")
            yield url, replicas, proxy, fake
        finally:
            if proxy:
                proxy.close()
            for replica in replicas:
                replica.close()
            fake.close()


def test_three_replicas_behind_nginx_survive_sigterm_and_sigkill_under_load(world):
    url, replicas, proxy, fake = world
    seeding = replicas[0]
    experts = [make_expert(seeding) for _ in range(EXPERTS)]
    stream_calls = [book_directly(seeding, experts[j % EXPERTS][0]["id"],
                                  next_week(hour=18) + datetime.timedelta(minutes=30 * (j // EXPERTS)))["id"]
                    for j in range(STREAM_CALLS)]

    # Throughput through nginx, three replicas (the figure is printed; the run must not fail).
    get_call = b"\x0a" + bytes([len(stream_calls[0])]) + stream_calls[0].encode()
    three = h2load_grpc(proxy.grpc_address, GET_CALL, get_call, ADMIN_TOKEN, seconds=3)

    provider = Provider(replicas, proxy)
    load = Load(proxy, stream_calls[0])
    began = time.monotonic()
    terminated_at = killed_at = None
    index = 0
    try:
        while time.monotonic() - began < LOAD_SECONDS:
            elapsed = time.monotonic() - began
            if elapsed >= SIGTERM_AT and terminated_at is None:
                replicas[0].send_sigterm()
                terminated_at = time.monotonic()
            if elapsed >= SIGKILL_AT and killed_at is None:
                replicas[1].process.kill()
                killed_at = time.monotonic()
            if index >= MAX_DELIVERIES:   # the slots before the Stream calls' are all booked
                time.sleep(0.05)
                continue
            invitee_uri = new_invitee_uri()
            start = next_week(hour=5) + datetime.timedelta(minutes=30 * (index // EXPERTS))
            body = delivery("invitee.created", invitee(invitee_uri, start, hosts=[experts[index % EXPERTS][1]]))
            provider.deliver(index, "calendly", invitee_uri, "/webhooks/calendly", calendly_request(body))
            if index < STREAM_CALLS:
                call_id = stream_calls[index]
                cid = f"default:{call_id}"
                started = next_week(hour=18) + datetime.timedelta(minutes=30 * (index // EXPERTS), seconds=30)
                event = {"type": "call.session_started", "created_at": iso(started), "call_cid": cid,
                         "session_id": "s1", "call": {"cid": cid, "session": {"id": "s1", "started_at": iso(started)}}}
                provider.deliver(index + 1, "stream", call_id, "/webhooks/stream", stream_request(event, uuid.uuid4().hex))
            index += 1
    finally:
        load.finish()
        provider.pool.shutdown()
    # SIGTERM drains and exits 0 within its grace period; the survivor is the third replica.
    assert replicas[0].wait_for_exit() == 0, replicas[0].stderr_tail()
    assert replicas[2].process.poll() is None, replicas[2].stderr_tail()
    one = h2load_grpc(proxy.grpc_address, GET_CALL, get_call, ADMIN_TOKEN, seconds=3)

    # Clients saw only retryable errors, and the survivor kept serving after the kill.
    grpc_codes = [code for _, code in load.grpc_codes]
    assert set(grpc_codes) <= {grpc.StatusCode.OK, grpc.StatusCode.UNAVAILABLE}, set(grpc_codes)
    rest_statuses = [status for _, status in load.rest_statuses]
    assert set(rest_statuses) - {None} <= {200} | RETRYABLE_HTTP, set(rest_statuses)
    late = [code for moment, code in load.grpc_codes if moment > killed_at + 2]
    assert late and all(code == grpc.StatusCode.OK for code in late[-20:]), late[-20:]
    late_rest = [status for moment, status in load.rest_statuses if moment > killed_at + 2]
    assert late_rest and all(status == 200 for status in late_rest[-20:]), late_rest[-20:]

    # Webhooks: answers are 2xx (applied or duplicate), a retryable status, or none (a dead replica).
    for kind, key, status, answer in provider.answers:
        assert status is None or status in RETRYABLE_HTTP or (
            status == 200 and answer["result"] in ("applied", "duplicate")), (kind, key, status, answer)
    calendly = [key for (kind, key), _ in provider.acknowledged.items() if kind == "calendly"]
    assert len(calendly) >= 10 and all(provider.acknowledged[("calendly", key)] for key in calendly)
    uris = ",".join(f"'{key}'" for key in calendly)
    booked = psql(url, f"SELECT calendly_invitee_uri, count(*) FROM calls.calls WHERE calendly_invitee_uri IN ({uris}) "
                       "GROUP BY 1")
    counts = dict(line.split("|") for line in booked.splitlines())
    assert sorted(counts) == sorted(calendly) and set(counts.values()) == {"1"}, "each acknowledged booking exactly once"
    # No expert got two calls at one time (the exclusion constraint's promise, checked from outside).
    assert psql(url, "SELECT count(*) FROM (SELECT expert_id, scheduled_start FROM calls.calls "
                     "WHERE state <> 'CANCELLED' GROUP BY 1, 2 HAVING count(*) > 1) doubled") == "0"
    streamed = [key for (kind, key), _ in provider.acknowledged.items() if kind == "stream"]
    assert streamed and all(provider.acknowledged[("stream", key)] for key in streamed)
    ids = ",".join(f"'{key}'" for key in streamed)
    started = psql(url, f"SELECT call_id, count(*) FROM calls.call_events WHERE kind = 'session_started' "
                        f"AND call_id IN ({ids}) GROUP BY 1")
    assert dict(line.split("|") for line in started.splitlines()) == {key: "1" for key in streamed}

    # Jobs: each new call's room was set up by its job, which is done on the survivor, except a
    # job whose lease a killed replica holds (it runs again when the lease ends). No attempt ran
    # twice at once: the fake saw at most one request per attempt.
    new_calls = psql(url, f"SELECT id FROM calls.calls WHERE calendly_invitee_uri IN ({uris})").splitlines()

    def settled():
        rows = psql(url, "SELECT payload->>'call_id', state, attempts, locked_until > now() FROM calls.jobs "
                         "WHERE kind = 'video.room.setup'")
        jobs = {call: (state, int(attempts), leased == "t")
                for call, state, attempts, leased in (line.split("|") for line in rows.splitlines())}
        pending = [call for call in new_calls if call not in jobs or not (
            jobs[call][0] == "done" or (jobs[call][0] == "running" and jobs[call][2]))]
        return jobs if not pending else None

    jobs = wait_for(settled, 20, "every new call's room-setup job done (or leased by a killed replica)")
    leased = [call for call in new_calls if jobs[call][0] == "running"]
    assert len(leased) <= 20, leased
    for call in new_calls:
        state, attempts, _ = jobs[call]
        room_posts = len(fake.seen("POST", f"/api/v2/video/call/default/{call}"))
        if state == "done":
            assert 1 <= room_posts <= attempts, (call, room_posts, attempts)

    print(f"\nnginx → replicas, GetCall by h2load -c 8 -m 8 for 3 s: three replicas "
          f"{three and three.get('rps')} req/s, one replica {one and one.get('rps')} req/s; "
          f"{len(calendly)} Calendly and {len(streamed)} Stream deliveries, each sent twice; "
          f"{len(grpc_codes)} gRPC and {len(rest_statuses)} REST reads, "
          f"{grpc_codes.count(grpc.StatusCode.UNAVAILABLE)} UNAVAILABLE, "
          f"{sum(1 for s in rest_statuses if s in RETRYABLE_HTTP or s is None)} REST retryable")
    for figures in (three, one):
        if figures is not None:
            assert figures.get("4xx") == 0 and figures.get("2xx", 0) > 0, figures["output"]
