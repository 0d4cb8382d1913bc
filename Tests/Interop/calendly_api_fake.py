"""A loopback stand-in for Calendly's API v2 (providers.md §2), speaking its formats:

- `GET /user_availability_schedules?user=<user URI>` → `{"collection": [<schedule>, ...]}`
- `GET /user_busy_times?user=<URI>&start_time=<ISO>&end_time=<ISO>` → `{"collection": [...]}`:
  the busy times it was given that overlap the range, ascending; a range over 7 days, a start in
  the past or an end not after the start is Calendly's 400 error body
- `GET /scheduled_events/{uuid}` → `{"resource": <scheduled event>}`

A user (or event) it was not given is Calendly's 404 `Resource Not Found` body; `fail_user` makes
one user's requests answer an error instead, `rate_limit` makes the next requests answer 429 with
the rate-limit headers given, and `delay` slows every answer. With `api_key`, a request without
`Authorization: Bearer <api_key>` gets Calendly's 401. Every request is recorded (method, path
with its query, the path alone, the parsed query, lower-case headers, its arrival on the
monotonic clock) so tests can check what the server sent, and when.
"""

import datetime
import http.server
import json
import threading
import time
import urllib.parse

NOT_FOUND = {"title": "Resource Not Found", "message": "The server could not find the requested resource."}
MAX_BUSY_RANGE = datetime.timedelta(days=7)


def calendly_time(moment):
    """Calendly's timestamp form: UTC with six fractional digits."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def schedule(user, timezone, rules, default=True, name="Working hours", uuid="SCHED0001"):
    """An availability schedule item; `rules` as Calendly writes them (see `wday`, `date`)."""
    return {"uri": f"https://api.calendly.com/user_availability_schedules/{uuid}", "default": default,
            "name": name, "user": user, "timezone": timezone, "rules": rules}


def wday(day, *intervals):
    """A weekly rule: `wday("monday", ("09:00", "17:00"))`; no intervals: unavailable."""
    return {"type": "wday", "wday": day, "intervals": [{"from": a, "to": b} for a, b in intervals]}


def date(day, *intervals):
    """A date rule (`YYYY-MM-DD`); no intervals: unavailable that day."""
    return {"type": "date", "date": day, "intervals": [{"from": a, "to": b} for a, b in intervals]}


def busy_calendly(start, end, event_uri, buffer_before=datetime.timedelta(0), buffer_after=datetime.timedelta(0)):
    """A Calendly booking's busy time, with its buffers and event."""
    return {"type": "calendly", "start_time": calendly_time(start), "end_time": calendly_time(end),
            "buffered_start_time": calendly_time(start - buffer_before),
            "buffered_end_time": calendly_time(end + buffer_after), "event": {"uri": event_uri}}


def busy_external(start, end):
    """An event of a connected calendar: times only."""
    return {"type": "external", "start_time": calendly_time(start), "end_time": calendly_time(end)}


