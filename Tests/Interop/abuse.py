"""What the abuse suite (test_abuse_*.py) shares: a server of the test's own with the limits it
sets, the server's memory and metrics, a well-behaved client that must keep getting answers
while an attack runs, and raw sockets and HTTP/2 frames for clients that misbehave on purpose.

Loopback peers: the server counts connections per source address, and all of 127.0.0.0/8
reaches it. Attackers connect from ATTACKER; the good client from GOOD and the metrics scraper
from SCRAPER, so that caps aimed at the attacker never hit them.
"""

import atexit
import contextlib
import http.client
import re
import socket
import struct
import threading
import time

import hpack
from hyperframe.frame import (ContinuationFrame, Frame, GoAwayFrame, HeadersFrame,
                              RstStreamFrame, SettingsFrame)

from databases import fresh_database
from h2wire import HEALTH_CHECK, SERVING_MESSAGE, Client, grpc_frame, health_request
from server import Server

ATTACKER, GOOD, SCRAPER = "127.0.0.1", "127.0.0.2", "127.0.0.3"
# Bounds every wait for something the server must do; passing it is a failure.
WAIT_SECONDS = 10


_database = None
_database_cleanup = contextlib.ExitStack()


def suite_database():
    """One empty database for all the servers of the suite, dropped at exit. With no rows of
    other tests (Calendly-linked experts to sync, provider jobs to retry), the servers make no
    outbound calls, so they start and stop alike whatever ran before."""
    global _database
    if _database is None:
        _database = _database_cleanup.enter_context(fresh_database("callbooking_abuse"))
        atexit.register(_database_cleanup.close)
    return _database


@contextlib.contextmanager
def serving(**settings):
    """A call-booking process with these settings (env vars); it must still exit 0 on SIGTERM
    after the test, however it was treated."""
    server = Server(grace_seconds=2, log_level="warning", database_url=suite_database(),
                    extra_environment={name: str(value) for name, value in settings.items()})
    try:
        yield server
        server.stop()
    finally:
        server.close()


def wait_until(condition, what, timeout=WAIT_SECONDS, interval=0.05):
    """Polls condition() until it returns something truthy, which is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(interval)


# --- memory -----------------------------------------------------------------------------------


def rss_mib(server):
    """The server's resident set (VmRSS), in MiB."""
    with open(f"/proc/{server.process.pid}/status") as status:
        kib = int(re.search(r"^VmRSS:\s+(\d+) kB", status.read(), re.M).group(1))
    return kib / 1024


class Memory:
    """The server's RSS from now on: the baseline at the start, the peak sampled every 20 ms."""

    def __init__(self, server):
        self.server = server
        self.baseline = self.peak = rss_mib(server)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._stop.wait(0.02):
            try:
                self.peak = max(self.peak, rss_mib(self.server))
            except (OSError, AttributeError):  # the process has gone (a test failed before)
                return

    def now(self):
        return rss_mib(self.server)

    @property
    def growth(self):
        """Peak over baseline so far, in MiB."""
        return max(self.peak, rss_mib(self.server)) - self.baseline

    def assert_growth_below(self, mib):
        self._stop.set()
        self._thread.join()
        growth = self.growth
        print(f"RSS: baseline {self.baseline:.1f} MiB, growth {growth:.1f} MiB (bound {mib})")
        assert growth < mib, (f"RSS grew {growth:.1f} MiB (baseline {self.baseline:.1f} MiB, "
                              f"peak {self.peak:.1f} MiB); allowed < {mib} MiB")
        return growth


# --- metrics ----------------------------------------------------------------------------------


def scrape(server):
    """GET /metrics from SCRAPER: {'name{labels}': value} of every sample."""
    connection = server.http_connection(timeout=WAIT_SECONDS, source_address=(SCRAPER, 0))
    try:
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        text = response.read().decode()
    finally:
        connection.close()
    assert response.status == 200, (response.status, text)
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, value = line.rsplit(" ", 1)
            samples[key] = float(value)
    return samples


