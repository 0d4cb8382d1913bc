"""grpc.health.v1.Health as grpcio (from grpcio-health-checking) sees it."""

import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

Status = health_pb2.HealthCheckResponse.ServingStatus
SERVICES = ["", "loop.callbooking.v1.CallService", "loop.callbooking.v1.ExpertService"]
# Long enough for a debug build on a loaded machine; only bounds a test that would hang.
CALL_TIMEOUT_SECONDS = 10
# Watch streams never end on their own: this deadline is how the test sees them stay open.
OPEN_STREAM_DEADLINE_SECONDS = 1


@pytest.fixture
def health(server):
    with grpc.insecure_channel(server.address) as channel:
        yield health_pb2_grpc.HealthStub(channel)


def status_name(value):
    return Status.Name(value)


@pytest.mark.parametrize("service", SERVICES)
def test_check_reports_a_registered_service_as_serving(health, service):
    response = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=CALL_TIMEOUT_SECONDS)
    assert status_name(response.status) == "SERVING"


def test_check_of_an_unknown_service_is_not_found(health):
    with pytest.raises(grpc.RpcError) as raised:
        health.Check(health_pb2.HealthCheckRequest(service="x.Unknown"), timeout=CALL_TIMEOUT_SECONDS)
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND, raised.value.details()


def test_watch_sends_serving_first_and_stays_open(health):
    stream = health.Watch(health_pb2.HealthCheckRequest(service=""), timeout=OPEN_STREAM_DEADLINE_SECONDS)
    first = next(stream)
    assert status_name(first.status) == "SERVING"
    # Nothing changes, so the server must neither send more nor end the stream: the client's
    # own deadline is what ends it.
    with pytest.raises(grpc.RpcError) as raised:
        extra = next(stream)
        pytest.fail(f"Watch sent a second message without a change: {extra}")
    assert raised.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED, raised.value.details()


def test_cancelling_a_watch_leaves_the_channel_usable(health):
    stream = health.Watch(health_pb2.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT_SECONDS)
    assert status_name(next(stream).status) == "SERVING"
    stream.cancel()
    assert stream.code() == grpc.StatusCode.CANCELLED
    response = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT_SECONDS)
    assert status_name(response.status) == "SERVING"


def test_watch_of_an_unknown_service_sends_service_unknown_and_stays_open(health):
    stream = health.Watch(
        health_pb2.HealthCheckRequest(service="x.Unknown"), timeout=OPEN_STREAM_DEADLINE_SECONDS)
    first = next(stream)
    assert status_name(first.status) == "SERVICE_UNKNOWN"
    with pytest.raises(grpc.RpcError) as raised:
        extra = next(stream)
        pytest.fail(f"Watch sent a second message without a change: {extra}")
    assert raised.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED, raised.value.details()


def test_list_reports_every_registered_service_as_serving(health):
    response = health.List(health_pb2.HealthListRequest(), timeout=CALL_TIMEOUT_SECONDS)
    statuses = {name: status_name(entry.status) for name, entry in response.statuses.items()}
    assert statuses == {service: "SERVING" for service in SERVICES}


# --- Bounds: health is open to anyone --------------------------------------------------------


def test_a_service_name_over_256_bytes_is_invalid_argument(health):
    with pytest.raises(grpc.RpcError) as raised:
        health.Check(health_pb2.HealthCheckRequest(service="x" * 257), timeout=CALL_TIMEOUT_SECONDS)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT, raised.value.details()
    response = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT_SECONDS)
    assert status_name(response.status) == "SERVING"


def test_a_health_request_over_1_kib_is_resource_exhausted(health):
    with pytest.raises(grpc.RpcError) as raised:
        health.Check(health_pb2.HealthCheckRequest(service="x" * 1100), timeout=CALL_TIMEOUT_SECONDS)
    assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, raised.value.details()


def test_watch_streams_over_the_per_connection_limit_are_resource_exhausted(server):
    """MAX_WATCH_STREAMS_PER_CONNECTION [16]: the 17th Watch on one channel (one connection)
    ends RESOURCE_EXHAUSTED; the 16 stay open, and cancelling one makes room again."""
    with grpc.insecure_channel(server.address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        open_streams = [health.Watch(health_pb2.HealthCheckRequest(), timeout=CALL_TIMEOUT_SECONDS) for _ in range(16)]
        for stream in open_streams:
            assert status_name(next(stream).status) == "SERVING"
        extra = health.Watch(health_pb2.HealthCheckRequest(), timeout=CALL_TIMEOUT_SECONDS)
        with pytest.raises(grpc.RpcError) as raised:
            next(extra)
        assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, raised.value.details()
        open_streams[0].cancel()
        deadline = time.monotonic() + CALL_TIMEOUT_SECONDS
        while True:
            again = health.Watch(health_pb2.HealthCheckRequest(), timeout=CALL_TIMEOUT_SECONDS)
            try:
                assert status_name(next(again).status) == "SERVING"
                break
            except grpc.RpcError as error:
                # The cancelled stream's handler gives its place back a moment after the reset.
                assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and time.monotonic() < deadline
                time.sleep(0.05)
        for stream in open_streams[1:] + [again]:
            stream.cancel()
