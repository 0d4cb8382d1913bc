"""Holding sockets rather than streams: slowloris on both protocols, idle connections, and more
connections than the caps allow, in all and from one peer.

Attacks come from ATTACKER against a server of the test's own, while a GoodClient on another
address keeps asking for health (abuse.py).
"""

import selectors
import time

from hyperframe.frame import Frame, GoAwayFrame, RstStreamFrame

from abuse import (ATTACKER, CANCEL, CONTINUATION, DATA, ENHANCE_YOUR_CALM, HEADERS, NO_ERROR,
                   PREFACE, GoodClient, Memory, RawH2, connect, frame, http1_status, metric,
                   read_for, read_response, scrape, serving, settings_frame, stateless_block,
                   wait_until)
from h2wire import HEALTH_CHECK

TIMEOUT = 2  # HEADER_TIMEOUT_SECONDS and BODY_TIMEOUT_SECONDS of the slowloris test
# How late a deadline may be enforced on this loaded 2-core machine.
MARGIN = 2
TRICKLE_INTERVAL = 0.25
FULL = 'http_connections_refused_total{reason="server_full"}'
SIGNED_LOOKING_WEBHOOK = ("POST /webhooks/calendly HTTP/1.1\r\nHost: x\r\nCalendly-Webhook-Signature: t=1,v1=00\r\n"
                          "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n")


class Trickler:
    """One slowloris socket: sends `first` at once, then one of `pieces` every TRICKLE_INTERVAL,
    and records what comes back, until the server ends it: `ended_at` is when the socket was
    closed or, if `ends_with_reset`, when an RST_STREAM arrived. Its deadline runs from
    `started` (the accept, or the request head)."""

    def __init__(self, kind, sock, first, pieces, ends_with_reset=False):
        self.kind, self.sock, self.pieces = kind, sock, list(pieces)
        self.ends_with_reset = ends_with_reset
        self.received = bytearray()
        self.ended_at = None
        self.started = time.monotonic()
        self.sock.sendall(first)
        self.sock.setblocking(False)

    def trickle(self):
        if self.pieces and self.ended_at is None:
            try:
                self.sock.send(self.pieces.pop(0))
            except OSError:
                pass

    def read(self):
        try:
            chunk = self.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        self.received += chunk
        if not chunk or (self.ends_with_reset and any(isinstance(f, RstStreamFrame) for f in self.frames())):
            self.ended_at = time.monotonic()

    @property
    def lived(self):
        return self.ended_at - self.started if self.ended_at else None

    def frames(self):
        """The HTTP/2 frames received (HTTP/2 tricklers only; after their handshake)."""
        data, frames = memoryview(bytes(self.received)), []
        while len(data) >= 9:
            received, length = Frame.parse_frame_header(data[:9])
            if len(data) < 9 + length:
                break
            received.parse_body(data[9:9 + length])
            frames.append(received)
            data = data[9 + length:]
        return frames


def one_byte_at_a_time(data):
    return [data[i:i + 1] for i in range(len(data))]


def slowloris(server, count):
    """`count` sockets of each of five kinds, each holding the server as long as it lets it."""
    tricklers = []
    for _ in range(count):
        tricklers += [
            # The HTTP/2 client preface: half of it, then the rest a byte at a time.
            Trickler("half preface", connect(server), PREFACE[:12], one_byte_at_a_time(PREFACE[12:])),
            # HTTP/1.1: a request line, then header lines a byte at a time, never the blank line.
            Trickler("http1 head", connect(server), b"GET /api/health HTTP/1.1\r\n",
                     one_byte_at_a_time(b"X-Slow: a\r\n" * 100)),
            # HTTP/1.1: a complete head announcing 1000 bytes of body, then the body a byte at a time.
            Trickler("http1 body", connect(server), SIGNED_LOOKING_WEBHOOK.encode(), [b"{"] * 1000),
        ]
        # HTTP/2, after the preface and SETTINGS: a header block begun, then 8 CONTINUATIONs
        # (nghttp2's most) one at a time, never END_HEADERS.
        h2 = RawH2(server)
        tricklers.append(Trickler("http2 header block", h2.socket,
                                  frame(HEADERS, 1, h2.header_block("/grpc.health.v1.Health/Check")),
                                  [frame(CONTINUATION, 1, stateless_block([("x-slow", "a")]))] * 8))
        # HTTP/2: a request whose body comes one byte (one DATA frame) at a time.
        h2 = RawH2(server)
        head = h2.headers(1, "/webhooks/calendly", content_type="application/json",
                          extra=[("calendly-webhook-signature", "t=1,v1=00"), ("content-length", "1000")])
        tricklers.append(Trickler("http2 body", h2.socket, head, [frame(DATA, 1, b"{")] * 1000,
                                  ends_with_reset=True))
    return tricklers


