"""The data the benchmark's scenarios send: the seeded experts and calls (created through the
REST API, as a client would), the request bodies h2load repeats, and the distinct requests the
booking scenarios need (one free slot each).

Slots: request i books expert i % BOOKING_EXPERTS at base + (i // BOOKING_EXPERTS) × 30 min, so
the requests in flight spread over all booking experts and never overlap; pgbench's booking
script walks the same pattern from its own base (bench-booking.sql), so both contend alike on
the experts' rows and day/week counters.
"""

import datetime
import hashlib
import hmac
import importlib.machinery
import importlib.util
import json
import pathlib
import sys
import time
import types
import urllib.request
import uuid

TOOLS = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS))
from devtokens import DevKey  # noqa: E402

import h2client  # noqa: E402
import protowire as pw  # noqa: E402

BOOKING_EXPERTS = 16
LISTED_EXPERTS = 50
LIST_SPECIALTY = "benchlist"
BOOK_SPECIALTY = "benchbook"
CUSTOMER = {"userId": "user_bench_customer", "email": "customer@bench.loop", "name": "Bench Customer",
            "timezone": "Europe/Berlin"}
SLOT_SECONDS = 1800
# Mondays 00:00 UTC, ten years apart: each booking scenario (ours and pgbench's) has its own range.
BASES = {"create-call": 1925078400 + 86400 * 7 * 52, "create-call-pgbench": 2240611200,
         "calendly": 2556230400, "calendly-pgbench": 2871763200}
# ListExperts' window: 7 days from a Monday.
LIST_FROM = 1893974400  # 2030-01-07T00:00:00Z
LIST_DAYS = 7
ALL_DAY = [{"day": day, "startTime": "00:00", "endTime": "24:00"} for day in
           ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]]
OFFICE = [{"day": day, "startTime": "09:00", "endTime": "17:00"} for day in
          ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]]
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"]


def dev_key():
    return DevKey.load_or_create(TOOLS.parent / "var" / "dev-keys")


def admin_token():
    return dev_key().token("user_bench_admin", "admin", "admin@bench.loop", lifetime=6 * 3600)


def customer_token():
    return dev_key().token("user_bench_customer", "customer", CUSTOMER["email"], lifetime=6 * 3600)