def metric(samples, key):
    """A sample by its exact key; a counter that never counted is absent, i.e. 0."""
    return samples.get(key, 0.0)


HANDLERS, WATCHES, CONNECTIONS = "rpc_server_handlers_running", "health_watch_streams", "http_connections"
# Nothing running but the scrape's own handler.
IDLE = {HANDLERS: 1.0, WATCHES: 0.0}


def wait_for_gauges(server, expected, timeout=WAIT_SECONDS):
    """Scrapes until every gauge in `expected` ({key: value}) has that value."""
    seen = {}

    def settled():
        samples = scrape(server)
        seen.update({key: metric(samples, key) for key in expected})
        return all(seen[key] == value for key, value in expected.items())

    try:
        wait_until(settled, "gauges back", timeout, interval=0.1)
    except AssertionError:
        raise AssertionError(f"gauges did not come back within {timeout} s: expected {expected}, "
                             f"last seen {seen}") from None


# --- the well-behaved client ------------------------------------------------------------------

PROBE_INTERVAL = 0.1
# A health answer slower than this, on an idle machine a millisecond, counts as not served.
PROBE_DEADLINE = 3.0


class GoodClient:
    """A client from GOOD asking for health every PROBE_INTERVAL in a thread, alternately
    Health/Check over HTTP/2 and GET /api/health over HTTP/1.1, each on a new connection (so
    the accept path is exercised too) unless `keep_connections`. Every answer must be SERVING
    / 200 within PROBE_DEADLINE: assert_served() checks that after the attack."""

    def __init__(self, server, keep_connections=False):
        self.server = server
        self.keep_connections = keep_connections
        self.results = []  # (protocol, seconds, error or None)
        self._h2 = self._h1 = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if self.keep_connections:
            self._h2 = Client(self.server.port, source=GOOD)
            self._h1 = self._http1_connection()
            self._h1.connect()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        for connection in (self._h2, self._h1):
            if connection is not None:
                connection.close()

    def _http1_connection(self):
        return http.client.HTTPConnection(
            "127.0.0.1", self.server.port, timeout=PROBE_DEADLINE, source_address=(GOOD, 0))

    def _run(self):
        protocols = [("http2", self._check_http2), ("http1", self._check_http1)]
        turn = 0
        while not self._stop.is_set():
            protocol, probe = protocols[turn % 2]
            turn += 1
            started = time.monotonic()
            try:
                probe()
                error = None
            except Exception as failure:  # any failure is what the test reports
                error = repr(failure)
            elapsed = time.monotonic() - started
            if error is None and elapsed > PROBE_DEADLINE:
                error = f"answered after {elapsed:.2f} s"
            self.results.append((protocol, elapsed, error))
            self._stop.wait(PROBE_INTERVAL)

    def _check_http2(self):
        client = self._h2 or Client(self.server.port, source=GOOD)
        try:
            client.socket.settimeout(PROBE_DEADLINE)
            stream = client.wait_closed(client.unary(HEALTH_CHECK, health_request()))
            assert bytes(stream.data) == SERVING_MESSAGE and stream.grpc_status == 0, stream.describe()
        finally:
            if client is not self._h2:
                client.close()

    def _check_http1(self):
        connection = self._h1 or self._http1_connection()
        try:
            connection.request("GET", "/api/health")
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200, (response.status, body)
        finally:
            if connection is not self._h1:
                connection.close()

    def rounds(self, probes=5, timeout=60):
        """Counts attack rounds 0, 1, 2, ... until `probes` probes have been made since the
        first (at least one round): an attacker that comes back for as long as the good client
        is watching, however slow the machine."""
        target = len(self.results) + probes
        deadline = time.monotonic() + timeout
        count = 0
        while count == 0 or len(self.results) < target:
            assert time.monotonic() < deadline, f"{probes} probes did not run within {timeout} s"
            yield count
            count += 1

    def wait_for_probes(self, count=5):
        """Blocks until `count` more probes have been made: for attacks that hold something
        (streams, sockets) rather than keep sending, the good client is served meanwhile."""
        target = len(self.results) + count
        wait_until(lambda: len(self.results) >= target, f"{count} health probes",
                   timeout=count * (PROBE_DEADLINE + PROBE_INTERVAL) + WAIT_SECONDS)

    def assert_served(self, at_least=3):
        """Every probe answered in time, and at least `at_least` of them ran."""
        failures = [result for result in self.results if result[2] is not None]
        slowest = max((seconds for _, seconds, _ in self.results), default=0)
        print(f"good client: {len(self.results)} probes, slowest {slowest:.3f} s, {len(failures)} failed")
        assert not failures, f"{len(failures)} of {len(self.results)} health probes failed: {failures[:5]}"
        assert len(self.results) >= at_least, f"only {len(self.results)} probes ran during the attack"
        return slowest


