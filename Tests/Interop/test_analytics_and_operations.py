"""Operations: GetCallAnalytics over gRPC and REST for each role, x-request-id on
every response, GET /metrics scraped with curl (and METRICS_TOKEN enforced), and the server's
JSON log lines, which carry request ids and never a token or a secret.

The server is one of this module's own (LOG_LEVEL=debug, METRICS_TOKEN set), so its metrics
count only what these tests did and its stderr holds only their log lines.
"""

import datetime
import hashlib
import hmac
import json
import os
import random
import re
import shutil
import subprocess
import uuid

import grpc
import h2.events
import pytest
from google.protobuf import timestamp_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from h2wire import HEALTH_CHECK, Client, health_request
from auth import ADMIN_TOKEN, CALENDLY_WEBHOOK_SECRET, DEV_KEY, SERVER_ENVIRONMENT, with_token
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from server import Server

TIMEOUT = 10
METRICS_TOKEN = "interop-metrics-token-" + uuid.uuid4().hex
GENERATED_ID = re.compile(r"^[0-9a-f]{15}$")


@pytest.fixture(scope="module")
def ops_server():
    process = Server(log_level="debug", extra_environment={"METRICS_TOKEN": METRICS_TOKEN})
    try:
        yield process
        process.stop()
    finally:
        process.close()


@pytest.fixture(scope="module")
def channel(ops_server):
    with grpc.insecure_channel(ops_server.address) as channel:
        yield channel


def curl(*args):
    """(status, headers as a dict of lower-case names, body) of one curl request."""
    path = shutil.which("curl")
    if path is None:
        pytest.fail("curl is not installed (Debian: apt-get install curl)", pytrace=False)
    result = subprocess.run([path, "-sS", "-i", "--max-time", "10", *args], capture_output=True, timeout=15)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


# --- GetCallAnalytics -----------------------------------------------------------------------

def timestamp(moment):
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


def psql(sql):
    url = os.environ["INTEROP_DATABASE_URL"]
    result = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def analytics_world(channel):
    """Two experts (linked to Clerk users) with calls in a month nobody else books in:
    expert one completed 600 s and 1800 s, a no-show and a cancellation; expert two completed
    3600 s and a no-show. Call states and times are written as the lifecycle would leave them."""
    experts = rpc.ExpertServiceStub(with_token(channel, ADMIN_TOKEN))
    tag = uuid.uuid4().hex[:10]
    world = {"start": datetime.datetime(random.randint(2200, 2900), random.randint(1, 12), 1,
                                        tzinfo=datetime.timezone.utc)}
    world["end"] = (world["start"] + datetime.timedelta(days=32)).replace(day=1)
    for key in ("one", "two"):
        world[f"{key}_user"] = f"user_ops_{key}_{tag}"
        expert = pb.Expert(name=f"Ops {key}", email=f"ops.{key}.{tag}@interop.example", timezone="UTC",
                           clerk_user_id=world[f"{key}_user"])
        world[key] = experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT).id
    rows = [("one", "COMPLETED", 1, 10), ("one", "COMPLETED", 2, 30), ("one", "NO_SHOW", 3, None),
            ("one", "CANCELLED", 4, None), ("two", "COMPLETED", 1, 60), ("two", "NO_SHOW", 2, None)]
    values = []
    for expert, state, day, minutes in rows:
        start = world["start"] + datetime.timedelta(days=day, hours=9)
        started = f"'{start.isoformat()}'" if minutes else "NULL"
        ended = f"'{(start + datetime.timedelta(minutes=minutes)).isoformat()}'" if minutes else "NULL"
        values.append(f"('{state}', '{world[expert]}', '{start.isoformat()}', "
                      f"'{(start + datetime.timedelta(hours=1)).isoformat()}', {started}, {ended})")
    psql("INSERT INTO calls.calls (state, expert_id, scheduled_start, scheduled_end, started_at, ended_at) "
         "VALUES " + ", ".join(values))
    # Stream quality reports (as a call.stats_report_ready would leave them) for the three
    # completed calls: scores 80 and 60 for expert one, 40 for expert two.
    for expert, day, score, jitter, latency in [("one", 1, 80, "0.02", "0.1"), ("one", 2, 60, "0.04", "0.3"),
                                                ("two", 1, 40, "NULL", "0.2")]:
        start = world["start"] + datetime.timedelta(days=day, hours=9)
        psql("INSERT INTO calls.call_quality (call_id, session_id, quality_score, jitter_average_seconds, "
             f"latency_average_seconds) SELECT id, 'session-1', {score}, {jitter}, {latency} FROM calls.calls "
             f"WHERE expert_id = '{world[expert]}' AND scheduled_start = '{start.isoformat()}'")
    return world


