"""HTTP/2 frames no honest client sends, or sends this many of: CONTINUATION, PING and SETTINGS
floods, header lists past the limit, oversized messages, requests without a token that
promise a large body, and the frames on closed streams h2spec 2.6 caught us accepting.

Attacks come from ATTACKER against a server of the test's own, while a GoodClient on another
address keeps asking for health (abuse.py).
"""

import struct
import time

import pytest
from h2.errors import ErrorCodes
from hyperframe.frame import HeadersFrame

from abuse import (CANCEL, CONTINUATION, DATA, END_STREAM, HEADERS,
                   INITIAL_WINDOW_SIZE_SETTING, NO_ERROR, PING, PROTOCOL_ERROR, STREAM_CLOSED,
                   GoodClient, Memory, RawH2, connect, flood, frame, header_frames, hpack_literal,
                   read_until_closed, rst_stream, serving, settings_frame,
                   stateless_block)
from auth import ADMIN_TOKEN
from h2wire import HEALTH_CHECK, Client

OK, INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNAUTHENTICATED = 0, 3, 8, 16
CREATE_CALL = "/loop.callbooking.v1.CallService/CreateCall"


# --- floods -----------------------------------------------------------------------------------


def test_continuation_flood_is_a_connection_error_with_goaway():
    """CONTINUATION flood (CVE-2024-27316 and kin): HEADERS without END_HEADERS, then 1000
    CONTINUATION frames of 100 bytes that never end the block. nghttp2 allows 8; past that the
    connection must end at once, announced with GOAWAY (RFC 9113 §5.4.1), rather than buffer
    the block. The attacker comes back until the good client has asked 5 times; RSS growth
    < 8 MiB."""
    with serving() as server:
        memory = Memory(server)
        filler = stateless_block([("x-filler", "a" * 90)])
        with GoodClient(server) as good:
            for _ in good.rounds():
                with RawH2(server) as attacker:
                    started = time.monotonic()
                    attacker.send(frame(HEADERS, 1, attacker.header_block(HEALTH_CHECK)),
                                  *[frame(CONTINUATION, 1, filler) for _ in range(1000)])
                    assert attacker.wait_closed(within=2), attacker.describe()
                    assert time.monotonic() - started < 1, f"closed after {time.monotonic() - started:.2f} s"
                    assert attacker.goaway is not None and attacker.goaway.error_code != NO_ERROR, \
                        f"closed without GOAWAY: {attacker.describe()}"
        good.assert_served()
        memory.assert_growth_below(8)


@pytest.mark.parametrize("kind", ["PING", "SETTINGS"])
def test_control_frame_flood_without_reading_the_acks_is_cut_off(kind):
    """PING or SETTINGS frames, each of which the server must acknowledge, written as fast as
    possible for up to 3 s without reading the acknowledgements. The offender must be
    disconnected (nghttp2 gives up once 1000 acknowledgements are queued: FLOODED) or
    throttled (its writes blocked for the last second: the server stopped reading it); it
    comes back until the good client has asked 5 times. RSS growth < 8 MiB (measured ~1-2 MiB):
    at most one read's worth of acknowledgements is queued, and a throttled socket holds at
    most the write-buffer mark."""
    unit = frame(PING, 0, b"12345678") if kind == "PING" else settings_frame({INITIAL_WINDOW_SIZE_SETTING: 65535})
    with serving() as server:
        memory = Memory(server)
        with GoodClient(server) as good:
            for _ in good.rounds():
                with RawH2(server) as attacker:
                    outcome = flood(attacker.socket, unit * 4096, seconds=3)
                    assert outcome in ("disconnected", "throttled"), outcome
        good.assert_served()
        memory.assert_growth_below(8)


# --- header lists -------------------------------------------------------------------------------


def test_header_lists_over_16_kib_get_431_and_the_connection_keeps_serving():
    """SETTINGS_MAX_HEADER_LIST_SIZE is 16 KiB and nghttp2 only announces it: the server counts
    and answers 431 itself. 10 connections send 1000 requests each with a 20 KiB header (HEADERS
    + CONTINUATION): every one is 431, none resets or closes a connection, and each connection
    then answers a Health/Check. RSS growth < 8 MiB (measured < 1 MiB: a header list past the
    limit is counted, not kept)."""
    with serving() as server:
        memory = Memory(server)
        with GoodClient(server) as good:
            attackers = [RawH2(server) for _ in range(10)]
            try:
                blocks = [stateless_block([(":method", "GET"), (":scheme", "http"), (":path", "/api/health"),
                                           (":authority", a.authority), ("x-large", "a" * 20000)]) for a in attackers]
                for round_ in range(10):
                    for attacker, block in zip(attackers, blocks):
                        attacker.send(*[header_frames(i, block, end_stream=True)
                                        for i in range(1 + 200 * round_, 201 + 200 * round_, 2)])
                    for attacker in attackers:
                        attacker.wait_for(lambda c: len(c.of(HeadersFrame)) == 100 * (round_ + 1), "431s")
                for attacker in attackers:
                    assert {f.fields[":status"] for f in attacker.of(HeadersFrame)} == {"431"}
                    assert not attacker.resets() and attacker.goaway is None, attacker.describe()
                    attacker.send(attacker.grpc_request(2001, HEALTH_CHECK))
                    attacker.wait_for(lambda c: c.grpc_status(2001) is not None, "the Check's trailers")
                    assert attacker.grpc_status(2001) == OK, attacker.describe()
            finally:
                for attacker in attackers:
                    attacker.close()
        good.assert_served()
        memory.assert_growth_below(8)


