"""A loopback stand-in for Trigger.dev's management API (providers.md §6), for interop tests
that start call-booking with TRIGGER_DEV_BASE_URL pointing here.

It speaks the documented routes and shapes:
  POST /api/v1/tasks/{task}/trigger  {"payload": …, "options": {…}}  ->  200 {"id": "run_…", "isCached": bool}
  POST /api/v2/runs/{run}/cancel                                     ->  200 {"id": "run_…"}
Errors are `{"error": "…"}`: 401 for a wrong or missing Bearer key, 404 for an unknown route
or run, 400 for a body that is not a JSON object. A repeated idempotency key (the
`Idempotency-Key` header, else `options.idempotencyKey`) per task returns the existing run with
`isCached: true`, as Trigger.dev does, also after that run was cancelled.

Every request is recorded (method, path, headers, parsed JSON body) before it is answered, and
`fail_next(n, status)` makes the next n requests fail with that status, to exercise retries.

    with TriggerAPIFake(api_key="tr_dev_test") as fake:
        env["TRIGGER_DEV_BASE_URL"] = fake.url
        ...
        assert [r.path for r in fake.requests] == ["/api/v1/tasks/call-booking.reminder/trigger"]
"""

import dataclasses
import http.server
import json
import re
import secrets
import threading

TRIGGER_PATH = re.compile(r"^/api/v1/tasks/([A-Za-z0-9._~-]+)/trigger$")
CANCEL_PATH = re.compile(r"^/api/v2/runs/([A-Za-z0-9._~-]+)/cancel$")


@dataclasses.dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict  # lower-case names
    body: object  # parsed JSON, or None when there was no body; the raw bytes are in `raw`
    raw: bytes

    @property
    def task(self):
        match = TRIGGER_PATH.match(self.path)
        return match.group(1) if match else None

    @property
    def idempotency_key(self):
        options = self.body.get("options", {}) if isinstance(self.body, dict) else {}
        return self.headers.get("idempotency-key") or options.get("idempotencyKey")


@dataclasses.dataclass
class Run:
    id: str
    task: str
    payload: object
    options: dict
    status: str  # DELAYED (when options.delay is set), QUEUED, CANCELED


class TriggerAPIFake:
    """Threaded HTTP server on 127.0.0.1 (a free port); `url` is its base URL."""

    def __init__(self, api_key="tr_dev_interop_fake"):
        self.api_key = api_key
        self._lock = threading.Lock()
        self._requests = []
        self._runs = {}  # run id -> Run
        self._keys = {}  # (task, idempotency key) -> run id
        self._failures = []  # statuses to answer with, one per coming request
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                fake._handle(self)

            def do_GET(self):
                fake._handle(self)

            def log_message(self, *args):  # keep pytest output clean
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    # -- what tests read and steer

    @property
    def requests(self):
        with self._lock:
            return list(self._requests)

    @property
    def runs(self):
        with self._lock:
            return dict(self._runs)

    def triggers(self, task=None):
        """The recorded trigger requests, optionally of one task."""
        return [r for r in self.requests if r.task and (task is None or r.task == task)]

    def fail_next(self, count, status=500, error="Internal server error"):
        """Answer the next `count` requests with `status` and `{"error": error}`, recording them."""
        with self._lock:
            self._failures.extend([(status, error)] * count)

    # -- the API

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = ValueError
        request = RecordedRequest(
            method=handler.command,
            path=handler.path,
            headers={name.lower(): value for name, value in handler.headers.items()},
            body=None if body is ValueError else body,
            raw=raw,
        )
        with self._lock:
            self._requests.append(request)
            failure = self._failures.pop(0) if self._failures else None
        if failure:
            return self._reply(handler, failure[0], {"error": failure[1]})
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return self._reply(handler, 401, {"error": "Invalid or Missing API key"})
        if handler.command != "POST":
            return self._reply(handler, 404, {"error": "Not found"})
        if match := TRIGGER_PATH.match(request.path):
            if body is ValueError or not isinstance(body, dict):
                return self._reply(handler, 400, {"error": "Invalid request body"})
            return self._trigger(handler, match.group(1), body, request.idempotency_key)
        if match := CANCEL_PATH.match(request.path):
            return self._cancel(handler, match.group(1))
        return self._reply(handler, 404, {"error": "Not found"})

    def _trigger(self, handler, task, body, key):
        options = body.get("options") or {}
        with self._lock:
            existing = self._keys.get((task, key)) if key else None
            if existing:
                return self._reply(handler, 200, {"id": existing, "isCached": True})
            run_id = "run_" + secrets.token_hex(10)
            status = "DELAYED" if options.get("delay") else "QUEUED"
            self._runs[run_id] = Run(run_id, task, body.get("payload"), options, status)
            if key:
                self._keys[(task, key)] = run_id
        return self._reply(handler, 200, {"id": run_id, "isCached": False})

    def _cancel(self, handler, run_id):
        with self._lock:
            run = self._runs.get(run_id)
            if run is None:
                return self._reply(handler, 404, {"error": "Run not found"})
            run.status = "CANCELED"
        return self._reply(handler, 200, {"id": run_id})

    @staticmethod
    def _reply(handler, status, document):
        data = json.dumps(document).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