# --- raw sockets ------------------------------------------------------------------------------


def connect(server, source=ATTACKER):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.settimeout(WAIT_SECONDS)
    sock.connect(("127.0.0.1", server.port))
    return sock


def read_for(sock, seconds):
    """(what the server sent within `seconds`, whether it closed the connection)."""
    deadline = time.monotonic() + seconds
    received = bytearray()
    while (remaining := deadline - time.monotonic()) > 0:
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            return bytes(received), True
        if not chunk:
            return bytes(received), True
        received += chunk
    return bytes(received), False


def read_until_closed(sock, within=WAIT_SECONDS):
    """Everything the server sent until it closed the connection; None if it is still open
    `within` seconds from now."""
    received, closed = read_for(sock, within)
    return received if closed else None


def flood(sock, chunk, seconds):
    """Writes `chunk` again and again without reading, for up to `seconds`: "disconnected" when
    the server closes the connection, "throttled" when writes have been blocked for the last
    second (the server stopped reading), else "accepted" (the server kept taking it all)."""
    sock.setblocking(False)
    deadline = time.monotonic() + seconds
    blocked_since = None
    try:
        while time.monotonic() < deadline:
            try:
                sock.send(chunk)
                blocked_since = None
            except BlockingIOError:
                blocked_since = blocked_since or time.monotonic()
                time.sleep(0.01)
            except OSError:  # reset or broken pipe
                return "disconnected"
        if blocked_since is not None and time.monotonic() - blocked_since >= 1:
            return "throttled"
        return "accepted"
    finally:
        sock.setblocking(True)


def read_response(sock, within=WAIT_SECONDS):
    """One HTTP/1.1 response (head and Content-Length body) as bytes, read as it arrives;
    whatever came if the server closes first or `within` passes."""
    deadline = time.monotonic() + within
    received = bytearray()
    while (remaining := deadline - time.monotonic()) > 0:
        head_end = received.find(b"\r\n\r\n")
        if head_end >= 0:
            length = re.search(rb"\r\ncontent-length: *(\d+)", received[:head_end], re.I)
            if len(received) >= head_end + 4 + (int(length.group(1)) if length else 0):
                break
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            break
        if not chunk:
            break
        received += chunk
    return bytes(received)


def http1_status(response):
    """The status code of the first HTTP/1.1 response in `response` bytes."""
    match = re.match(rb"HTTP/1\.1 (\d{3}) ", response or b"")
    assert match, f"not an HTTP/1.1 response: {response[:200]!r}"
    return int(match.group(1))


# --- HTTP/2 frame by frame --------------------------------------------------------------------

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM = ACK = 0x1
END_HEADERS = 0x4
# Error codes (RFC 9113 §7), 0..13.
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, SETTINGS_TIMEOUT, STREAM_CLOSED, \
    FRAME_SIZE_ERROR, REFUSED_STREAM, CANCEL, COMPRESSION_ERROR, CONNECT_ERROR, ENHANCE_YOUR_CALM, \
    INADEQUATE_SECURITY, HTTP_1_1_REQUIRED = range(14)
