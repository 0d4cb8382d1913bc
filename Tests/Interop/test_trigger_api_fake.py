"""The Trigger.dev fake answers as the documented API does, so interop tests that rely on it
test the service and not the fake."""

import json
import urllib.error
import urllib.request

import pytest

from trigger_api_fake import TriggerAPIFake

KEY = "tr_dev_selftest"


def post(fake, path, body=None, key=KEY, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(fake.url + path, data=data, method="POST")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def fake():
    with TriggerAPIFake(api_key=KEY) as running:
        yield running


def test_trigger_records_the_request_and_returns_a_run_id(fake):
    body = {"payload": {"callId": "c1"}, "options": {"idempotencyKey": "k1", "delay": "2030-01-07T08:45:00Z"}}
    status, answer = post(fake, "/api/v1/tasks/call-booking.reminder/trigger", body)
    assert status == 200 and answer["id"].startswith("run_") and answer["isCached"] is False
    [request] = fake.requests
    assert (request.method, request.path, request.body) == ("POST", "/api/v1/tasks/call-booking.reminder/trigger", body)
    assert request.headers["authorization"] == f"Bearer {KEY}" and request.idempotency_key == "k1"
    assert fake.runs[answer["id"]].status == "DELAYED"


def test_a_repeated_key_returns_the_same_run_even_after_it_was_cancelled(fake):
    body = {"payload": {}, "options": {}}
    _, first = post(fake, "/api/v1/tasks/t/trigger", body, headers={"Idempotency-Key": "k"})
    assert post(fake, f"/api/v2/runs/{first['id']}/cancel") == (200, {"id": first["id"]})
    status, again = post(fake, "/api/v1/tasks/t/trigger", {"payload": {}, "options": {"idempotencyKey": "k"}})
    assert status == 200 and again == {"id": first["id"], "isCached": True}
    assert fake.runs[first["id"]].status == "CANCELED"
    # Another task does not share the key.
    _, other = post(fake, "/api/v1/tasks/u/trigger", body, headers={"Idempotency-Key": "k"})
    assert other["id"] != first["id"]


def test_errors_have_the_documented_shape(fake):
    assert post(fake, "/api/v1/tasks/t/trigger", {"payload": {}}, key="wrong") == (401, {"error": "Invalid or Missing API key"})
    assert post(fake, "/api/v2/runs/run_unknown/cancel") == (404, {"error": "Run not found"})
    assert post(fake, "/api/v1/tasks/t/trigger", ["not", "an", "object"])[0] == 400
    assert post(fake, "/api/v1/nothing")[0] == 404


def test_fail_next_fails_that_many_requests_then_recovers(fake):
    fake.fail_next(2, status=503, error="busy")
    body = {"payload": {}, "options": {"idempotencyKey": "k"}}
    assert post(fake, "/api/v1/tasks/t/trigger", body) == (503, {"error": "busy"})
    assert post(fake, "/api/v1/tasks/t/trigger", body) == (503, {"error": "busy"})
    status, answer = post(fake, "/api/v1/tasks/t/trigger", body)
    assert status == 200 and answer["isCached"] is False
    assert len(fake.triggers("t")) == 3 and len(fake.runs) == 1
