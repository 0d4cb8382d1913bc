"""A raw HTTP/2 (prior knowledge) client on the `h2` library, for frame-level gRPC tests.

Unlike grpcio it sends exactly what a test asks for (split frames, bad prefixes, resets) and
records what came back per stream, in order, as the `h2` events that carry it.
"""

import dataclasses
import socket
import struct
import time

import h2.config
import h2.connection
import h2.events

# Bounds a wait for something the server must send; passing it is a failure, not a pass.
WAIT_SECONDS = 10
HEALTH_CHECK = "/grpc.health.v1.Health/Check"
HEALTH_WATCH = "/grpc.health.v1.Health/Watch"
# HealthCheckResponse{status: SERVING}, length-prefixed.
SERVING_MESSAGE = bytes.fromhex("00" "00000002" "0801")


def grpc_frame(message, compressed=False):
    """The 5-byte prefix (flag, big-endian length) followed by the message."""
    return struct.pack(">BI", 1 if compressed else 0, len(message)) + message


def health_request(service=""):
    """HealthCheckRequest{service}, serialized by hand (field 1, length-delimited)."""
    encoded = service.encode()
    assert len(encoded) < 128, "one-byte length only"
    return (b"\x0a" + bytes([len(encoded)]) + encoded) if encoded else b""


@dataclasses.dataclass
class Stream:
    id: int
    events: list = dataclasses.field(default_factory=list)
    headers: dict = None  # the response HEADERS block (first), names and values as str
    data: bytearray = dataclasses.field(default_factory=bytearray)
    trailers: dict = None
    ended: bool = False  # the server sent END_STREAM
    reset_code: int = None  # RST_STREAM from the server

    @property
    def closed(self):
        return self.ended or self.reset_code is not None

    @property
    def grpc_status(self):
        """grpc-status from the trailers, or from a Trailers-Only HEADERS block."""
        for block in (self.trailers, self.headers):
            if block and "grpc-status" in block:
                return int(block["grpc-status"])
        return None

    def kinds(self):
        """The events in order, by short name: headers, data, trailers, end, reset."""
        names = {
            h2.events.ResponseReceived: "headers",
            h2.events.InformationalResponseReceived: "informational",
            h2.events.DataReceived: "data",
            h2.events.TrailersReceived: "trailers",
            h2.events.StreamEnded: "end",
            h2.events.StreamReset: "reset",
        }
        return [names.get(type(event), type(event).__name__) for event in self.events]

    def describe(self):
        return (f"stream {self.id}: events {self.kinds()}, headers {self.headers}, "
                f"data {bytes(self.data).hex()}, trailers {self.trailers}, reset {self.reset_code}")


class Client:
    """One HTTP/2 connection. Every method that waits raises AssertionError after WAIT_SECONDS."""

    def __init__(self, port, host="127.0.0.1", source=None):
        """`source`: the local address to connect from (any 127.x.y.z on loopback is another
        peer to the server's per-peer connection cap)."""
        self.authority = f"{host}:{port}"
        self.socket = socket.create_connection(
            (host, port), timeout=WAIT_SECONDS, source_address=(source, 0) if source else None)
        config = h2.config.H2Configuration(client_side=True, header_encoding="utf-8")
        self.connection = h2.connection.H2Connection(config=config)
        self.connection.initiate_connection()
        self.streams = {}
        self.connection_events = []  # events not tied to one stream (settings, GOAWAY, ...)
        self.peer_closed = False
        self.flush()

    def close(self):
        self.socket.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def flush(self):
        pending = self.connection.data_to_send()
        if pending:
            self.socket.sendall(pending)

    # --- sending ----------------------------------------------------------------------------

    def request_headers(self, path, content_type="application/grpc", extra=()):
        headers = [(":method", "POST"), (":scheme", "http"), (":path", path),
                   (":authority", self.authority), ("te", "trailers")]
        if content_type is not None:
            headers.append(("content-type", content_type))
        return headers + list(extra)

    def start(self, path, content_type="application/grpc", extra=(), end_stream=False, flush=True):
        """Opens a stream with request HEADERS; returns its Stream."""
        stream_id = self.connection.get_next_available_stream_id()
        self.streams[stream_id] = Stream(stream_id)
        self.connection.send_headers(
            stream_id, self.request_headers(path, content_type, extra), end_stream=end_stream)
        if flush:
            self.flush()
        return self.streams[stream_id]

    def send(self, stream, data, end_stream=False):
        self.connection.send_data(stream.id, data, end_stream=end_stream)
        self.flush()

    def end(self, stream):
        self.connection.end_stream(stream.id)
        self.flush()

    def reset(self, stream, error_code):
        self.connection.reset_stream(stream.id, error_code=error_code)
        self.flush()

    def unary(self, path, message, **options):
        """HEADERS, then one DATA frame holding the framed message with END_STREAM, written
        together: the server has the whole request before it can answer."""
        stream = self.start(path, flush=False, **options)
        self.send(stream, grpc_frame(message), end_stream=True)
        return stream

    # --- receiving --------------------------------------------------------------------------

    def wait_until(self, condition, what):
        """Reads and handles frames until condition() holds."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.peer_closed:
                # Open streams first: those are what the wait is usually about.
                ordered = sorted(self.streams.values(), key=lambda s: (s.closed, s.id))
                streams = "\n".join(s.describe() for s in ordered[:10])
                why = "the server closed the connection" if self.peer_closed else f"{WAIT_SECONDS} s passed"
                raise AssertionError(
                    f"waiting for {what}: {why}. Connection events: {self.connection_events}\n{streams}")
            self._receive(remaining)

    def _receive(self, timeout):
        """One read of at most `timeout` seconds; its frames are handled and answered."""
        self.socket.settimeout(timeout)
        try:
            chunk = self.socket.recv(65536)
        except socket.timeout:
            return
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.peer_closed = True
            return
        for event in self.connection.receive_data(chunk):
            self._handle(event)
        self.flush()

    def read_for(self, seconds):
        """Reads and handles whatever arrives for `seconds` (no condition: for "nothing more
        comes" checks). Stops early if the server closes the connection."""
        deadline = time.monotonic() + seconds
        while not self.peer_closed and time.monotonic() < deadline:
            self._receive(deadline - time.monotonic())

    def wait_closed(self, stream):
        self.wait_until(lambda: stream.closed, f"the end of stream {stream.id}")
        return stream

    def wait_headers(self, stream):
        self.wait_until(lambda: stream.headers is not None or stream.closed,
                        f"response headers on stream {stream.id}")
        return stream

    def _handle(self, event):
        stream = self.streams.get(getattr(event, "stream_id", None) or 0)
        if isinstance(event, h2.events.DataReceived):
            # Hand the window back at once, so that flow control never stalls a test.
            self.connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        if stream is None:
            self.connection_events.append(event)
            return
        stream.events.append(event)
        if isinstance(event, h2.events.ResponseReceived):
            stream.headers = dict(event.headers)
        elif isinstance(event, h2.events.DataReceived):
            stream.data += event.data
        elif isinstance(event, h2.events.TrailersReceived):
            stream.trailers = dict(event.headers)
        elif isinstance(event, h2.events.StreamEnded):
            stream.ended = True
        elif isinstance(event, h2.events.StreamReset):
            stream.reset_code = int(event.error_code)

    def events_of(self, kind):
        return [event for event in self.connection_events if isinstance(event, kind)]