INITIAL_WINDOW_SIZE_SETTING = 0x4


def frame(kind, stream_id=0, payload=b"", flags=0):
    return struct.pack(">I", len(payload))[1:] + struct.pack(">BBI", kind, flags, stream_id) + payload


def settings_frame(values=None):
    return frame(SETTINGS, payload=b"".join(struct.pack(">HI", k, v) for k, v in (values or {}).items()))


def rst_stream(stream_id, code):
    return frame(RST_STREAM, stream_id, struct.pack(">I", code))


def stateless_block(fields):
    """A header block that leaves the HPACK dynamic table alone (static indexes and literals
    never indexed): the same bytes can open any number of streams on any connection."""
    return hpack.Encoder().encode([hpack.NeverIndexedHeaderTuple(n, v) for n, v in fields], huffman=False)


def hpack_literal(name, value, index_it=False):
    """One header field as an HPACK literal without Huffman coding (RFC 7541 §6.2): the name by
    static table index (an int) or spelled out, then the value; added to the dynamic table
    only if `index_it`."""
    def string(text):
        raw = text.encode()
        return bytes(hpack.hpack.encode_integer(len(raw), 7)) + raw
    prefix_bits, flag = (6, 0x40) if index_it else (4, 0x00)
    head = bytearray(hpack.hpack.encode_integer(name if isinstance(name, int) else 0, prefix_bits))
    head[0] |= flag
    return bytes(head) + (b"" if isinstance(name, int) else string(name)) + string(value)


def header_frames(stream_id, block, end_stream=False, max_frame=16384):
    """HEADERS, then as many CONTINUATION frames as the block needs."""
    pieces = [block[i:i + max_frame] for i in range(0, len(block), max_frame)] or [b""]
    frames = [frame(HEADERS if i == 0 else CONTINUATION, stream_id, piece,
                    (END_STREAM if end_stream and i == 0 else 0) | (END_HEADERS if i == len(pieces) - 1 else 0))
              for i, piece in enumerate(pieces)]
    return b"".join(frames)


