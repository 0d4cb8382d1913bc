"""gRPC over HTTP/2 frame by frame, with the `h2` library: what grpcio would never send.

Each test reads the server's answer as a client would: response HEADERS, DATA, trailers, and
RST_STREAM, in the order they arrived (h2wire.Stream.kinds()).
"""

import gzip
import struct
import time

import pytest
from h2.errors import ErrorCodes
from h2.events import ConnectionTerminated, RemoteSettingsChanged, WindowUpdated
from h2.settings import SettingCodes

from h2wire import (HEALTH_CHECK, HEALTH_WATCH, SERVING_MESSAGE, Client, grpc_frame,
                    health_request)

GRPC_CONTENT_TYPES = ("application/grpc", "application/grpc+proto")
DEFAULT_WINDOW = 65535
OK, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNIMPLEMENTED, INTERNAL = 0, 4, 8, 12, 13


@pytest.fixture
def client(server):
    with Client(server.port) as client:
        yield client


def assert_serving_response(stream):
    """A complete successful Check: HEADERS, DATA with SERVING, trailers grpc-status 0."""
    kinds = stream.kinds()
    assert kinds[:1] == ["headers"] and kinds[-2:] == ["trailers", "end"], stream.describe()
    assert set(kinds[1:-2]) == {"data"}, stream.describe()
    assert stream.headers[":status"] == "200", stream.describe()
    assert stream.headers.get("content-type") in GRPC_CONTENT_TYPES, stream.describe()
    assert bytes(stream.data) == SERVING_MESSAGE, stream.describe()
    assert stream.trailers.get("grpc-status") == "0", stream.describe()


def check(client, service=""):
    return client.wait_closed(client.unary(HEALTH_CHECK, health_request(service)))


# --- Connection setup -----------------------------------------------------------------------


def test_server_settings_and_connection_window(client):
    def seen():
        return client.events_of(RemoteSettingsChanged) and [
            e for e in client.events_of(WindowUpdated) if e.stream_id == 0]

    client.wait_until(seen, "the server's SETTINGS and a connection WINDOW_UPDATE")
    first = client.events_of(RemoteSettingsChanged)[0].changed_settings
    values = {code: setting.new_value for code, setting in first.items()}
    assert values.get(SettingCodes.MAX_CONCURRENT_STREAMS) == 100, values
    assert values.get(SettingCodes.MAX_HEADER_LIST_SIZE) == 16384, values
    assert values.get(SettingCodes.INITIAL_WINDOW_SIZE) == 1048576, values
    increment = sum(e.delta for e in client.events_of(WindowUpdated) if e.stream_id == 0)
    # Without it the 64 KiB connection window, not the 1 MiB stream window, would limit a call.
    assert DEFAULT_WINDOW + increment >= 1048576, increment


# --- Framing of requests and responses ------------------------------------------------------


def test_message_split_across_three_data_frames_is_reassembled(client):
    body = grpc_frame(health_request("loop.callbooking.v1.CallService"))
    stream = client.start(HEALTH_CHECK)
    client.send(stream, body[:3])  # part of the prefix
    client.send(stream, body[3:12])  # the rest of it and part of the message
    client.send(stream, body[12:], end_stream=True)
    assert_serving_response(client.wait_closed(stream))


def test_unknown_method_is_answered_trailers_only(client):
    stream = client.wait_closed(client.unary("/grpc.health.v1.Health/Nope", b""))
    assert stream.kinds() == ["headers", "end"], stream.describe()
    assert stream.headers[":status"] == "200", stream.describe()
    assert stream.headers.get("content-type") in GRPC_CONTENT_TYPES, stream.describe()
    assert stream.headers.get("grpc-status") == str(UNIMPLEMENTED), stream.describe()


def test_two_messages_in_a_unary_call_are_unimplemented(client):
    stream = client.start(HEALTH_CHECK)
    client.send(stream, grpc_frame(health_request()) + grpc_frame(health_request()), end_stream=True)
    client.wait_closed(stream)
    assert stream.grpc_status == UNIMPLEMENTED, stream.describe()


def test_request_ending_inside_a_message_is_internal(client):
    stream = client.start(HEALTH_CHECK)
    client.send(stream, struct.pack(">BI", 0, 10) + b"\x0a\x03", end_stream=True)
    client.wait_closed(stream)
    assert stream.grpc_status == INTERNAL, stream.describe()


def test_oversized_message_is_refused_from_its_prefix_and_the_stream_reset(client):
    stream = client.start(HEALTH_CHECK)
    client.send(stream, struct.pack(">BI", 0, 5 * 1024 * 1024))  # the body never follows
    client.wait_closed(stream)
    assert stream.grpc_status == RESOURCE_EXHAUSTED, stream.describe()
    assert not stream.data, stream.describe()
    # The server ended its side while ours is still open: RST_STREAM(NO_ERROR) frees the stream.
    client.wait_until(lambda: stream.reset_code is not None, "RST_STREAM after the trailers")
    assert stream.reset_code == ErrorCodes.NO_ERROR, stream.describe()
    assert stream.kinds()[-2:] == ["end", "reset"], stream.describe()


def test_compressed_flag_without_grpc_encoding_is_internal(client):
    stream = client.start(HEALTH_CHECK)
    client.send(stream, grpc_frame(health_request(), compressed=True), end_stream=True)
    client.wait_closed(stream)
    assert stream.grpc_status == INTERNAL, stream.describe()


def test_a_gzip_compressed_message_is_inflated(client):
    stream = client.start(HEALTH_CHECK, extra=[("grpc-encoding", "gzip")])
    client.send(stream, grpc_frame(gzip.compress(health_request()), compressed=True), end_stream=True)
    client.wait_closed(stream)
    assert stream.grpc_status == 0, stream.describe()