def drive(tricklers, until):
    """Trickles and reads until every trickler has ended or `until` (monotonic) has passed."""
    selector = selectors.DefaultSelector()
    for trickler in tricklers:
        selector.register(trickler.sock, selectors.EVENT_READ, trickler)
    next_trickle = time.monotonic()
    while time.monotonic() < until and any(t.ended_at is None for t in tricklers):
        for key, _ in selector.select(timeout=0.02):
            key.data.read()
            if key.data.ended_at is not None:
                selector.unregister(key.fileobj)
        if time.monotonic() >= next_trickle:
            next_trickle += TRICKLE_INTERVAL
            for trickler in tricklers:
                trickler.trickle()
    selector.close()


def test_slowloris_on_both_protocols_is_cut_off_at_the_deadlines():
    """300 sockets from one peer (its cap raised so that all are admitted), 60 of each kind,
    each sending a byte every 250 ms so it never looks idle: half an HTTP/2 preface; an HTTP/2
    header block that never ends; an HTTP/1.1 request head that never ends; and HTTP/1.1 and
    HTTP/2 request bodies (a webhook with a signature header, read before it is checked) that
    never complete. With HEADER_TIMEOUT_SECONDS and BODY_TIMEOUT_SECONDS at 2: the preface and
    heads are closed 2 s after the accept (HTTP/2 with GOAWAY ENHANCE_YOUR_CALM), the HTTP/1.1
    bodies get 408 and are closed, the HTTP/2 bodies get RST_STREAM(CANCEL) 2 s after their
    head; none before its deadline, none more than 2 s after it. RSS growth < 24 MiB
    (measured ~5 MiB)."""
    with serving(HEADER_TIMEOUT_SECONDS=TIMEOUT, BODY_TIMEOUT_SECONDS=TIMEOUT, IDLE_TIMEOUT_SECONDS=60,
                 MAX_CONNECTIONS_PER_PEER=1000) as server:
        before = scrape(server)
        memory = Memory(server)
        with GoodClient(server) as good:
            tricklers = slowloris(server, 60)
            try:
                drive(tricklers, until=time.monotonic() + TIMEOUT + MARGIN + 1)
            finally:
                for trickler in tricklers:
                    trickler.sock.close()
        good.assert_served()
        memory.assert_growth_below(24)
        late = {}
        for trickler in tricklers:
            lived = trickler.lived
            if lived is None or not TIMEOUT - 0.1 <= lived <= TIMEOUT + MARGIN:
                late.setdefault(trickler.kind, []).append(lived)
        assert not late, f"closed outside [{TIMEOUT}, {TIMEOUT + MARGIN}] s (None: never): {late}"
        for trickler in tricklers:
            if trickler.kind == "half preface":
                assert trickler.received == b"", trickler.received
            elif trickler.kind == "http1 head":
                assert trickler.received == b"", trickler.received
            elif trickler.kind == "http1 body":
                assert http1_status(bytes(trickler.received)) == 408, trickler.received
            elif trickler.kind == "http2 header block":
                goaways = [f for f in trickler.frames() if isinstance(f, GoAwayFrame)]
                assert [g.error_code for g in goaways] == [ENHANCE_YOUR_CALM], trickler.frames()
            else:
                resets = [f.error_code for f in trickler.frames() if isinstance(f, RstStreamFrame)]
                assert resets == [CANCEL], trickler.frames()
        after = scrape(server)
        for kind, count in (("header", 180), ("body", 120)):
            key = f'http_timeouts_total{{kind="{kind}"}}'
            assert metric(after, key) - metric(before, key) == count, (key, metric(after, key))


# --- caps -------------------------------------------------------------------------------------


def refused_at_once(server, source=ATTACKER):
    """Connects from `source` and sends the HTTP/2 preface: True if the server closes the
    connection without a byte (refused as it was accepted)."""
    sock = connect(server, source)
    try:
        sock.sendall(PREFACE + settings_frame())
    except OSError:
        return True
    received, closed = read_for(sock, 2)
    sock.close()
    return closed and received == b""


def served(server, source=ATTACKER):
    """A new HTTP/2 connection from `source` answers a Health/Check."""
    try:
        with RawH2(server, source) as client:
            client.send(client.grpc_request(1, HEALTH_CHECK))
            client.wait_for(lambda c: c.grpc_status(1) is not None, "a Check")
            return client.grpc_status(1) == 0
    except AssertionError:  # closed at once
        return False


