"""An HTTP/2 (h2c, prior knowledge) load generator that sends a different request each time,
which h2load cannot (it repeats one body). Used for the booking scenarios, where every request
must book a distinct slot.

`run(host, port, requests, connections, streams, seconds, grpc)` keeps `connections` ×
`streams` requests in flight until `seconds` have passed or the requests run out, and returns a
`Result`: one latency per completed request, and failures counted the way a gRPC client sees
them (anything but HTTP 2xx, a non-zero `grpc-status` in the trailers or a trailers-only
answer, a reset stream or a lost connection), and answers without the expected text. Pure
Python on the h2 package: it tops out at a few thousand requests per second on one core, which
`tools/bench` measures against nghttpd in the same run so a reader can tell whether the server
or this client was the limit.
"""

import asyncio
import dataclasses
import time

try:
    import h2.config
    import h2.connection
    import h2.events
except ImportError:  # seeding imports Request; only run() needs h2
    h2 = None


@dataclasses.dataclass
class Request:
    path: str
    headers: list  # [(name, value)] besides the pseudo-headers
    body: bytes
    method: str = "POST"


@dataclasses.dataclass
class Result:
    latencies_us: list
    failed: int
    elapsed: float
    exhausted: bool
    sample_failures: list


class _Stream:
    __slots__ = ("future", "status", "grpc_status", "data", "started")

    def __init__(self, future):
        self.future = future
        self.status = None
        self.grpc_status = None
        self.data = bytearray()
        self.started = time.perf_counter()


class _Connection:
    def __init__(self, reader, writer, authority):
        self.reader, self.writer, self.authority = reader, writer, authority
        self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding=None))
        self.streams = {}
        self.pending = []  # (stream id, remaining body) waiting for flow-control window
        self.closed = False

    async def start(self):
        self.h2.initiate_connection()
        self.h2.increment_flow_control_window(16 * 1024 * 1024)
        self.writer.write(self.h2.data_to_send())
        asyncio.get_running_loop().create_task(self._read())

    async def _read(self):
        try:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    break
                for event in self.h2.receive_data(data):
                    self._handle(event)
                self._flush_pending()
                out = self.h2.data_to_send()
                if out:
                    self.writer.write(out)
        except Exception as error:  # noqa: BLE001 - any read error ends every stream on it
            self._fail_all(f"connection error: {error!r}")
            return
        self._fail_all("connection closed by the server")

    def _fail_all(self, reason):
        self.closed = True
        for stream in self.streams.values():
            if not stream.future.done():
                stream.future.set_result(reason)
        self.streams.clear()

    def _handle(self, event):
        if isinstance(event, h2.events.ResponseReceived):
            stream = self.streams.get(event.stream_id)
            if stream:
                for name, value in event.headers:
                    if name == b":status":
                        stream.status = int(value)
                    elif name == b"grpc-status":
                        stream.grpc_status = int(value)
        elif isinstance(event, h2.events.DataReceived):
            self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            stream = self.streams.get(event.stream_id)
            if stream and len(stream.data) < 512:
                stream.data += event.data[:512]
        elif isinstance(event, h2.events.TrailersReceived):
            stream = self.streams.get(event.stream_id)
            if stream:
                for name, value in event.headers:
                    if name == b"grpc-status":
                        stream.grpc_status = int(value)
        elif isinstance(event, h2.events.StreamEnded):
            stream = self.streams.pop(event.stream_id, None)
            if stream:
                stream.future.set_result(None)
        elif isinstance(event, h2.events.StreamReset):
            stream = self.streams.pop(event.stream_id, None)
            if stream:
                stream.future.set_result(f"stream reset ({event.error_code})")
        elif isinstance(event, h2.events.ConnectionTerminated):
            self._fail_all(f"GOAWAY ({event.error_code})")

    def _flush_pending(self):
        still = []
        for stream_id, body in self.pending:
            if stream_id not in self.streams:
                continue
            window = min(self.h2.local_flow_control_window(stream_id), self.h2.max_outbound_frame_size)
            while body and window > 0:
                chunk, body = body[:window], body[window:]
                self.h2.send_data(stream_id, chunk, end_stream=not body)
                window = min(self.h2.local_flow_control_window(stream_id), self.h2.max_outbound_frame_size)
            if body:
                still.append((stream_id, body))
        self.pending = still

    async def request(self, request, grpc, expect):
        """Sends `request`; returns None on success, else why it failed."""
        if self.closed:
            return "connection closed"
        stream_id = self.h2.get_next_available_stream_id()
        future = asyncio.get_running_loop().create_future()
        stream = _Stream(future)
        self.streams[stream_id] = stream
        headers = [(":method", request.method), (":scheme", "http"), (":authority", self.authority),
                   (":path", request.path)] + request.headers
        self.h2.send_headers(stream_id, headers, end_stream=not request.body)
        if request.body:
            self.pending.append((stream_id, request.body))
            self._flush_pending()
        self.writer.write(self.h2.data_to_send())
        reason = await future
        if reason:
            return reason
        if stream.status is None or not 200 <= stream.status < 300:
            return f"HTTP {stream.status}: {bytes(stream.data[:200])!r}"
        if grpc and stream.grpc_status != 0:
            return f"grpc-status {stream.grpc_status}"
        if expect and expect not in stream.data:
            return f"answer without {expect!r}: {bytes(stream.data[:200])!r}"
        return None


async def _run(host, port, requests, connections, streams, seconds, grpc, expect):
    latencies, failures = [], []
    iterator = iter(requests)
    deadline = time.perf_counter() + seconds
    exhausted = False

    async def worker(connection):
        nonlocal exhausted
        while time.perf_counter() < deadline:
            try:
                request = next(iterator)
            except StopIteration:
                exhausted = True
                return
            started = time.perf_counter()
            reason = await connection.request(request, grpc, expect)
            if reason:
                failures.append(reason)
            else:
                latencies.append(int((time.perf_counter() - started) * 1_000_000))

    opened = []
    for _ in range(connections):
        reader, writer = await asyncio.open_connection(host, port)
        connection = _Connection(reader, writer, f"{host}:{port}")
        await connection.start()
        opened.append(connection)
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(worker(c) for c in opened for _ in range(streams)))
    elapsed = time.perf_counter() - started
    for connection in opened:
        connection.writer.close()
    return Result(latencies, len(failures), elapsed, exhausted, failures[:5])


def run(host, port, requests, connections, streams, seconds, grpc, expect=None):
    """`expect`: bytes every answer's first 512 bytes must contain (for answers that say in
    their body whether they did the work, like a webhook's "applied")."""
    if h2 is None:
        raise SystemExit("h2client.py needs the h2 package (pip install -r Tests/Interop/requirements.txt)")
    return asyncio.run(_run(host, port, requests, connections, streams, seconds, grpc, expect))
