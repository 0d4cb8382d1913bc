"""A loopback stand-in for Stream Video's server-side REST API (providers.md §3), speaking its
documented format and recording every request it gets, so tests can check what call-booking
sent and make Stream fail on purpose.

Endpoints: `POST /api/v2/users` (upsert), `POST /api/v2/video/call/{type}/{id}` (get-or-create:
an existing call keeps its members, whatever the request says), `…/members` (update/remove),
`…/user_permissions` (grant/revoke per user), `GET …/recordings` (list), `GET …/stats/{session}`
(a session's `GetCallStatsResponse`, 404 until a test puts one in `stats`), `GET …/{id}` (get
call: its `session` from `sessions`, `blocked_user_ids`, `ended_at`), `POST …/mark_ended` (end
call), `POST …/block` and `…/unblock` (`{user_id}`), and Chat's
`POST /api/v2/chat/channels/{type}/{id}/query` (get-or-create), `POST …/{id}` (add/remove
members) and `PATCH …/{id}` (partial update: `set`/`unset`, such as `frozen`). Bodies of the wrong shape are 400, unknown calls and channels 404, anything else 404,
all in Stream's error shape. `members`, `permissions` and `channels` hold the state the requests
made, for tests to check what a participant would find in Stream.
"""

import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CALL_PATH = re.compile(r"^/api/v2/video/call/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)$")
RECORDINGS_PATH = re.compile(r"^/api/v2/video/call/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)/recordings$")
STATS_PATH = re.compile(r"^/api/v2/video/call/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)/stats/([A-Za-z0-9_-]+)$")
MEMBERS_PATH = re.compile(r"^/api/v2/video/call/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)/members$")
CALL_ACTION_PATH = re.compile(r"^/api/v2/video/call/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)/(mark_ended|block|unblock)$")
PERMISSIONS_PATH = re.compile(r"^/api/v2/video/call/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)/user_permissions$")
CHANNEL_QUERY_PATH = re.compile(r"^/api/v2/chat/channels/([A-Za-z0-9_-]+)/([A-Za-z0-9_!-]+)/query$")
CHANNEL_PATH = re.compile(r"^/api/v2/chat/channels/([A-Za-z0-9_-]+)/([A-Za-z0-9_!-]+)$")
# What `UpdateUserPermissionsRequest` accepts (the generated SDKs' enum).
CALL_PERMISSIONS = {"screenshare", "send-audio", "send-video"}


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
    # (call id, session id) -> the GetCallStatsResponse the stats endpoint answers.
    stats: dict = field(default_factory=dict)
    calls: dict = field(default_factory=dict)
    # cid -> {user id: call role}, as get-or-create made them and member updates changed them.
    members: dict = field(default_factory=dict)
    # cid -> {user id: {"granted": set, "revoked": set}}: the last grant or revoke of each wins.
    permissions: dict = field(default_factory=dict)
    # chat cid -> [member user ids], in the order they were added.
    channels: dict = field(default_factory=dict)
    # endpoint ("members", "permissions", "channel", "channel_update", "stats") -> how many of its next
    # requests answer 503.
    outages: dict = field(default_factory=dict)
    # cid -> the CallSessionResponse dict that get call answers as `call.session` (absent: null).
    sessions: dict = field(default_factory=dict)
    # cid -> set of blocked user ids.
    blocked: dict = field(default_factory=dict)
    # cid -> when mark_ended ended it (RFC 3339).
    ended: dict = field(default_factory=dict)
    # chat cid -> the channel fields partial updates `set` (e.g. {"frozen": True}).
    channel_fields: dict = field(default_factory=dict)

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

            do_GET = do_POST = do_PATCH = _handle

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
                data = (request.body or {}).get("data", {})
                self.calls.setdefault(cid, request.body)
                if created:
                    self.members[cid] = {m["user_id"]: m.get("role", "call_member") for m in data.get("members", [])}
                members = list(self.members[cid].items())
            limit = (request.body or {}).get("members_limit")
            if limit is not None and not (isinstance(limit, int) and 0 <= limit <= 100):
                return self._error(400, "GetOrCreateCall failed: members_limit must be 0 to 100", unrecoverable=True)
            return 201, {"created": created, "duration": "1.20ms", "own_capabilities": [],
                         "members": [{"user_id": user, "role": role} for user, role in members[:limit]],
                         "call": {"id": match.group(2), "type": match.group(1), "cid": cid,
                                  "created_by": {"id": data.get("created_by_id")},
                                  "starts_at": data.get("starts_at"), "custom": data.get("custom", {}),
                                  "settings": data.get("settings_override", {}),
                                  "blocked_user_ids": sorted(self.blocked.get(cid, set()))}}
        if request.method == "GET" and match:
            return self._get_call(f"{match.group(1)}:{match.group(2)}")
        match = CALL_ACTION_PATH.match(request.path)
        if request.method == "POST" and match:
            return self._call_action(f"{match.group(1)}:{match.group(2)}", match.group(3), request.body)
        match = MEMBERS_PATH.match(request.path)
        if request.method == "POST" and match:
            return self._update_members(f"{match.group(1)}:{match.group(2)}", request.body or {})
        match = PERMISSIONS_PATH.match(request.path)
        if request.method == "POST" and match:
            return self._update_permissions(f"{match.group(1)}:{match.group(2)}", request.body or {})
        match = CHANNEL_QUERY_PATH.match(request.path)
        if request.method == "POST" and match:
            return self._query_channel(f"{match.group(1)}:{match.group(2)}", request.body or {})
        match = CHANNEL_PATH.match(request.path)
        if request.method == "POST" and match:
            return self._update_channel(f"{match.group(1)}:{match.group(2)}", request.body or {})
        if request.method == "PATCH" and match:
            return self._update_channel_partial(f"{match.group(1)}:{match.group(2)}", request.body or {})
        match = RECORDINGS_PATH.match(request.path)
        if request.method == "GET" and match:
            with self._lock:
                listed = list(self.recordings.get(match.group(2), []))
            return 200, {"recordings": listed, "duration": "0.80ms"}
        match = STATS_PATH.match(request.path)
        if request.method == "GET" and match:
            with self._lock:
                if (failure := self._outage("stats")) is not None:
                    return failure
                report = self.stats.get((match.group(2), match.group(3)))
            if report is None:
                return self._error(404, f"no stats report for session {match.group(3)}")
            return 200, dict(report, duration="2.10ms")
        return self._error(404, f"{request.method} {request.path} is not an endpoint")

    def _outage(self, endpoint):
        """503 when a test made `endpoint` fail next (call with the lock held)."""
        if self.outages.get(endpoint, 0) > 0:
            self.outages[endpoint] -= 1
            return self._error(503, f"{endpoint}: service unavailable")
        return None

    def _update_members(self, cid, body):
        update, remove = body.get("update_members", []), body.get("remove_members", [])
        if not isinstance(update, list) or not isinstance(remove, list) or not (update or remove) \
                or not all(isinstance(m, dict) and isinstance(m.get("user_id"), str) for m in update) \
                or not all(isinstance(user, str) for user in remove):
            return self._error(400, "UpdateCallMembers failed: update_members [{user_id, role}] or remove_members [id]",
                               unrecoverable=True)
        with self._lock:
            if (failure := self._outage("members")) is not None:
                return failure
            if cid not in self.members:
                return self._error(404, f"call {cid} does not exist")
            for member in update:
                self.members[cid][member["user_id"]] = member.get("role", "call_member")
            for user in remove:
                self.members[cid].pop(user, None)
            members = dict(self.members[cid])
        return 200, {"duration": "0.90ms",
                     "members": [{"user_id": user, "role": role} for user, role in members.items()]}

    def _update_permissions(self, cid, body):
        user, grant, revoke = body.get("user_id"), body.get("grant_permissions", []), body.get("revoke_permissions", [])
        if not isinstance(user, str) or not user or not isinstance(grant, list) or not isinstance(revoke, list) \
                or not set(grant + revoke) <= CALL_PERMISSIONS:
            return self._error(400, "UpdateUserPermissions failed: user_id and known grant/revoke permissions",
                               unrecoverable=True)
        with self._lock:
            if (failure := self._outage("permissions")) is not None:
                return failure
            if cid not in self.calls:
                return self._error(404, f"call {cid} does not exist")
            state = self.permissions.setdefault(cid, {}).setdefault(user, {"granted": set(), "revoked": set()})
            state["granted"] = (state["granted"] | set(grant)) - set(revoke)
            state["revoked"] = (state["revoked"] | set(revoke)) - set(grant)
        return 201, {"duration": "0.70ms"}

    def _query_channel(self, cid, body):
        data = body.get("data", {})
        members = data.get("members", [])
        if not isinstance(members, list) or not all(isinstance(m, dict) and isinstance(m.get("user_id"), str)
                                                    for m in members):
            return self._error(400, "GetOrCreateChannel failed: data.members must be [{user_id}]", unrecoverable=True)
        if not data.get("created_by_id") and not data.get("created_by"):
            return self._error(400, "GetOrCreateChannel failed: either data.created_by or data.created_by_id "
                                    "must be provided when using server side auth", unrecoverable=True)
        with self._lock:
            if (failure := self._outage("channel")) is not None:
                return failure
            if cid not in self.channels:
                self.channels[cid] = [m["user_id"] for m in members]
            listed = list(self.channels[cid])
        kind, _, channel_id = cid.partition(":")
        return 201, {"duration": "1.10ms", "messages": [], "watchers": [],
                     "channel": {"id": channel_id, "type": kind, "cid": cid,
                                 "created_by": {"id": data.get("created_by_id")}, "custom": data.get("custom", {})},
                     "members": [{"user_id": user, "channel_role": "channel_member"} for user in listed]}

    def _update_channel(self, cid, body):
        add, remove = body.get("add_members", []), body.get("remove_members", [])
        if not isinstance(add, list) or not isinstance(remove, list) \
                or not all(isinstance(m, dict) and isinstance(m.get("user_id"), str) for m in add) \
                or not all(isinstance(user, str) for user in remove):
            return self._error(400, "UpdateChannel failed: add_members [{user_id}] or remove_members [id]",
                               unrecoverable=True)
        with self._lock:
            if (failure := self._outage("channel_update")) is not None:
                return failure
            if cid not in self.channels:
                return self._error(404, f"channel {cid} does not exist")
            for member in add:
                if member["user_id"] not in self.channels[cid]:
                    self.channels[cid].append(member["user_id"])
            self.channels[cid] = [user for user in self.channels[cid] if user not in remove]
            listed = list(self.channels[cid])
        return 201, {"duration": "0.80ms", "channel": {"cid": cid},
                     "members": [{"user_id": user, "channel_role": "channel_member"} for user in listed]}

    def _get_call(self, cid):
        with self._lock:
            if cid not in self.calls:
                return self._error(404, f"GetCall failed: call {cid} does not exist")
            kind, _, call_id = cid.partition(":")
            return 200, {"duration": "0.60ms", "own_capabilities": [],
                         "members": [{"user_id": user, "role": role} for user, role in self.members[cid].items()],
                         "call": {"id": call_id, "type": kind, "cid": cid, "ended_at": self.ended.get(cid),
                                  "blocked_user_ids": sorted(self.blocked.get(cid, set())),
                                  "session": self.sessions.get(cid)}}

    def _call_action(self, cid, action, body):
        if action in ("block", "unblock") and not (isinstance(body, dict) and isinstance(body.get("user_id"), str)
                                                   and body["user_id"]):
            return self._error(400, f"{action.capitalize()}User failed: user_id is a required field", unrecoverable=True)
        with self._lock:
            if cid not in self.calls:
                return self._error(404, f"{action} failed: call {cid} does not exist")
            if action == "mark_ended":
                self.ended[cid] = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
            elif action == "block":
                self.blocked.setdefault(cid, set()).add(body["user_id"])
            else:
                self.blocked.setdefault(cid, set()).discard(body["user_id"])
        return 201, {"duration": "0.40ms"}

    def _update_channel_partial(self, cid, body):
        fields, unset = body.get("set", {}), body.get("unset", [])
        if not isinstance(fields, dict) or not isinstance(unset, list) or not (fields or unset):
            return self._error(400, "UpdateChannelPartial failed: set or unset is required", unrecoverable=True)
        with self._lock:
            if cid not in self.channels:
                return self._error(404, f"channel {cid} does not exist")
            stored = self.channel_fields.setdefault(cid, {})
            stored.update(fields)
            for name in unset:
                stored.pop(name, None)
            answer = dict(stored)
        kind, _, channel_id = cid.partition(":")
        return 200, {"duration": "0.50ms", "members": [],
                     "channel": {"id": channel_id, "type": kind, "cid": cid, **answer}}
