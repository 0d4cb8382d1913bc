"""SIGTERM as clients see it: health flips to NOT_SERVING, Watch ends cleanly, GOAWAY, exit 0."""

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from h2.events import ConnectionTerminated, RemoteSettingsChanged

from h2wire import Client

CALL_TIMEOUT_SECONDS = 20


def test_sigterm_ends_watch_with_not_serving_sends_goaway_and_exits_zero(fresh_server):
    Status = health_pb2.HealthCheckResponse.ServingStatus
    with grpc.insecure_channel(fresh_server.address) as channel, Client(fresh_server.port) as idle:
        watch = health_pb2_grpc.HealthStub(channel).Watch(
            health_pb2.HealthCheckRequest(service=""), timeout=CALL_TIMEOUT_SECONDS)
        assert Status.Name(next(watch).status) == "SERVING"
        idle.wait_until(lambda: idle.events_of(RemoteSettingsChanged), "the server's SETTINGS")

        fresh_server.send_sigterm()

        try:
            updates = [Status.Name(message.status) for message in watch]  # until the stream ends
        except grpc.RpcError as error:
            pytest.fail(f"Watch did not end after SIGTERM: {error.code()}; server log:\n"
                        + fresh_server.stderr_tail(), pytrace=False)
        assert updates == ["NOT_SERVING"]
        assert watch.code() == grpc.StatusCode.OK, watch.details()

        idle.wait_until(lambda: idle.events_of(ConnectionTerminated), "GOAWAY on an idle connection")
        goaway = idle.events_of(ConnectionTerminated)[0]
        assert goaway.error_code == 0, goaway

    code = fresh_server.wait_for_exit()
    assert code == 0, fresh_server.stderr_tail()