def test_hpack_bomb_is_a_connection_error_before_it_is_decoded():
    """HPACK bomb: one 4000-byte header goes into the dynamic table, then a request refers to
    it 16000 times (one byte each), so 16 KiB on the wire decode to a 64 MB header list, ~35 ms
    of event loop in a debug build. A header list past four times the 16 KiB limit ends the
    connection (GOAWAY ENHANCE_YOUR_CALM) after ~16 references instead of 16000. The attacker
    comes back on new connections until the good client has asked 5 times; RSS growth < 8 MiB."""
    with serving() as server:
        memory = Memory(server)
        with GoodClient(server) as good:
            for _ in good.rounds():
                with RawH2(server) as attacker:
                    pseudo = bytes([0x82, 0x86]) + hpack_literal(4, "/api/health") + hpack_literal(1, attacker.authority)
                    insert = hpack_literal("x-bomb", "b" * 4000, index_it=True)
                    attacker.send(header_frames(1, pseudo + insert, end_stream=True))
                    attacker.wait_for(lambda c: c.of(HeadersFrame, 1), "the answer that indexes the header")
                    bomb = pseudo + bytes([0x80 | 62]) * 16000  # the newest dynamic entry, 16000 times
                    attacker.send(header_frames(3, bomb, end_stream=True))
                    attacker.wait_for(lambda c: c.goaway, "GOAWAY")
                    assert attacker.goaway.error_code == ErrorCodes.ENHANCE_YOUR_CALM, attacker.describe()
                    assert [f.fields[":status"] for f in attacker.of(HeadersFrame)] == ["200"], attacker.describe()
        good.assert_served()
        memory.assert_growth_below(8)


# --- oversized requests -----------------------------------------------------------------------


def test_health_messages_over_1_kib_are_refused_from_their_prefix():
    """Health is open to anyone, so its messages are at most 1 KiB: 10 connections open 100
    Checks each whose prefix announces 1 MiB and send nothing more, again and again while the
    good client asks 5 times. Each
    is answered RESOURCE_EXHAUSTED at once from the prefix and the stream is then reset
    (NO_ERROR), so nothing waits for the body. RSS growth < 8 MiB."""
    with serving() as server:
        memory = Memory(server)
        with GoodClient(server) as good:
            for _ in good.rounds():
                attackers = [RawH2(server) for _ in range(10)]
                try:
                    for attacker in attackers:
                        announced_1_mib = struct.pack(">BI", 0, 1 << 20)
                        attacker.send(*[attacker.headers(i, HEALTH_CHECK) + frame(DATA, i, announced_1_mib)
                                        for i in range(1, 201, 2)])
                    for attacker in attackers:
                        attacker.wait_for(lambda c: len(c.resets()) == 100, "100 streams ended and reset")
                        assert {attacker.grpc_status(i) for i in range(1, 201, 2)} == {RESOURCE_EXHAUSTED}
                        assert set(attacker.resets().values()) == {NO_ERROR}, attacker.describe()
                finally:
                    for attacker in attackers:
                        attacker.close()
        good.assert_served()
        memory.assert_growth_below(8)


def test_health_service_names_over_256_bytes_are_invalid_argument():
    with serving() as server, Client(server.port) as client:
        message = b"\x0a" + bytes([0xac, 0x02]) + b"s" * 300  # HealthCheckRequest{service: 300 bytes}
        stream = client.wait_closed(client.unary(HEALTH_CHECK, message))
        assert stream.grpc_status == INVALID_ARGUMENT, stream.describe()


def test_authenticated_message_over_4_mib_is_refused_from_its_prefix():
    """With a token present, CreateCall's message may be up to 4 MiB; a prefix announcing one
    byte more is RESOURCE_EXHAUSTED before any of it is read."""
    with serving() as server, Client(server.port) as client:
        stream = client.start(CREATE_CALL, extra=[("authorization", f"Bearer {ADMIN_TOKEN}")])
        client.send(stream, struct.pack(">BI", 0, 4 * 1024 * 1024 + 1))
        client.wait_closed(stream)
        assert stream.grpc_status == RESOURCE_EXHAUSTED, stream.describe()
        assert stream.headers[":status"] == "200" and not stream.data, stream.describe()


