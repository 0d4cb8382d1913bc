"""POST /webhooks/calendly against the real binary: realistic deliveries (providers.md §1.6),
signed here with Python's hmac (independently of the Swift verifier), and what a user then sees
through the API (GetCall, ListUpcomingCalls as admin).

Each test makes its own experts (unique emails, Calendly user URIs and specialties) and invitee
URIs, so tests never see each other's calls. Times are next week: Calendly bookings skip the
notice, horizon and hours rules, but upcoming lists only show calls that have not ended.
"""

import concurrent.futures
import copy
import datetime
import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from auth import ADMIN_TOKEN, CALENDLY_WEBHOOK_SECRET, DEV_KEY, booking_link
from calendly_api_fake import CalendlyAPIFake
from server import Server

TIMEOUT = 15
API = "https://api.calendly.com"
TOPIC_QUESTION = "What would you like to discuss?"


@pytest.fixture(scope="module")
def calendly_api():
    fake = CalendlyAPIFake()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def server(calendly_api):
    """This module's server: Calendly's API is the loopback fake, and the topic comes from a
    booking question."""
    process = Server(extra_environment={
        "CALENDLY_BASE_URL": calendly_api.base_url, "CALENDLY_TOPIC_QUESTION": TOPIC_QUESTION})
    try:
        yield process
        process.stop()
    finally:
        process.close()


# --- Calendly's side: payloads and signing -------------------------------------------------

def calendly_time(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def next_week(hour=9, minute=0):
    today = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=7)
    return datetime.datetime(today.year, today.month, today.day, hour, minute, tzinfo=datetime.timezone.utc)


def new_invitee_uri():
    return f"{API}/scheduled_events/{uuid.uuid4().hex.upper()}/invitees/{uuid.uuid4().hex.upper()}"


def scheduled_event(invitee_uri, start, minutes=30, hosts=(), status="active", name="30 Minute Consultation"):
    event_uri = invitee_uri.split("/invitees/")[0]
    return {
        "uri": event_uri, "name": name, "status": status,
        "start_time": calendly_time(start), "end_time": calendly_time(start + datetime.timedelta(minutes=minutes)),
        "event_type": f"{API}/event_types/ETYPE1",
        "location": {"type": "custom", "location": "https://app.example.com/join"},
        "invitees_counter": {"total": 1, "active": 1, "limit": 1},
        "event_memberships": [{"user": uri, "user_email": email, "user_name": "Alex Coach"} for uri, email in hosts],
        "event_guests": [],
        "created_at": "2025-06-10T14:00:02.400000Z", "updated_at": "2025-06-10T14:00:02.600000Z",
    }


def invitee(invitee_uri, start, hosts=(), minutes=30, status="active", rescheduled=False, old=None, new=None,
            cancellation=None, no_show=None, utm_content=None, answers=None, email="dana.lee@example.org"):
    answers = answers if answers is not None else [
        {"question": "Anything else?", "answer": "Bring the Q2 numbers", "position": 2},
        {"question": TOPIC_QUESTION, "answer": "Onboarding plan", "position": 1},
    ]
    payload = {
        "uri": invitee_uri, "email": email, "name": "Dana Lee", "first_name": "Dana", "last_name": "Lee",
        "status": status, "timezone": "Europe/Berlin", "event": invitee_uri.split("/invitees/")[0],
        "questions_and_answers": answers,
        "cancel_url": "https://calendly.com/cancellations/INV1", "reschedule_url": "https://calendly.com/reschedulings/INV1",
        "rescheduled": rescheduled, "old_invitee": old, "new_invitee": new,
        "no_show": no_show, "reconfirmation": None, "payment": None,
        "routing_form_submission": None, "text_reminder_number": None,
        "tracking": {"utm_campaign": None, "utm_source": "newsletter", "utm_medium": "email",
                     "utm_content": utm_content, "utm_term": None, "salesforce_uuid": None},
        "created_at": "2025-06-10T14:00:02.512345Z", "updated_at": "2025-06-10T14:00:02.512345Z",
        "scheduled_event": scheduled_event(invitee_uri, start, minutes, hosts, "canceled" if status == "canceled" else "active"),
    }
    if cancellation:
        payload["cancellation"] = cancellation
        payload["scheduled_event"]["cancellation"] = cancellation
    return payload