def analytics_request(world, expert_id=""):
    return pb.GetCallAnalyticsRequest(expert_id=expert_id, **{"from": timestamp(world["start"])},
                                      to=timestamp(world["end"]))


def test_an_admin_sees_every_expert_with_rates_and_durations_over_grpc(channel, analytics_world):
    stub = rpc.CallServiceStub(with_token(channel, ADMIN_TOKEN))
    answer = stub.GetCallAnalytics(analytics_request(analytics_world), timeout=TIMEOUT)
    assert (answer.total_calls, answer.completed_calls, answer.cancelled_calls, answer.no_show_calls) == (6, 3, 1, 2)
    assert answer.completion_rate == pytest.approx(0.6)
    assert answer.no_show_rate == pytest.approx(0.4)
    assert answer.average_duration_seconds == pytest.approx(2000)
    assert answer.p90_duration_seconds == pytest.approx(3240)  # 1800 + 0.8 × (3600 − 1800)
    per_expert = {stats.expert_id: stats for stats in answer.per_expert}
    assert set(per_expert) == {analytics_world["one"], analytics_world["two"]}
    one, two = per_expert[analytics_world["one"]], per_expert[analytics_world["two"]]
    assert (one.total_calls, one.completed_calls, one.no_show_calls) == (4, 2, 1)
    assert one.average_duration_seconds == pytest.approx(1200)
    assert (two.total_calls, two.completed_calls, two.no_show_calls) == (2, 1, 1)
    # Stream's quality reports feed the same answer.
    assert answer.quality_reported_calls == 3
    assert answer.average_quality_score == pytest.approx(60)
    assert answer.average_jitter_seconds == pytest.approx(0.03)
    assert answer.average_latency_seconds == pytest.approx(0.2)
    assert (one.quality_reported_calls, one.average_quality_score) == (2, pytest.approx(70))
    assert (two.quality_reported_calls, two.average_quality_score) == (1, pytest.approx(40))


def test_an_expert_gets_their_own_and_may_not_ask_for_another(channel, analytics_world):
    token = DEV_KEY.token(analytics_world["one_user"], "expert", "one@interop.example")
    stub = rpc.CallServiceStub(with_token(channel, token))
    own = stub.GetCallAnalytics(analytics_request(analytics_world), timeout=TIMEOUT)  # empty: themselves
    assert (own.total_calls, own.completed_calls, own.cancelled_calls, own.no_show_calls) == (4, 2, 1, 1)
    assert own.average_duration_seconds == pytest.approx(1200)
    assert own.p90_duration_seconds == pytest.approx(1680)  # 600 + 0.9 × (1800 − 600)
    assert [stats.expert_id for stats in own.per_expert] == [analytics_world["one"]]
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetCallAnalytics(analytics_request(analytics_world, analytics_world["two"]), timeout=TIMEOUT)
    assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_a_customer_is_denied_over_grpc(channel, analytics_world):
    stub = rpc.CallServiceStub(with_token(channel, DEV_KEY.token("user_ops_customer", "customer")))
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetCallAnalytics(analytics_request(analytics_world), timeout=TIMEOUT)
    assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED


def rest_analytics(server, world, token, expert_id=None):
    query = f"from={world['start'].isoformat().replace('+00:00', 'Z')}&to={world['end'].isoformat().replace('+00:00', 'Z')}"
    if expert_id:
        query += f"&expertId={expert_id}"
    return curl(f"{server.base_url}/api/v1/analytics/calls?{query}", "-H", f"authorization: Bearer {token}")


def test_rest_answers_the_same_numbers_in_proto3_json(ops_server, analytics_world):
    status, headers, body = rest_analytics(ops_server, analytics_world, ADMIN_TOKEN, analytics_world["two"])
    assert status == 200, body
    assert headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert answer["totalCalls"] == "2" and answer["completedCalls"] == "1" and answer["noShowCalls"] == "1"
    assert answer["cancelledCalls"] == "0"  # REST prints zero, where proto3 JSON omits it
    assert answer["completionRate"] == pytest.approx(0.5)
    assert answer["averageDurationSeconds"] == pytest.approx(3600)
    assert answer["qualityReportedCalls"] == "1" and answer["averageQualityScore"] == pytest.approx(40)
    assert answer["perExpert"] == [{"expertId": analytics_world["two"], "totalCalls": "2", "completedCalls": "1",
                                    "noShowCalls": "1", "averageDurationSeconds": 3600,
                                    "qualityReportedCalls": "1", "averageQualityScore": 40}]


def test_rest_refuses_customers_and_other_experts_and_a_backwards_window(ops_server, analytics_world):
    status, _, body = rest_analytics(ops_server, analytics_world, DEV_KEY.token("user_ops_c", "customer"))
    assert status == 403 and json.loads(body)["code"] == 7
    expert = DEV_KEY.token(analytics_world["two_user"], "expert")
    status, _, _ = rest_analytics(ops_server, analytics_world, expert, analytics_world["one"])
    assert status == 403
    backwards = {"start": analytics_world["end"], "end": analytics_world["start"]}
    status, _, body = rest_analytics(ops_server, backwards, ADMIN_TOKEN)
    assert status == 400 and json.loads(body)["code"] == 3


# --- x-request-id ---------------------------------------------------------------------------

def test_grpc_echoes_the_clients_request_id_as_response_metadata(channel):
    stub = health_pb2_grpc.HealthStub(channel)
    _, call = stub.Check.with_call(health_pb2.HealthCheckRequest(), metadata=[("x-request-id", "ops-grpc-1")],
                                   timeout=TIMEOUT)
    assert dict(call.initial_metadata())["x-request-id"] == "ops-grpc-1"
    _, call = stub.Check.with_call(health_pb2.HealthCheckRequest(), timeout=TIMEOUT)
    assert GENERATED_ID.match(dict(call.initial_metadata())["x-request-id"])


def test_a_grpc_error_carries_the_request_id_too(channel):
    stub = rpc.CallServiceStub(channel)  # no token: UNAUTHENTICATED, Trailers-Only
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetCall(pb.GetCallRequest(id=str(uuid.uuid4())), metadata=[("x-request-id", "ops-grpc-err")],
                     timeout=TIMEOUT)
    assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED
    metadata = dict(raised.value.trailing_metadata()) | dict(raised.value.initial_metadata())
    assert metadata["x-request-id"] == "ops-grpc-err"


@pytest.mark.parametrize("path", ["/api/health", "/api/v1/calls/upcoming", "/no/such/route"])
def test_rest_echoes_or_makes_a_request_id_also_on_errors_and_404s(ops_server, path):
    status, headers, _ = curl(ops_server.base_url + path, "-H", "x-request-id: ops-rest-7")
    assert status in (200, 401, 404)
    assert headers["x-request-id"] == "ops-rest-7"
    _, headers, _ = curl(ops_server.base_url + path)
    assert GENERATED_ID.match(headers["x-request-id"])