def test_unsupported_grpc_encoding_is_unimplemented(client):
    stream = client.start(HEALTH_CHECK, extra=[("grpc-encoding", "snappy")])
    client.send(stream, grpc_frame(health_request(), compressed=True), end_stream=True)
    client.wait_closed(stream)
    assert stream.grpc_status == UNIMPLEMENTED, stream.describe()
    accepted = ((stream.trailers or {}).get("grpc-accept-encoding")
                or (stream.headers or {}).get("grpc-accept-encoding"))
    # The client may retry with what the server lists, so the rejected one must not be there.
    assert "snappy" not in (accepted or ""), stream.describe()


# --- Deadlines and cancellation -------------------------------------------------------------


def test_grpc_timeout_ends_a_watch_with_deadline_exceeded(client):
    started = time.monotonic()
    stream = client.unary(HEALTH_WATCH, health_request(""), extra=[("grpc-timeout", "200m")])
    client.wait_closed(stream)
    elapsed = time.monotonic() - started
    assert bytes(stream.data) == SERVING_MESSAGE, stream.describe()
    assert stream.trailers is not None and stream.ended, stream.describe()
    assert stream.grpc_status == DEADLINE_EXCEEDED, stream.describe()
    assert elapsed < 5, f"a 200 ms deadline took {elapsed:.1f} s to end the call"


def test_malformed_grpc_timeout_is_internal(client):
    stream = client.wait_closed(
        client.unary(HEALTH_CHECK, health_request(), extra=[("grpc-timeout", "abc")]))
    assert stream.grpc_status == INTERNAL, stream.describe()


def test_client_cancel_of_a_watch_leaves_the_connection_usable(client):
    watch = client.unary(HEALTH_WATCH, health_request(""))
    client.wait_until(lambda: bytes(watch.data) == SERVING_MESSAGE or watch.closed, "the first Watch message")
    assert not watch.closed, watch.describe()
    client.reset(watch, ErrorCodes.CANCEL)
    assert_serving_response(check(client))
    assert not client.events_of(ConnectionTerminated)


# --- HTTP-level answers ---------------------------------------------------------------------


def test_non_grpc_content_type_is_415(client):
    stream = client.wait_closed(client.unary(HEALTH_CHECK, health_request(), content_type="text/plain"))
    assert stream.headers is not None and stream.headers[":status"] == "415", stream.describe()


def test_header_list_over_16_kib_is_431_and_the_connection_survives(client):
    stream = client.wait_closed(
        client.unary(HEALTH_CHECK, health_request(), extra=[("x-large", "a" * 20000)]))
    assert stream.headers is not None and stream.headers[":status"] == "431", stream.describe()
    assert_serving_response(check(client))


def test_fifty_concurrent_checks_on_one_connection_all_succeed(client):
    streams = [client.unary(HEALTH_CHECK, health_request()) for _ in range(50)]
    client.wait_until(lambda: all(s.closed for s in streams), "50 Check responses")
    for stream in streams:
        assert_serving_response(stream)


# --- Memory bounds ----------------------------------------------------------------------------

CREATE_CALL = "/loop.callbooking.v1.CallService/CreateCall"
# HTTP2Settings: what a connection may hold, credited, for requests in progress, and the
# connection window it opens (on top of the 65535 of the preface).
BODY_BUDGET = 4 * 1024 * 1024 + 64 * 1024
CONNECTION_WINDOW = 1024 * 1024


def pump(client, streams, remaining, chunk=16 * 1024):
    """Sends as much of each stream's remaining body as the windows allow, until nothing more
    can be sent and no window update arrives for half a second. Returns the bytes sent."""
    sent = 0
    while True:
        progressed = False
        for stream in streams:
            if remaining[stream.id] == 0 or stream.closed:
                continue
            window = min(client.connection.local_flow_control_window(stream.id), chunk, remaining[stream.id])
            if window <= 0:
                continue
            client.send(stream, b"\0" * window)
            remaining[stream.id] -= window
            sent += window
            progressed = True
        if not progressed:
            before = {s.id: client.connection.local_flow_control_window(s.id) for s in streams if not s.closed}
            client.read_for(0.5)
            after = {s.id: client.connection.local_flow_control_window(s.id) for s in streams if not s.closed}
            if after == before:
                return sent


def test_request_bodies_past_the_connection_budget_stall_their_client(client):
    """Flow control is manual: body bytes are credited back (WINDOW_UPDATE) only while the
    connection holds at most BODY_BUDGET bytes for requests in progress. Three 3 MiB messages
    trickled without END_STREAM stall once the client has sent that plus its connection window;
    nothing is reset. Resetting one stream lets its bytes go, and the others move again."""
    from auth import ADMIN_TOKEN
    size = 3 * 1024 * 1024
    streams = [client.start(CREATE_CALL, extra=[("authorization", f"Bearer {ADMIN_TOKEN}")]) for _ in range(3)]
    remaining = {stream.id: size for stream in streams}
    for stream in streams:
        client.send(stream, struct.pack(">BI", 0, size))
    sent = pump(client, streams, remaining)
    assert BODY_BUDGET - 64 * 1024 <= sent <= BODY_BUDGET + CONNECTION_WINDOW, sent
    assert all(s.reset_code is None and not s.ended for s in streams), [s.describe() for s in streams]
    client.reset(streams[0], ErrorCodes.CANCEL)
    more = pump(client, streams[1:], remaining)
    assert more > 1024 * 1024, more
    assert all(s.reset_code is None for s in streams[1:]), [s.describe() for s in streams]