def test_rpc_without_a_token_is_refused_at_its_headers_before_its_body():
    """A CreateCall without a token whose message announces 3 MiB and sends its first 1000
    bytes is answered UNAUTHENTICATED (Trailers-Only) at once: the server decides from the
    HEADERS and never waits for, or credits, the body. Then 10 connections x 100 such streams,
    again and again while the good client asks 5 times: all refused, RSS growth < 8 MiB (nothing is buffered: each
    round promises 3 GB)."""
    with serving() as server:
        memory = Memory(server)
        with GoodClient(server) as good:
            with Client(server.port) as client:
                started = time.monotonic()
                stream = client.start(CREATE_CALL)
                client.send(stream, struct.pack(">BI", 0, 3 * 1024 * 1024) + b"\0" * 1000)
                client.wait_headers(stream)
                assert time.monotonic() - started < 1, stream.describe()
                assert stream.kinds()[:2] == ["headers", "end"], stream.describe()
                assert stream.headers.get("grpc-status") == str(UNAUTHENTICATED), stream.describe()
                client.wait_until(lambda: stream.reset_code is not None, "RST_STREAM after the answer")
                assert stream.reset_code == ErrorCodes.NO_ERROR, stream.describe()
            for _ in good.rounds():
                attackers = [RawH2(server) for _ in range(10)]
                try:
                    for attacker in attackers:
                        attacker.send(*[attacker.headers(i, CREATE_CALL)
                                        + frame(DATA, i, struct.pack(">BI", 0, 3 << 20) + b"\0" * 1000)
                                        for i in range(1, 201, 2)])
                    for attacker in attackers:
                        attacker.wait_for(lambda c: len(c.of(HeadersFrame)) == 100, "100 answers")
                        assert {attacker.grpc_status(i) for i in range(1, 201, 2)} == {UNAUTHENTICATED}
                finally:
                    for attacker in attackers:
                        attacker.close()
        good.assert_served()
        memory.assert_growth_below(8)


# --- h2spec 2.6 regressions -------------------------------------------------------------------


def test_invalid_connection_preface_is_closed_without_an_answer():
    """h2spec 3.5/2: the connection ends, and nothing is sent (no protocol to answer in)."""
    with serving() as server:
        sock = connect(server)
        sock.sendall(b"INVALID CONNECTION PREFACE\r\n\r\n")
        assert read_until_closed(sock, within=2) == b""
        sock.close()


def get(client, stream_id, end_stream=True):
    return client.headers(stream_id, "/", method="GET", content_type=None, end_stream=end_stream)


def wait_stream_ended(client, stream_id):
    client.wait_for(lambda c: any("END_STREAM" in f.flags for f in c.frames if f.stream_id == stream_id),
                    f"the end of the answer on stream {stream_id}")


def after_reset_data(c):  # h2spec 5.1/8
    c.send(get(c, 1, end_stream=False), rst_stream(1, CANCEL), frame(DATA, 1, b"test", END_STREAM))


def after_reset_headers(c):  # h2spec 5.1/9
    c.send(get(c, 1, end_stream=False), rst_stream(1, CANCEL), get(c, 1))


def after_both_ends_data(c):  # h2spec 5.1/11
    c.send(get(c, 1))
    wait_stream_ended(c, 1)
    c.send(frame(DATA, 1, b"test", END_STREAM))


def after_both_ends_headers(c):  # h2spec 5.1/12
    c.send(get(c, 1))
    wait_stream_ended(c, 1)
    c.send(get(c, 1))


def after_client_end_data(c):  # h2spec 6.1/2 (and 5.1/5): half-closed (remote)
    c.send(c.headers(1, "/", method="POST", content_type=None, end_stream=True), frame(DATA, 1, b"test", END_STREAM))


@pytest.mark.parametrize("case", [after_reset_data, after_reset_headers, after_both_ends_data,
                                  after_client_end_data])
def test_frames_on_a_closed_stream_are_stream_closed(case):
    """RFC 9113 §5.1: DATA or HEADERS on a stream the client closed (END_STREAM or RST_STREAM)
    is a STREAM_CLOSED error: RST_STREAM on the stream, or GOAWAY for the connection."""
    with serving() as server, RawH2(server) as client:
        case(client)
        client.wait_for(lambda c: c.goaway or c.resets().get(1) == STREAM_CLOSED, "a STREAM_CLOSED error")
        errors = {"goaway": client.goaway and client.goaway.error_code, "rst_stream": client.resets().get(1)}
        assert STREAM_CLOSED in errors.values(), f"{errors}: {client.describe()}"


def test_headers_after_both_ends_of_a_stream_are_a_connection_error():
    """h2spec 5.1/12: a HEADERS frame on a stream closed both ways is a connection error of
    type STREAM_CLOSED."""
    with serving() as server, RawH2(server) as client:
        after_both_ends_headers(client)
        client.wait_for(lambda c: c.goaway, "GOAWAY")
        assert client.goaway.error_code == STREAM_CLOSED, client.describe()
        assert client.wait_closed(), client.describe()


def test_a_stream_id_below_a_previous_one_is_a_protocol_error():
    """h2spec 5.1.1/2: stream 5, then stream 3: GOAWAY PROTOCOL_ERROR."""
    with serving() as server, RawH2(server) as client:
        client.send(get(client, 5), get(client, 3))
        client.wait_for(lambda c: c.goaway, "GOAWAY")
        assert client.goaway.error_code == PROTOCOL_ERROR, client.describe()
        assert client.wait_closed(), client.describe()