def test_the_request_id_is_sent_never_indexed_so_it_does_not_churn_hpack_tables(ops_server):
    # RFC 7541 §6.2.2: a value new in every response would only evict the fields that repeat.
    with Client(ops_server.port) as client:
        streams = [client.unary(HEALTH_CHECK, health_request()) for _ in range(3)]
        for stream in streams:
            client.wait_closed(stream)
            received = next(e for e in stream.events if isinstance(e, h2.events.ResponseReceived))
            fields = {(name.decode() if isinstance(name, bytes) else name): header for header in received.headers
                      for name in [header[0]]}
            assert GENERATED_ID.match(fields["x-request-id"][1].decode() if isinstance(
                fields["x-request-id"][1], bytes) else fields["x-request-id"][1])
            assert fields["x-request-id"].indexable is False
            assert fields["content-type"].indexable is True


def test_an_unusable_request_id_is_replaced(ops_server):
    _, headers, _ = curl(ops_server.base_url + "/api/health", "-H", "x-request-id: " + "x" * 200)
    assert GENERATED_ID.match(headers["x-request-id"])


# --- /metrics -------------------------------------------------------------------------------

def scrape(server, token=METRICS_TOKEN):
    args = ["-H", f"authorization: Bearer {token}"] if token else []
    return curl(server.base_url + "/metrics", *args)


def sample(text, metric, **labels):
    """The value of the series `metric` whose labels include `labels`, or None."""
    for line in text.splitlines():
        if not line.startswith(metric + "{") and not line.startswith(metric + " "):
            continue
        series, _, value = line.rpartition(" ")
        found = dict(re.findall(r'(\w+)="([^"]*)"', series))
        if series.split("{")[0] == metric and all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return None


def test_metrics_needs_the_metrics_token(ops_server):
    assert scrape(ops_server, token=None)[0] == 401
    assert scrape(ops_server, token="wrong")[0] == 401
    status, headers, _ = scrape(ops_server)
    assert status == 200
    assert headers["content-type"].startswith("text/plain; version=0.0.4")


def test_metrics_count_and_time_rpcs_by_method_code_and_transport(ops_server, channel):
    stub = health_pb2_grpc.HealthStub(channel)
    for _ in range(5):
        stub.Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT)
    curl(ops_server.base_url + "/api/v1/calls/upcoming", "-H", f"authorization: Bearer {ADMIN_TOKEN}")
    status, _, body = scrape(ops_server)
    assert status == 200
    text = body.decode()
    grpc_ok = dict(method="grpc.health.v1.Health/Check", code="OK", transport="grpc")
    assert sample(text, "rpc_server_requests_total", **grpc_ok) >= 5
    assert sample(text, "rpc_server_duration_seconds_count", **grpc_ok) >= 5
    assert sample(text, "rpc_server_duration_seconds_bucket", le="+Inf", **grpc_ok) >= 5
    assert "# TYPE rpc_server_duration_seconds histogram" in text
    rest_ok = dict(method="loop.callbooking.v1.CallService/ListUpcomingCalls", code="OK", transport="rest")
    assert sample(text, "rpc_server_requests_total", **rest_ok) >= 1
    assert sample(text, "db_pool_max_connections") == 10
    assert sample(text, "db_pool_connections", state="idle") is not None
    for provider in ("clerk", "calendly", "stream", "trigger"):  # one closed breaker per provider
        assert sample(text, "circuit_breaker_state", name=provider) == 0, provider


def test_metrics_count_rejected_session_tokens_by_reason(ops_server):
    expired = DEV_KEY.token("user_ops_expired", "customer", now=1_000_000, lifetime=60)
    before = sample(scrape(ops_server)[2].decode(), "session_token_rejections_total", reason="expired") or 0
    status, _, _ = curl(ops_server.base_url + "/api/v1/calls/upcoming", "-H", f"authorization: Bearer {expired}")
    assert status == 401
    after = sample(scrape(ops_server)[2].decode(), "session_token_rejections_total", reason="expired")
    assert after == before + 1


def _post_webhook(server, path, body, *headers):
    return curl(server.base_url + path, "-X", "POST", "-H", "content-type: application/json", *headers, "--data-binary", body)