def _rest(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"content-type": "application/json",
                                              "authorization": f"Bearer {token or admin_token()}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def seed(base):
    """Experts and one call through the REST API; returns what the scenarios need."""
    booking = []
    for k in range(BOOKING_EXPERTS):
        expert = _rest(base, "POST", "/api/v1/experts", {"expert": {
            "name": f"Bench Booking {k:02d}", "email": f"book{k:02d}@bench.loop", "specialties": [BOOK_SPECIALTY],
            "timezone": "UTC", "weeklyHours": ALL_DAY}})
        booking.append({"id": expert["id"], "email": expert["email"], "name": expert["name"]})
    for k in range(LISTED_EXPERTS):
        _rest(base, "POST", "/api/v1/experts", {"expert": {
            "name": f"Bench Listed {k:02d}", "email": f"list{k:02d}@bench.loop", "specialties": [LIST_SPECIALTY],
            "timezone": ZONES[k % len(ZONES)], "weeklyHours": OFFICE}})
    call = _rest(base, "POST", "/api/v1/calls", {
        "requestId": "bench-seed", "expertId": booking[0]["id"], "specialty": BOOK_SPECIALTY, "topic": "Bench",
        "customer": CUSTOMER, "scheduledStart": "2030-01-07T09:00:00Z", "scheduledEnd": "2030-01-07T09:30:00Z"})
    pages, token = [""], None
    while True:
        query = (f"/api/v1/experts?specialty={LIST_SPECIALTY}&availableFrom={_rfc3339(LIST_FROM)}"
                 f"&availableTo={_rfc3339(LIST_FROM + LIST_DAYS * 86400)}&pageSize={LISTED_EXPERTS}")
        page = _rest(base, "GET", query + (f"&pageToken={token}" if token else ""))
        token = page.get("nextPageToken")
        if not token:
            break
        pages.append(token)
    return {"call_id": call["id"], "booking_experts": booking, "list_page_tokens": pages}


def _rfc3339(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- bodies h2load repeats ----------------------------------------------------------------------

def get_call_body(seeds):
    return pw.grpc_frame(pw.string(1, seeds["call_id"]))


def call_token_body(seeds):
    return pw.grpc_frame(pw.string(1, seeds["call_id"]))


def list_experts_requests(seeds):
    """One gRPC ListExperts request per page of the 50 experts' 7-day slots (the server gives at
    most 20 experts a page when it computes slots)."""
    requests = []
    for token in seeds["list_page_tokens"]:
        body = (pw.string(1, LIST_SPECIALTY) + pw.timestamp(2, LIST_FROM) + pw.timestamp(3, LIST_FROM + LIST_DAYS * 86400)
                + pw.uint(5, 30) + pw.uint(6, LISTED_EXPERTS) + pw.string(7, token))
        requests.append(h2client.Request("/loop.callbooking.v1.ExpertService/ListExperts",
                                         _grpc_headers(admin_token()), pw.grpc_frame(body)))
    return requests


def _grpc_headers(token):
    return [("content-type", "application/grpc"), ("te", "trailers"), ("authorization", f"Bearer {token}")]


# --- distinct requests for the booking scenarios -------------------------------------------------

def slot(seeds, scenario, i):
    expert = seeds["booking_experts"][i % BOOKING_EXPERTS]
    start = BASES[scenario] + (i // BOOKING_EXPERTS) * SLOT_SECONDS
    return expert, start


def create_call_requests(seeds, count):
    """CreateCall over gRPC by an admin, each naming an expert and a free slot of theirs."""
    headers = _grpc_headers(admin_token())
    customer = (pw.string(1, CUSTOMER["userId"]) + pw.string(2, CUSTOMER["email"]) + pw.string(3, CUSTOMER["name"])
                + pw.string(4, CUSTOMER["timezone"]))
    run = uuid.uuid4().hex[:8]
    for i in range(count):
        expert, start = slot(seeds, "create-call", i)
        body = (pw.string(1, f"bench-{run}-{i}") + pw.string(2, expert["id"]) + pw.string(3, BOOK_SPECIALTY)
                + pw.message(5, customer) + pw.string(6, "Bench booking") + pw.timestamp(7, start)
                + pw.timestamp(8, start + SLOT_SECONDS))
        yield h2client.Request("/loop.callbooking.v1.CallService/CreateCall", headers, pw.grpc_frame(body))


def _calendly_tool():
    loader = importlib.machinery.SourceFileLoader("calendly_webhook", str(TOOLS / "calendly-webhook"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def calendly_requests(seeds, count, secret):
    """Signed Calendly invitee.created deliveries, each a new invitee on a free slot of a booking
    expert (matched by the host's email), signed as tools/calendly-webhook signs them. They are
    made as they are sent, so each signature's timestamp is current."""
    tool = _calendly_tool()
    api = tool.API
    for i in range(count):
        expert, start = slot(seeds, "calendly", i)
        args = types.SimpleNamespace(
            minutes=SLOT_SECONDS // 60, event_name="30 Minute Consultation", event_type="ETYPEBENCH",
            host_uri=None, host_email=expert["email"], host_name=expert["name"], email=f"invitee{i}@bench.loop",
            name="Bench Invitee", timezone="Europe/Berlin", topic="Sleeping better", utm_content=None)
        invitee = f"{api}/scheduled_events/{uuid.uuid4().hex.upper()}/invitees/{uuid.uuid4().hex.upper()}"
        moment = datetime.datetime.fromtimestamp(start, datetime.timezone.utc)
        body = json.dumps(tool.envelope("invitee.created", tool.invitee_payload(args, invitee, moment), None)).encode()
        stamp = str(int(time.time()))
        mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        yield h2client.Request("/webhooks/calendly", [
            ("content-type", "application/json"), ("user-agent", "Calendly-Webhooks"),
            ("calendly-webhook-signature", f"t={stamp},v1={mac}")], body)
