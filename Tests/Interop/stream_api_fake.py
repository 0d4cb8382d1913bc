"""A loopback stand-in for Stream Video's server-side REST API (providers.md §3), speaking its
documented format and recording every request it gets, so tests can check what call-booking
sent and make Stream fail on purpose.

Endpoints: `POST /api/v2/users` (upsert), `POST /api/v2/video/call/{type}/{id}` (get-or-create),
`GET /api/v2/video/call/{type}/{id}/recordings` (list). Anything else is 404 in Stream's error
shape.
"""

import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CALL_PATH = re.compile(r"^/api/v2/video/call/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)$")
RECORDINGS_PATH = re.compile(r"^/api/v2/video/call/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)/recordings$")


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict  # lower-case names
    body: object  # parsed JSON, or None
    status: int = 0  # what the fake answered


@dataclass
class StreamAPIFake:
    requests: list = field(default_factory=list)
    # The next this-many get-or-create requests answer 503 (a Stream outage).
    failures_left: int = 0
    # call id -> [recording dicts] that the list endpoint answers.
    recordings: dict = field(default_factory=dict)
    calls: dict = field(default_factory=dict)

    def __post_init__(self):
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                url = urllib.parse.urlsplit(self.path)
                request = Request(
                    method=self.command, path=url.path,
                    query=dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=json.loads(raw) if raw else None)
                status, answer = fake._answer(request)
                request.status = status
                with fake._lock:
                    fake.requests.append(request)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self):
        self._server.shutdown()
        self._server.server_close()

    def seen(self, method=None, path=None):
        with self._lock:
            return [r for r in self.requests
                    if (method is None or r.method == method) and (path is None or r.path == path)]

    def _error(self, status, message, unrecoverable=False):
        return status, {"code": 4 if status < 500 else -1, "message": message, "StatusCode": status,
                        "duration": "0.10ms", "more_info": "https://getstream.io/chat/docs/api_errors_response",
                        "details": [], "unrecoverable": unrecoverable}

    def _answer(self, request):
        if request.query.get("api_key") is None:
            return self._error(401, "api_key is missing")
        if request.method == "POST" and request.path == "/api/v2/users":
            users = (request.body or {}).get("users", {})
            return 201, {"users": users, "duration": "0.50ms"}
        match = CALL_PATH.match(request.path)
        if request.method == "POST" and match:
            with self._lock:
                if self.failures_left > 0:
                    self.failures_left -= 1
                    return self._error(503, "GetOrCreateCall failed: service unavailable")
                cid = f"{match.group(1)}:{match.group(2)}"
                created = cid not in self.calls
                self.calls.setdefault(cid, request.body)
            data = (request.body or {}).get("data", {})
            return 201, {"created": created, "duration": "1.20ms", "own_capabilities": [],
                         "members": [{"user_id": m["user_id"], "role": m.get("role")} for m in data.get("members", [])],
                         "call": {"id": match.group(2), "type": match.group(1), "cid": cid,
                                  "created_by": {"id": data.get("created_by_id")},
                                  "starts_at": data.get("starts_at"), "custom": data.get("custom", {}),
                                  "settings": data.get("settings_override", {})}}
        match = RECORDINGS_PATH.match(request.path)
        if request.method == "GET" and match:
            with self._lock:
                listed = list(self.recordings.get(match.group(2), []))
            return 200, {"recordings": listed, "duration": "0.80ms"}
        return self._error(404, f"{request.method} {request.path} is not an endpoint")