def delivery(event, payload):
    """The envelope; `created_at` is unique per delivery, as Calendly's are."""
    stamp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(microseconds=uuid.uuid4().int % 1000)
    return {"event": event, "created_at": calendly_time(stamp), "created_by": f"{API}/users/OWNER", "payload": payload}


def sign(body, secret=CALENDLY_WEBHOOK_SECRET, at=None):
    stamp = str(int(time.time() if at is None else at))
    mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def encode(body):
    return body if isinstance(body, bytes) else json.dumps(body, indent=2).encode()


def post(server, body, signature="sign"):
    """(status, JSON answer). `signature`: "sign" to sign `body` properly, None for no header,
    or the header's value."""
    data = encode(body)
    headers = {"content-type": "application/json", "user-agent": "Calendly-Webhooks"}
    if signature == "sign":
        signature = sign(data)
    if signature is not None:
        headers["Calendly-Webhook-Signature"] = signature
    request = urllib.request.Request(server.base_url + "/webhooks/calendly", data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def deliver(server, event, payload):
    status, answer = post(server, delivery(event, payload))
    assert status == 200, answer
    return answer


# --- our side: experts and calls as an admin sees them ---------------------------------------

def rest(server, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.base_url + path, data=data, method=method, headers={
        "content-type": "application/json", "authorization": f"Bearer {ADMIN_TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def make_expert(server, specialty=None, linked=True):
    """An expert with a Calendly user URI (when `linked`) and a unique email; returns
    (expert, (calendly user URI, email)) — the second is how Calendly names the host."""
    email = f"{uuid.uuid4().hex}@experts.example"
    user_uri = f"{API}/users/{uuid.uuid4().hex.upper()}"
    # Open every day, so that the direct bookings tests block experts with are accepted.
    expert = {"name": "Dr. Calendly", "email": email, "specialties": [specialty or uuid.uuid4().hex],
              "timezone": "Europe/Berlin", "weeklyHours": [
                  {"day": day, "startTime": "00:00", "endTime": "23:45"}
                  for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")]}
    if linked:
        expert["calendlyUserUri"] = user_uri
    status, created = rest(server, "POST", "/api/v1/experts", {"expert": expert})
    assert status == 200, created
    return created, (user_uri, email)


def get_call(server, call_id):
    status, call = rest(server, "GET", f"/api/v1/calls/{call_id}")
    assert status == 200, call
    return call


def upcoming_of(server, expert_id):
    status, listed = rest(server, "GET", f"/api/v1/calls/upcoming?expert_id={expert_id}&page_size=100")
    assert status == 200, listed
    return listed.get("calls", [])


def book_directly(server, expert_id, start, minutes=30):
    status, call = rest(server, "POST", "/api/v1/calls", {
        "expertId": expert_id, "topic": "Blocking", "customer": {"userId": "user_block", "email": "b@example.com"},
        "scheduledStart": calendly_time(start), "scheduledEnd": calendly_time(start + datetime.timedelta(minutes=minutes))})
    assert status == 200, call
    return call


# --- invitee.created -------------------------------------------------------------------------

def test_a_booking_with_a_known_host_is_that_experts_call(server):
    expert, host = make_expert(server)
    uri = new_invitee_uri()
    answer = deliver(server, "invitee.created", invitee(uri, next_week(10), hosts=[host], utm_content=booking_link("user_2hK9abc")))
    assert answer["result"] == "applied"
    call = get_call(server, answer["callId"])
    assert call["state"] == "CALL_STATE_SCHEDULED"
    assert call["expertId"] == expert["id"]
    assert call["assignment"]["reason"] == "ASSIGNMENT_REASON_CALENDLY_HOST"
    assert call["customer"] == {"userId": "user_2hK9abc", "email": "dana.lee@example.org", "name": "Dana Lee",
                                "timezone": "Europe/Berlin"}
    # The configured question's answer is the topic; the answers keep the form's order.
    assert call["topic"] == "Onboarding plan"
    assert [qa["question"] for qa in call["customerContext"]] == [TOPIC_QUESTION, "Anything else?"]
    assert call["calendlyInviteeUri"] == uri and call["calendlyEventUri"] == uri.split("/invitees/")[0]
    assert call["scheduledStart"] == next_week(10).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_host_is_found_by_email_and_without_the_question_the_topic_is_the_event_name(server):
    expert, (_, email) = make_expert(server, linked=False)
    answer = deliver(server, "invitee.created", invitee(
        new_invitee_uri(), next_week(11), hosts=[(f"{API}/users/NOTLINKED{uuid.uuid4().hex}", email)], answers=[]))
    call = get_call(server, answer["callId"])
    assert call["expertId"] == expert["id"]
    assert call["topic"] == "30 Minute Consultation"
    assert call["customer"].get("userId", "") == ""


def test_a_team_event_without_a_known_host_is_matched(server):
    answer = deliver(server, "invitee.created", invitee(
        new_invitee_uri(), next_week(12), hosts=[(f"{API}/users/TEAM{uuid.uuid4().hex}", "team@unknown.example")]))
    call = get_call(server, answer["callId"])
    assert call["assignment"]["reason"] == "ASSIGNMENT_REASON_MATCHED"
    assert "no expert is linked to the Calendly host" in call["assignment"]["note"]
    assert call.get("expertId"), call   # the shared database always has some free expert


def test_a_taken_host_gives_the_call_to_a_free_expert_of_the_same_specialty(server):
    specialty = uuid.uuid4().hex
    host_expert, host = make_expert(server, specialty)
    other, _ = make_expert(server, specialty)
    start = next_week(13)
    book_directly(server, host_expert["id"], start)
    answer = deliver(server, "invitee.created", invitee(new_invitee_uri(), start, hosts=[host]))
    call = get_call(server, answer["callId"])
    assert call["expertId"] == other["id"]
    assert call["assignment"]["reason"] == "ASSIGNMENT_REASON_MATCHED"
    assert "is not free" in call["assignment"]["note"]
    scores = {c["expertId"]: c for c in call["assignment"]["candidates"]}
    assert scores[host_expert["id"]].get("score", 0) == 0


def test_when_nobody_fits_the_call_is_stored_without_an_expert_for_an_admin(server):
    host_expert, host = make_expert(server)     # the only expert with its specialty
    start = next_week(14)
    book_directly(server, host_expert["id"], start)
    answer = deliver(server, "invitee.created", invitee(new_invitee_uri(), start, hosts=[host]))
    assert answer["result"] == "applied"
    call = get_call(server, answer["callId"])
    assert call["state"] == "CALL_STATE_SCHEDULED"
    assert call.get("expertId", "") == ""
    assert "an admin must reassign" in call["assignment"]["note"]


def test_calendly_bookings_skip_hours_notice_and_caps(server):
    expert, host = make_expert(server)
    status, answer = rest(server, "PUT", f"/api/v1/experts/{expert['id']}/availability", {
        "weeklyHours": [], "scheduling": {"maxCallsPerDay": 1, "minimumNoticeMinutes": 43200}})
    assert status == 200, answer
    for hour in (5, 6):   # no weekly hours at all, inside 30 days of notice, over the daily cap
        answer = deliver(server, "invitee.created", invitee(new_invitee_uri(), next_week(hour), hosts=[host]))
        assert get_call(server, answer["callId"])["expertId"] == expert["id"]


def test_a_payload_without_its_scheduled_event_is_completed_from_calendlys_api(server, calendly_api):
    expert, host = make_expert(server)
    uri = new_invitee_uri()
    event = scheduled_event(uri, next_week(15), hosts=[host], name="Deep Dive (60 min)", minutes=60)
    calendly_api.add_scheduled_event(event)
    payload = invitee(uri, next_week(15), answers=[])
    del payload["scheduled_event"]
    answer = deliver(server, "invitee.created", payload)
    call = get_call(server, answer["callId"])
    assert call["expertId"] == expert["id"] and call["topic"] == "Deep Dive (60 min)"
    assert call["scheduledEnd"] == (next_week(16)).strftime("%Y-%m-%dT%H:%M:%SZ")
    requests = calendly_api.requests_for("/scheduled_events/" + event["uri"].rsplit("/", 1)[-1])
    assert len(requests) == 1
    assert requests[0]["headers"]["authorization"] == "Bearer interop-calendly-api-key"


def test_a_thin_event_without_hosts_is_fetched_too_and_an_unknown_event_is_503(server, calendly_api):
    expert, host = make_expert(server)
    uri = new_invitee_uri()
    calendly_api.add_scheduled_event(scheduled_event(uri, next_week(16), hosts=[host]))
    payload = invitee(uri, next_week(16))     # embedded event with no memberships
    answer = deliver(server, "invitee.created", payload)
    assert get_call(server, answer["callId"])["expertId"] == expert["id"]

    missing = invitee(new_invitee_uri(), next_week(16))
    del missing["scheduled_event"]
    status, error = post(server, delivery("invitee.created", missing))
    assert status == 503 and error["code"] == 14, error


# --- signed booking links (issue 14) ---------------------------------------------------------

def create_booking_link(server, token, body):
    request = urllib.request.Request(server.base_url + "/api/v1/booking-links", data=json.dumps(body).encode(),
                                     method="POST", headers={"content-type": "application/json",
                                                             "authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_a_booking_through_a_customers_link_is_their_call(server, calendly_api):
    user = f"user_link_{uuid.uuid4().hex[:8]}"
    status, link = create_booking_link(server, DEV_KEY.token(user, "customer", f"{user}@example.org"), {})
    assert status == 200, link
    # The account's own page (GET /users/me on the fake), with the signed value.
    assert link["url"] == "https://calendly.com/loop?utm_content=" + link["utmContent"]
    assert link["userId"] == user and link["utmContent"].startswith(f"bl1.{user}.")
    assert any(r["route"] == "/users/me" for r in calendly_api.requests)
    expert, host = make_expert(server)
    answer = deliver(server, "invitee.created", invitee(new_invitee_uri(), next_week(14), hosts=[host],
                                                         utm_content=link["utmContent"]))
    assert get_call(server, answer["callId"])["customer"]["userId"] == user


def test_a_forged_expired_or_bare_utm_content_leaves_the_booking_unclaimed(server):
    victim = "user_victim_" + uuid.uuid4().hex[:6]
    for n, value in enumerate([victim, booking_link(victim, secret="guessed-secret-of-the-attacker-xxxx"),
                               booking_link(victim, expires_at=time.time() - 60)]):
        expert, host = make_expert(server)
        answer = deliver(server, "invitee.created", invitee(new_invitee_uri(), next_week(15 + n), hosts=[host],
                                                             utm_content=value))
        assert answer["result"] == "applied"
        assert get_call(server, answer["callId"])["customer"].get("userId", "") == "", value


def test_only_customers_for_themselves_and_admins_for_anyone_get_links(server):
    customer = DEV_KEY.token("user_asker", "customer", "asker@example.org")
    expert = DEV_KEY.token("user_some_expert", "expert", "expert@example.org")
    assert create_booking_link(server, customer, {"userId": "user_other"})[0] == 403
    assert create_booking_link(server, expert, {})[0] == 403
    status, link = create_booking_link(server, ADMIN_TOKEN, {"userId": "user_other",
                                                             "schedulingUrl": "https://calendly.com/loop/30min"})
    assert status == 200 and link["url"].startswith("https://calendly.com/loop/30min?utm_content=bl1.user_other.")
    assert create_booking_link(server, ADMIN_TOKEN, {"userId": "user_other",
                                                     "schedulingUrl": "https://evil.example/loop"})[0] == 400


# --- invitee.canceled and reschedules ---------------------------------------------------------

def test_a_cancellation_keeps_the_reason_and_who_cancelled(server):
    expert, host = make_expert(server)
    uri = new_invitee_uri()
    call_id = deliver(server, "invitee.created", invitee(uri, next_week(9), hosts=[host]))["callId"]
    cancellation = {"canceled_by": "Dana Lee", "reason": "Conflict with a flight", "canceler_type": "invitee",
                    "created_at": "2025-06-12T08:15:09.000000Z"}
    answer = deliver(server, "invitee.canceled", invitee(uri, next_week(9), hosts=[host], status="canceled",
                                                          cancellation=cancellation))
    assert answer == {"result": "applied", "detail": "cancelled the call", "callId": call_id}
    call = get_call(server, call_id)
    assert call["state"] == "CALL_STATE_CANCELLED"
    assert call["cancellationReason"] == "Conflict with a flight (cancelled in Calendly by Dana Lee, invitee)"
    assert call["rescheduledToCallId"] == ""
    assert upcoming_of(server, expert["id"]) == []


def test_a_host_cancellation_without_a_reason_names_the_host(server):
    _, host = make_expert(server)
    uri = new_invitee_uri()
    call_id = deliver(server, "invitee.created", invitee(uri, next_week(10, 30), hosts=[host]))["callId"]
    deliver(server, "invitee.canceled", invitee(uri, next_week(10, 30), hosts=[host], status="canceled", cancellation={
        "canceled_by": "Alex Coach", "reason": None, "canceler_type": "host", "created_at": "2025-06-12T08:15:09Z"}))
    assert get_call(server, call_id)["cancellationReason"] == "cancelled in Calendly by Alex Coach, host"


def reschedule_pair(old_uri, new_uri, old_start, new_start, hosts, new_hosts=None):
    cancellation = {"canceled_by": "Dana Lee", "reason": "Conflict, moved to Thursday", "canceler_type": "invitee",
                    "created_at": "2025-06-12T08:15:09.000000Z"}
    canceled = invitee(old_uri, old_start, hosts=hosts, status="canceled", rescheduled=True, new=new_uri,
                       cancellation=cancellation)
    created = invitee(new_uri, new_start, hosts=new_hosts or hosts, old=old_uri)
    return canceled, created


@pytest.mark.parametrize("created_first", [False, True], ids=["canceled-then-created", "created-then-canceled"])
def test_a_reschedule_links_both_calls_in_either_order_and_keeps_the_expert(server, created_first):
    expert, host = make_expert(server)
    _, round_robin_host = make_expert(server)   # Calendly's new host; the old expert is free, so keeps it
    old_uri, new_uri = new_invitee_uri(), new_invitee_uri()
    old_start = next_week(11)
    new_start = old_start + datetime.timedelta(minutes=15)     # overlaps the old slot
    old_id = deliver(server, "invitee.created", invitee(old_uri, old_start, hosts=[host]))["callId"]
    canceled, created = reschedule_pair(old_uri, new_uri, old_start, new_start, [host], new_hosts=[round_robin_host])
    if created_first:
        new_answer = deliver(server, "invitee.created", created)
        deliver(server, "invitee.canceled", canceled)
    else:
        deliver(server, "invitee.canceled", canceled)
        new_answer = deliver(server, "invitee.created", created)
    assert new_answer["result"] == "applied"
    old, new = get_call(server, old_id), get_call(server, new_answer["callId"])
    assert old["state"] == "CALL_STATE_CANCELLED"
    assert old["cancellationReason"] == "rescheduled"
    assert old["rescheduledToCallId"] == new["id"]
    assert new["rescheduledFromCallId"] == old["id"]
    assert new["state"] == "CALL_STATE_SCHEDULED"
    assert new["expertId"] == expert["id"]
    assert [c["id"] for c in upcoming_of(server, expert["id"])] == [new["id"]]


def test_a_reschedule_moves_to_another_expert_when_the_old_one_is_taken(server):
    specialty = uuid.uuid4().hex
    expert, host = make_expert(server, specialty)
    other, _ = make_expert(server, specialty)
    old_uri, new_uri = new_invitee_uri(), new_invitee_uri()
    old_start, new_start = next_week(12, 30), next_week(15, 30)
    deliver(server, "invitee.created", invitee(old_uri, old_start, hosts=[host]))
    book_directly(server, expert["id"], new_start)
    canceled, created = reschedule_pair(old_uri, new_uri, old_start, new_start, [host])
    deliver(server, "invitee.canceled", canceled)
    new = get_call(server, deliver(server, "invitee.created", created)["callId"])
    assert new["expertId"] == other["id"]


def test_a_cancellation_that_overtakes_its_booking_records_the_call_cancelled(server):
    expert, host = make_expert(server)
    uri = new_invitee_uri()
    cancellation = {"canceled_by": "Dana Lee", "reason": "Changed my mind", "canceler_type": "invitee",
                    "created_at": "2025-06-12T08:15:09.000000Z"}
    answer = deliver(server, "invitee.canceled", invitee(uri, next_week(9), hosts=[host], status="canceled",
                                                          cancellation=cancellation))
    assert answer["result"] == "applied"
    # The booking's delivery, retried after the cancellation, finds the call and changes nothing.
    late = deliver(server, "invitee.created", invitee(uri, next_week(9), hosts=[host]))
    assert late == {"result": "ignored", "detail": "the invitee's call exists already", "callId": answer["callId"]}
    call = get_call(server, answer["callId"])
    assert call["state"] == "CALL_STATE_CANCELLED"
    assert call["cancellationReason"] == "Changed my mind (cancelled in Calendly by Dana Lee, invitee)"
    assert expert["id"] in call["assignment"]["note"]
    assert upcoming_of(server, expert["id"]) == []


def test_a_no_show_for_an_unknown_invitee_is_acknowledged_and_ignored(server):
    mark = {"uri": f"{API}/invitee_no_shows/{uuid.uuid4().hex}", "created_at": "2025-06-17T09:20:00.000000Z"}
    status, answer = post(server, delivery("invitee_no_show.created", invitee(new_invitee_uri(), next_week(9), no_show=mark)))
    assert status == 200 and answer["result"] == "ignored", answer


# --- no-shows ---------------------------------------------------------------------------------

def test_a_no_show_is_marked_for_the_customer_and_unmarking_restores_the_state(server):
    _, host = make_expert(server)
    uri = new_invitee_uri()
    call_id = deliver(server, "invitee.created", invitee(uri, next_week(8), hosts=[host]))["callId"]
    mark = {"uri": f"{API}/invitee_no_shows/{uuid.uuid4().hex}", "created_at": "2025-06-17T09:20:00.000000Z"}
    deliver(server, "invitee_no_show.created", invitee(uri, next_week(8), hosts=[host], no_show=mark))
    call = get_call(server, call_id)
    assert call["state"] == "CALL_STATE_NO_SHOW" and call["noShowParty"] == "NO_SHOW_PARTY_CUSTOMER"
    again = deliver(server, "invitee_no_show.created", invitee(uri, next_week(8), hosts=[host], no_show=mark))
    assert again["result"] == "ignored"
    deliver(server, "invitee_no_show.deleted", invitee(uri, next_week(8), hosts=[host], no_show=mark))
    call = get_call(server, call_id)
    assert call["state"] == "CALL_STATE_SCHEDULED" and call["noShowParty"] == "NO_SHOW_PARTY_UNSPECIFIED"


# --- other events, rejections, duplicates -----------------------------------------------------

def test_a_routing_form_submission_is_acknowledged_and_ignored(server):
    status, answer = post(server, delivery("routing_form_submission.created", {
        "uri": f"{API}/routing_form_submissions/{uuid.uuid4().hex}", "routing_form": f"{API}/routing_forms/RF1",
        "questions_and_answers": [{"question_uuid": "Q1", "question": "Team size?", "answer": "11-50"}],
        "tracking": {"utm_campaign": None, "utm_source": None, "utm_medium": None, "utm_content": None,
                     "utm_term": None, "salesforce_uuid": None},
        "result": {"type": "event_type", "value": f"{API}/event_types/ETYPE1"},
        "submitter": None, "submitter_type": None,
        "created_at": "2025-06-10T13:59:00.000000Z", "updated_at": "2025-06-10T13:59:00.000000Z"}))
    assert status == 200 and answer["result"] == "ignored", answer


def booking_for_a_fresh_expert(server, hour=9):
    expert, host = make_expert(server)
    return expert, encode(delivery("invitee.created", invitee(new_invitee_uri(), next_week(hour), hosts=[host])))


@pytest.mark.parametrize("signature", [
    pytest.param(None, id="missing"),
    pytest.param("", id="empty"),
    pytest.param("t=abc,v1=zz", id="malformed"),
    pytest.param("v1=" + "0" * 64, id="no-timestamp"),
    pytest.param("wrong", id="wrong-mac"),
    pytest.param("stale", id="stale"),
    pytest.param("future", id="future"),
    pytest.param("other-secret", id="other-secret"),
])
def test_a_bad_signature_is_401_and_stores_nothing(server, signature):
    expert, body = booking_for_a_fresh_expert(server)
    header = {
        "wrong": lambda: sign(body + b" "),
        "stale": lambda: sign(body, at=time.time() - 181 - 5),
        "future": lambda: sign(body, at=time.time() + 181 + 5),
        "other-secret": lambda: sign(body, secret="not-the-signing-key"),
    }.get(signature, lambda: signature)()
    status, error = post(server, body, signature=header)
    assert status == 401, error
    assert error["code"] == 16 and set(error) == {"code", "message", "details"}
    assert upcoming_of(server, expert["id"]) == []
    # Nothing was recorded either: the same delivery, properly signed, applies.
    status, answer = post(server, body)
    assert status == 200 and answer["result"] == "applied", answer


@pytest.mark.parametrize("mangle", [
    pytest.param(lambda body: body[:-3], id="truncated-json"),
    pytest.param(lambda body: b"not json", id="not-json"),
    pytest.param(lambda body: body.replace(b'"email": "dana.lee@example.org"', b'"e": 1'), id="missing-email"),
    pytest.param(lambda body: body.replace(b'"event": "invitee.created"', b'"evt": "invitee.created"'), id="missing-event"),
    pytest.param(lambda body: body.replace(b'"start_time"', b'"begins"'), id="missing-start"),
])
def test_a_malformed_delivery_is_400_and_stores_nothing(server, mangle):
    expert, body = booking_for_a_fresh_expert(server, hour=10)
    bad = mangle(body)
    assert bad != body
    status, error = post(server, bad)
    assert status == 400 and error["code"] == 3, error
    assert upcoming_of(server, expert["id"]) == []


def test_an_event_ending_before_it_starts_is_400(server):
    _, host = make_expert(server)
    payload = invitee(new_invitee_uri(), next_week(10), hosts=[host], minutes=-30)
    status, error = post(server, delivery("invitee.created", payload))
    assert status == 400 and error["code"] == 3, error


def test_a_duplicate_delivery_is_acknowledged_and_books_once(server):
    expert, body = booking_for_a_fresh_expert(server, hour=11)
    first = post(server, body)
    second = post(server, body, signature=sign(body))    # Calendly re-signs each attempt
    assert first[0] == 200 and first[1]["result"] == "applied"
    assert second[0] == 200 and second[1]["result"] == "duplicate"
    assert len(upcoming_of(server, expert["id"])) == 1


def test_the_same_delivery_to_two_servers_on_one_database_books_once(server):
    other = Server()
    try:
        for hour in (12, 13, 14):
            expert, body = booking_for_a_fresh_expert(server, hour=hour)
            barrier = threading.Barrier(2)

            def send(target):
                barrier.wait()
                return post(target, body)

            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                answers = list(pool.map(send, [server, other]))
            assert [status for status, _ in answers] == [200, 200], answers
            assert sorted(answer["result"] for _, answer in answers) == ["applied", "duplicate"], answers
            assert len(upcoming_of(server, expert["id"])) == 1
        other.stop()
    finally:
        other.close()