class CalendlyAPIFake:
    def __init__(self, api_key=None):
        self.api_key = api_key
        self.events = {}
        self.schedules = {}
        self.busy_times = {}
        self.failures = {}
        # (requests still to refuse with 429, the header fields of those answers)
        self.limited = (0, {})
        # Seconds every answer waits before it is sent: a slow Calendly.
        self.delay = 0
        self.requests = []
        self._lock = threading.Lock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status, body, *extra = fake._answer(self.path, {k.lower(): v for k, v in self.headers.items()})
                time.sleep(fake.delay)
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in (extra[0] if extra else {}).items():
                    self.send_header(name, value)
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

    # --- What the fake knows -----------------------------------------------------------------

    def add_scheduled_event(self, event):
        """Serves `event` (a scheduled event object) at its URI's UUID."""
        with self._lock:
            self.events[event["uri"].rsplit("/", 1)[-1]] = event

    def set_schedules(self, user, schedules):
        """The availability schedules of `user` (a user URI)."""
        with self._lock:
            self.schedules[user] = list(schedules)
            self.failures.pop(user, None)

    def set_busy_times(self, user, busy_times):
        with self._lock:
            self.busy_times[user] = list(busy_times)

    def fail_user(self, user, status=503, body=None):
        """Every request about `user` answers `status` with Calendly's error body."""
        with self._lock:
            self.failures[user] = (status, body or {"title": "Service Unavailable",
                                                    "message": "The server is temporarily unavailable."})

    def rate_limit(self, count, headers):
        """The next `count` requests, whoever they are about, answer 429 with `headers` (such as
        `Retry-After` or `X-RateLimit-Reset`) and Calendly's error body."""
        with self._lock:
            self.limited = (count, dict(headers))

    # --- What it was asked -------------------------------------------------------------------

    def requests_for(self, path):
        """Requests whose path (with its query) is exactly `path`."""
        with self._lock:
            return [request for request in self.requests if request["path"] == path]

    def requests_to(self, route, user=None):
        """Requests to `route` (a path without query), for `user` when given."""
        with self._lock:
            return [request for request in self.requests if request["route"] == route
                    and (user is None or request["query"].get("user") == [user])]

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    # --- Answers -----------------------------------------------------------------------------

    def _answer(self, raw_path, headers):
        parts = urllib.parse.urlsplit(raw_path)
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        with self._lock:
            self.requests.append({"method": "GET", "path": raw_path, "route": parts.path, "query": query,
                                  "raw_query": parts.query, "headers": headers, "at": time.monotonic()})
            remaining, limit_headers = self.limited
            if remaining > 0:
                self.limited = (remaining - 1, limit_headers)
                return 429, {"title": "Too Many Requests", "message": "Rate limit exceeded"}, limit_headers
            if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
                return 401, {"title": "Unauthenticated", "message": "The access token is invalid"}
            if parts.path == "/users/me":
                return 200, {"resource": {"uri": "https://api.calendly.com/users/OWNER", "name": "Loop", "slug": "loop",
                                          "scheduling_url": "https://calendly.com/loop",
                                          "timezone": "Europe/Berlin"}}
            if parts.path.startswith("/scheduled_events/"):
                event = self.events.get(parts.path[len("/scheduled_events/"):])
                return (200, {"resource": event}) if event is not None else (404, NOT_FOUND)
            user = (query.get("user") or [""])[0]
            if parts.path == "/user_availability_schedules":
                return self._user(user, query, lambda: {"collection": self.schedules[user]})
            if parts.path == "/user_busy_times":
                return self._user(user, query, lambda: self._busy_times(user, query))
            return 404, NOT_FOUND

    def _user(self, user, query, answer):
        if not user:
            return 400, invalid("user", "is required")
        if user in self.failures:
            return self.failures[user]
        if user not in self.schedules:
            return 404, NOT_FOUND
        result = answer()
        return (400, result) if "title" in result else (200, result)

    def _busy_times(self, user, query):
        try:
            start = parse_time(query["start_time"][0])
            end = parse_time(query["end_time"][0])
        except (KeyError, ValueError):
            return invalid("start_time", "and end_time must be ISO 8601 times")
        if start < datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=5):
            return invalid("start_time", "must be in the future")
        if end <= start:
            return invalid("end_time", "must be after start_time")
        if end - start > MAX_BUSY_RANGE:
            return invalid("end_time", "date range can be no greater than 1 week (7 days)")
        overlapping = [busy for busy in self.busy_times.get(user, [])
                       if parse_time(busy["start_time"]) < end and start < parse_time(busy["end_time"])]
        return {"collection": sorted(overlapping, key=lambda busy: busy["start_time"])}


def invalid(parameter, message):
    return {"title": "Invalid Argument", "message": "The supplied parameters are invalid.",
            "details": [{"parameter": parameter, "message": message}]}
