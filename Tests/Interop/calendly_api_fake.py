"""A loopback stand-in for Calendly's API v2 (providers.md §2) with just what the webhook
handling calls: `GET /scheduled_events/{uuid}` answering `{"resource": <scheduled event>}`, or
Calendly's 404 error body for an event it was not given. Every request is recorded (method,
path, headers) so tests can check what the server sent."""

import http.server
import json
import threading


class CalendlyAPIFake:
    def __init__(self):
        self.events = {}
        self.requests = []
        self._lock = threading.Lock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with fake._lock:
                    fake.requests.append({"method": "GET", "path": self.path,
                                          "headers": {k.lower(): v for k, v in self.headers.items()}})
                    prefix = "/scheduled_events/"
                    event = fake.events.get(self.path[len(prefix):]) if self.path.startswith(prefix) else None
                if event is None:
                    self._answer(404, {"title": "Resource Not Found",
                                       "message": "The server could not find the requested resource."})
                else:
                    self._answer(200, {"resource": event})

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add_scheduled_event(self, event):
        """Serves `event` (a scheduled event object) at its URI's UUID."""
        with self._lock:
            self.events[event["uri"].rsplit("/", 1)[-1]] = event

    def requests_for(self, path):
        with self._lock:
            return [request for request in self.requests if request["path"] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
