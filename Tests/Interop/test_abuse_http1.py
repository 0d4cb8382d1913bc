"""HTTP/1.1 clients that send what NIOHTTP1 must refuse, bodies nobody asked for, or pipelined
requests they never read the answers to.

Attacks come from ATTACKER against a server of the test's own, while a GoodClient on another
address keeps asking for health (abuse.py).
"""

import time

import pytest

from abuse import (GoodClient, Memory, connect, http1_status, read_for, read_response,
                   read_until_closed, serving)

HEALTH = b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
UNSIGNED_WEBHOOK = ("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Content-Length: 100000000\r\n\r\n")


def exchange(server, request, within=5):
    """Sends `request` on a new connection: (what came back within `within` s, closed?)."""
    sock = connect(server)
    try:
        sock.sendall(request)
        return read_for(sock, within)
    finally:
        sock.close()


def answer(server, request):
    """The first response to `request`; the connection stays open (keep-alive)."""
    sock = connect(server)
    try:
        sock.sendall(request)
        return read_response(sock)
    finally:
        sock.close()


# --- what the parser refuses ------------------------------------------------------------------


def test_header_list_over_16_kib_is_400_and_the_connection_closed():
    with serving() as server:
        request = HEALTH[:-2] + b"X-Large: " + b"a" * 17000 + b"\r\n\r\n"
        sock = connect(server)
        sock.sendall(request)
        response = read_until_closed(sock, within=5)
        sock.close()
        assert response is not None, "the connection stayed open"
        assert http1_status(response) == 400, response