class RawH2:
    """An HTTP/2 connection that sends exactly the bytes it is given (frame() and the builders
    below) and records every frame the server sends, header blocks decoded. It never sends
    WINDOW_UPDATE. Unless `ack_settings` is false, it waits for the server's SETTINGS and
    acknowledges them before it returns (and any SETTINGS later as they are read), so that
    the acknowledgement never lands inside a header block a test leaves open."""

    def __init__(self, server, source=ATTACKER, settings=None, ack_settings=True):
        self.authority = f"127.0.0.1:{server.port}"
        self.socket = connect(server, source)
        self.ack_settings = ack_settings
        self.encoder, self.decoder = hpack.Encoder(), hpack.Decoder()
        self.decoder.max_header_list_size = 1 << 20
        self.frames = []  # what the server sent, in order
        self.closed = False
        self._buffer = bytearray()
        self._block = None  # (HEADERS frame, fragments) until END_HEADERS
        self.send(PREFACE + settings_frame(settings))
        if ack_settings:
            self.wait_for(lambda c: c.of(SettingsFrame), "the server's SETTINGS")

    def close(self):
        self.socket.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- sending ---

    def send(self, *chunks):
        """Writes the bytes; False (and `closed`) if the server has closed the connection."""
        try:
            self.socket.sendall(b"".join(chunks))
            return True
        except (BrokenPipeError, ConnectionResetError):
            self.closed = True
            return False

    def header_block(self, path, method="POST", content_type="application/grpc", extra=()):
        fields = [(":method", method), (":scheme", "http"), (":path", path), (":authority", self.authority)]
        if content_type:
            fields += [("content-type", content_type), ("te", "trailers")]
        return self.encoder.encode(fields + list(extra), huffman=False)

    def headers(self, stream_id, path, end_stream=False, end_headers=True, **fields):
        flags = (END_STREAM if end_stream else 0) | (END_HEADERS if end_headers else 0)
        return frame(HEADERS, stream_id, self.header_block(path, **fields), flags)

    def grpc_request(self, stream_id, path, message=b"", **fields):
        """HEADERS, then DATA with the framed message and END_STREAM."""
        return self.headers(stream_id, path, **fields) + frame(DATA, stream_id, grpc_frame(message), END_STREAM)

    # --- receiving ---

    def receive(self, timeout):
        """Reads once (at most `timeout` seconds) and records the frames; False once closed."""
        if self.closed:
            return False
        self.socket.settimeout(max(timeout, 0.001))
        try:
            chunk = self.socket.recv(1 << 20)
        except socket.timeout:
            return True
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self._buffer += chunk
        self._parse()
        return True

    def _parse(self):
        replies = []
        while len(self._buffer) >= 9:
            received, length = Frame.parse_frame_header(memoryview(self._buffer[:9]))
            if len(self._buffer) < 9 + length:
                break
            received.parse_body(memoryview(self._buffer[9:9 + length]))
            del self._buffer[:9 + length]
            self._record(received)
            if isinstance(received, SettingsFrame) and "ACK" not in received.flags and self.ack_settings:
                replies.append(frame(SETTINGS, flags=ACK))
        if replies:
            self.send(*replies)

    def _record(self, received):
        if isinstance(received, HeadersFrame):
            self._block = (received, [received.data])
        elif isinstance(received, ContinuationFrame) and self._block:
            self._block[1].append(received.data)
        if isinstance(received, (HeadersFrame, ContinuationFrame)) and "END_HEADERS" in received.flags:
            headers_frame, fragments = self._block
            headers_frame.fields = dict(self.decoder.decode(b"".join(fragments), raw=False))
            self._block = None
        self.frames.append(received)

    def wait_for(self, condition, what, timeout=WAIT_SECONDS):
        """Reads until condition(self) is truthy; its value is returned."""
        deadline = time.monotonic() + timeout
        while not (value := condition(self)):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closed:
                why = "the server closed the connection" if self.closed else f"{timeout} s passed"
                raise AssertionError(f"waiting for {what}: {why}; last frames: {self.describe()}")
            self.receive(remaining)
        return value

    def read_for(self, seconds):
        deadline = time.monotonic() + seconds
        while not self.closed and time.monotonic() < deadline:
            self.receive(deadline - time.monotonic())

    def wait_closed(self, within=WAIT_SECONDS):
        """True once the server closed the connection, reading whatever comes until then."""
        self.read_for(within)
        return self.closed

    # --- what came back ---

    def of(self, kind, stream_id=None):
        return [f for f in self.frames if isinstance(f, kind) and (stream_id is None or f.stream_id == stream_id)]

    @property
    def goaway(self):
        """The first GOAWAY, or None."""
        return next(iter(self.of(GoAwayFrame)), None)

    def resets(self):
        """{stream id: error code} of every RST_STREAM received."""
        return {f.stream_id: f.error_code for f in self.of(RstStreamFrame)}

    def grpc_status(self, stream_id):
        """grpc-status of the stream's last header block (trailers or Trailers-Only)."""
        blocks = [f.fields for f in self.of(HeadersFrame, stream_id) if hasattr(f, "fields")]
        status = blocks[-1].get("grpc-status") if blocks else None
        return int(status) if status is not None else None

    def describe(self, last=12):
        def one(f):
            extra = getattr(f, "fields", None) or getattr(f, "error_code", "")
            return f"{type(f).__name__}({f.stream_id}, {sorted(f.flags)}, {extra})"
        return f"closed={self.closed}, {len(self.frames)} frames: " + ", ".join(one(f) for f in self.frames[-last:])