def test_connections_over_the_per_peer_cap_are_closed_at_once_and_other_peers_still_connect():
    """MAX_CONNECTIONS_PER_PEER 5: a peer's 6th to 15th connections are closed as they are
    accepted, without a byte, while its first 5 keep being served and another peer (the good
    client, on new connections) is served throughout; http_connections_refused_total counts
    the 10 as peer_full. Closing one of the 5 frees its place."""
    with serving(MAX_CONNECTIONS_PER_PEER=5) as server:
        with GoodClient(server) as good:
            admitted = [RawH2(server) for _ in range(5)]
            try:
                assert all(refused_at_once(server) for _ in range(10))
                good.wait_for_probes(5)
                for client in admitted:
                    client.send(client.grpc_request(1, HEALTH_CHECK))
                    client.wait_for(lambda c: c.grpc_status(1) is not None, "a Check on an admitted connection")
                    assert client.grpc_status(1) == 0, client.describe()
                assert metric(scrape(server), 'http_connections_refused_total{reason="peer_full"}') == 10
                admitted.pop().close()
                wait_until(lambda: served(server), "a connection in the freed place")
            finally:
                for client in admitted:
                    client.close()
        good.assert_served()


def test_connections_over_the_server_cap_are_closed_at_once_and_open_ones_are_still_served():
    """MAX_CONNECTIONS 8: the good client holds 2 connections (HTTP/2 and HTTP/1.1, kept open),
    one peer fills its cap of 5 and another takes the 8th place. Then any new connection, from
    either attacker or a third address, is closed as it is accepted, counted as server_full,
    while the good client's connections go on being answered."""
    with serving(MAX_CONNECTIONS=8, MAX_CONNECTIONS_PER_PEER=5) as server:
        before = metric(scrape(server), FULL)
        with GoodClient(server, keep_connections=True) as good:
            attackers = [RawH2(server) for _ in range(5)] + [RawH2(server, source="127.0.0.4")]
            try:
                good.wait_for_probes(2)
                assert refused_at_once(server, "127.0.0.4")
                assert refused_at_once(server, "127.0.0.5")
                assert refused_at_once(server, ATTACKER)
                good.wait_for_probes(5)
            finally:
                for attacker in attackers:
                    attacker.close()
        good.assert_served()
        scrapes_refused = []

        def scrape_once_admitted():
            try:
                return scrape(server)
            except OSError:  # the attackers' places are not free yet: refused too
                scrapes_refused.append(1)
                return None

        after = wait_until(scrape_once_admitted, "a scrape")
        assert metric(after, FULL) - before == 3 + len(scrapes_refused)


# --- idle connections ---------------------------------------------------------------------------


def test_idle_connections_are_closed_after_the_idle_timeout():
    """IDLE_TIMEOUT_SECONDS 1: 50 HTTP/2 and 50 HTTP/1.1 connections each make one request
    and then hold on. HTTP/2 ones get GOAWAY NO_ERROR and are closed, HTTP/1.1 ones are closed,
    each within 1 + 2 s of its answer; none sooner than 1 s."""
    with serving(IDLE_TIMEOUT_SECONDS=1) as server:
        with GoodClient(server) as good:
            h2 = [RawH2(server) for _ in range(50)]
            for client in h2:
                client.send(client.grpc_request(1, HEALTH_CHECK))
            h1 = [connect(server) for _ in range(50)]
            for sock in h1:
                sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            answered = time.monotonic()
            try:
                for client in h2:
                    assert client.wait_closed(within=1 + MARGIN - (time.monotonic() - answered)), client.describe()
                    assert client.goaway is not None and client.goaway.error_code == NO_ERROR, client.describe()
                for sock in h1:
                    received, closed = read_for(sock, max(0.1, 1 + MARGIN - (time.monotonic() - answered)))
                    assert closed and http1_status(received) == 200, (received, closed)
                assert time.monotonic() - answered >= 1
            finally:
                for client in h2:
                    client.close()
                for sock in h1:
                    sock.close()
        good.assert_served()


def test_sigterm_while_a_client_is_half_way_through_a_request_head_exits_0():
    """Shutdown while an HTTP/1.1 client, after one answered request, has sent half of its next
    request head (a slowloris client, or just a slow one): the server must close it and exit 0.
    The debug build traps instead, every time: the pipelining handler closes the idle
    connection, the parser then reports the head cut short, and the 400 written for it hits
    NIOHTTP1's assertion "Wrote in quiescing completed state"."""
    with serving() as server:
        sock = connect(server)
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert http1_status(read_response(sock)) == 200
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHo")
        time.sleep(0.1)
        server.send_sigterm()
        code = server.wait_for_exit()
        sock.close()
        fatal = [line for line in server.stderr_tail(100_000).splitlines() if "Fatal error" in line]
        assert code == 0, f"exit code {code}: {fatal}"