def test_metrics_count_webhook_outcomes_by_provider(ops_server):
    """A refused and an unreadable delivery of each provider, counted under its outcome."""
    def count(provider, outcome):
        return sample(scrape(ops_server)[2].decode(), "webhook_deliveries_total", provider=provider, outcome=outcome) or 0

    before = {key: count(*key) for key in [("calendly", "rejected"), ("calendly", "invalid"), ("stream", "rejected")]}
    body = b'{"event": "invitee.created"}'
    assert _post_webhook(ops_server, "/webhooks/calendly", body, "-H", "Calendly-Webhook-Signature: t=1,v1=00")[0] == 401
    stamp = str(int(datetime.datetime.now().timestamp()))
    mac = hmac.new(CALENDLY_WEBHOOK_SECRET.encode(), stamp.encode() + b"." + b"not json", hashlib.sha256).hexdigest()
    assert _post_webhook(
        ops_server, "/webhooks/calendly", b"not json", "-H", f"Calendly-Webhook-Signature: t={stamp},v1={mac}")[0] == 400
    assert _post_webhook(ops_server, "/webhooks/stream", body, "-H", "X-Signature: 00", "-H", "X-Api-Key: nope")[0] == 401
    assert count("calendly", "rejected") == before[("calendly", "rejected")] + 1
    assert count("calendly", "invalid") == before[("calendly", "invalid")] + 1
    assert count("stream", "rejected") == before[("stream", "rejected")] + 1


# --- logs -----------------------------------------------------------------------------------

def log_lines(server):
    text = server.stderr_tail(limit=50_000_000)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "the server wrote no log lines"
    parsed = []
    for line in lines:
        entry = json.loads(line)  # every line is one JSON object
        assert isinstance(entry, dict) and {"timestamp", "level", "label", "message"} <= set(entry), line
        parsed.append(entry)
    return text, parsed


def test_logs_are_json_lines_with_the_request_id_and_never_a_token_or_secret(ops_server, channel):
    forged = DEV_KEY.token("user_ops_forged", "admin", now=1_000_000, lifetime=60)  # expired: rejected, logged
    status, _, _ = curl(ops_server.base_url + "/api/v1/calls/upcoming", "-H", f"authorization: Bearer {forged}",
                        "-H", "x-request-id: ops-log-1")
    assert status == 401
    curl(ops_server.base_url + "/api/v1/calls/upcoming", "-H", f"authorization: Bearer {ADMIN_TOKEN}",
         "-H", "x-request-id: ops-log-2")
    rpc.CallServiceStub(with_token(channel, ADMIN_TOKEN)).ListUpcomingCalls(
        pb.ListUpcomingCallsRequest(), metadata=[("x-request-id", "ops-log-3")], timeout=TIMEOUT)
    scrape(ops_server)

    text, entries = log_lines(ops_server)
    rejected = [e for e in entries if e.get("request_id") == "ops-log-1" and e["message"] == "rejected a session token"]
    assert rejected and rejected[0]["level"] == "info" and "expired" in rejected[0]["reason"]
    assert rejected[0]["method"] == "loop.callbooking.v1.CallService/ListUpcomingCalls"
    # LOG_LEVEL=debug: every request's access line, with method, code, transport and duration.
    finished = {e["request_id"]: e for e in entries if e["message"] == "request finished"}
    assert finished["ops-log-2"]["code"] == "OK" and finished["ops-log-2"]["transport"] == "rest"
    assert finished["ops-log-3"]["transport"] == "grpc"
    assert float(finished["ops-log-3"]["duration_ms"]) >= 0

    secrets = [forged, ADMIN_TOKEN, METRICS_TOKEN, CALENDLY_WEBHOOK_SECRET, SERVER_ENVIRONMENT["CALENDLY_API_KEY"]]
    for secret in secrets:
        assert secret not in text
    # No token-shaped text at all (a JWT's header always starts with eyJ).
    assert not re.search(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", text)