def test_content_length_with_transfer_encoding_is_400_and_the_connection_closed():
    """Request smuggling's ingredient (RFC 9112 §6.3): refused, and nothing more is read."""
    with serving() as server:
        sock = connect(server)
        sock.sendall(b"POST /api/v1/calls HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + HEALTH)
        response = read_until_closed(sock, within=5)
        sock.close()
        assert response is not None, "the connection stayed open"
        assert http1_status(response) == 400 and response.count(b"HTTP/1.1") == 1, response


@pytest.mark.parametrize("line", [b"G@T /api/health HTTP/1.1", b"GET /api/\x00health HTTP/1.1"])
def test_malformed_request_lines_are_400_and_closed(line):
    with serving() as server:
        received, closed = exchange(server, line + b"\r\nHost: x\r\n\r\n")
        assert closed and http1_status(received) == 400, (received, closed)


@pytest.mark.parametrize("first_line", [
    b"INVALID CONNECTION PREFACE", b"HELLO", b"GET /api/health", b"GET /api/health HTTP/1.9",
    b"GET /api/health HTTP/1.1 extra",
])
def test_a_first_line_that_is_no_request_line_is_closed_without_an_answer(first_line):
    """Neither the HTTP/2 preface nor `... HTTP/1.x`: there is no protocol to answer in."""
    with serving() as server:
        assert exchange(server, first_line + b"\r\n\r\n") == (b"", True)


def test_grpc_over_http1_is_505_with_a_grpc_status():
    with serving() as server:
        response = answer(server, b"POST /grpc.health.v1.Health/Check HTTP/1.1\r\nHost: x\r\n"
                                  b"Content-Type: application/grpc\r\nContent-Length: 5\r\n\r\n\0\0\0\0\0")
        assert http1_status(response) == 505, response
        assert b"\r\ngrpc-status: 12\r\n" in response, response


# --- bodies nobody will read ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/webhooks/calendly", "/webhooks/stream"])
def test_unsigned_webhooks_are_401_before_their_body(path):
    """A webhook without its signature header declaring a 100 MB body is answered 401 from its
    head alone: the body never comes, and the answer must not wait for it."""
    with serving() as server:
        started = time.monotonic()
        response = answer(server, UNSIGNED_WEBHOOK.format(path=path).encode())
        assert http1_status(response) == 401, response
        assert time.monotonic() - started < 1


@pytest.mark.parametrize("path, header", [("/webhooks/calendly", "Calendly-Webhook-Signature: t=1,v1=00"),
                                          ("/webhooks/stream", "X-Signature: 00")])
def test_signed_looking_webhooks_declaring_over_1_mib_are_413(path, header):
    with serving() as server:
        response = answer(server, (f"POST {path} HTTP/1.1\r\nHost: x\r\n{header}\r\n"
                                   "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n").encode())
        assert http1_status(response) == 413, response


def test_rest_body_over_4_mib_is_413_from_its_content_length_or_once_exceeded():
    """With credentials present (only their presence is checked before the body), a declared
    Content-Length over 4 MiB is 413 at the head; a chunked body is 413 once it passes 4 MiB."""
    with serving() as server:
        head = "POST /api/v1/calls HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\nContent-Type: application/json\r\n"
        declared = answer(server, (head + "Content-Length: 5000000\r\n\r\n").encode())
        assert http1_status(declared) == 413, declared
        sock = connect(server)
        chunk = b"10000\r\n" + b"a" * 65536 + b"\r\n"
        sock.sendall((head + "Transfer-Encoding: chunked\r\n\r\n").encode() + chunk * 70)
        received = read_response(sock)
        sock.close()
        assert http1_status(received) == 413, received


def test_many_unsigned_webhooks_promising_huge_bodies_are_refused_without_holding_them():
    """100 connections at a time send unsigned webhook heads declaring 100 MB and then 64 KiB
    of body, until the good client has asked 5 times: every one gets 401 from its head, and
    the body bytes that do arrive are dropped. RSS growth < 24 MiB (measured ~5 MiB). The
    per-peer cap is raised: a round's connections may still count while the next round
    connects."""
    with serving(MAX_CONNECTIONS_PER_PEER=1000) as server:
        memory = Memory(server)
        with GoodClient(server) as good:
            for _ in good.rounds():
                socks = [connect(server) for _ in range(100)]
                try:
                    for index, sock in enumerate(socks):
                        path = "/webhooks/calendly" if index % 2 else "/webhooks/stream"
                        sock.sendall(UNSIGNED_WEBHOOK.format(path=path).encode() + b"{" * 65536)
                    for sock in socks:
                        received = read_response(sock)
                        assert http1_status(received) == 401, received
                finally:
                    for sock in socks:
                        sock.close()
        good.assert_served()
        memory.assert_growth_below(24)


# --- clients that do not read -----------------------------------------------------------------


def pipeline_without_reading(socks, seconds):
    """Writes pipelined GET /api/health on every socket for `seconds`, never reading."""
    for sock in socks:
        sock.setblocking(False)
    burst = HEALTH * 1000
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        for sock in socks:
            try:
                sock.send(burst)
            except BlockingIOError:
                pass
        time.sleep(0.005)


def test_one_pipelining_client_that_does_not_read_costs_bounded_memory():
    """The original bug: one client pipelining GET /api/health without reading the answers
    grew the server by ~50 MiB in 10 s. The server stops reading a connection whose answers do
    not drain, so what it holds is bounded by what it had read: RSS growth over 8 s < 48 MiB
    (measured 3-28 MiB, flat after the first seconds)."""
    with serving() as server:
        memory = Memory(server)
        with GoodClient(server) as good:
            sock = connect(server)
            try:
                pipeline_without_reading([sock], 8)
            finally:
                sock.close()
        good.assert_served()
        memory.assert_growth_below(48)


def test_pipelining_clients_that_do_not_read_are_held_to_the_write_buffer_mark():
    """A connection whose answers do not drain stops being read once 128 KiB of them wait
    (the write-buffer mark): what a non-reading client costs should be about that plus what
    was read before. One peer with 10 such connections for 8 s: RSS growth < 16 MiB (~1 MiB
    per connection for its read-ahead and waiting answers, plus allocator slack). Measured:
    25-67 MiB after 4 s, 31-240 MiB after 8 s (often still rising), while the server goes on
    answering ~4500 pipelined requests a second that nobody reads."""
    with serving() as server:
        memory = Memory(server)
        with GoodClient(server) as good:
            socks = [connect(server) for _ in range(10)]
            try:
                pipeline_without_reading(socks, 8)
            finally:
                for sock in socks:
                    sock.close()
        good.assert_served()
        memory.assert_growth_below(16)
