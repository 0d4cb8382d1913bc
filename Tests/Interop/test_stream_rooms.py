"""Video rooms against the real binary and a loopback Stream (stream_api_fake.py): screen
sharing for the expert only, the call's chat channel, and members brought up to date when the
call is reassigned or a Calendly booking is claimed, all through the retried room-setup job.

The module-scoped fixtures are test_stream_video's, imported: this module gets a fake, a
database and a server of its own (STREAM_BASE_URL at the fake, a 1 s retry base).
"""

import uuid

import jwt

from auth import DEV_KEY, STREAM_API_KEY, STREAM_SECRET_KEY
from databases import psql, wait_for
from loop.callbooking.v1 import call_booking_pb2 as pb
from test_calendly_webhooks import deliver, invitee, make_expert, new_invitee_uri, next_week
from test_stream_video import admin, database, fake, make_world, rest, stream_server  # noqa: F401 (fixtures)

TIMEOUT = 10


def call_path(call_id, tail=""):
    return f"/api/v2/video/call/default/{call_id}{tail}"


def channel_path(call_id, tail=""):
    return f"/api/v2/chat/channels/videocall/{call_id}{tail}"


def answered(fake, path):
    """The POSTs to `path` that Stream accepted (2xx)."""
    return [r for r in fake.seen("POST", path) if 200 <= r.status < 300]


def wait_for_chat(fake, call_id, count=1):
    """The chat channel query, the room's last get-or-create, accepted `count` times."""
    return wait_for(lambda: len(answered(fake, channel_path(call_id, "/query"))) >= count, 20,
                    f"the chat channel of {call_id}")


def permission_bodies(fake, call_id):
    return [r.body for r in answered(fake, call_path(call_id, "/user_permissions"))]


def job_rows(database, call_id):
    """The call's room jobs (its reminders and no-show check are jobs of other kinds)."""
    return psql(database, f"SELECT dedupe_key || ' ' || state FROM calls.jobs WHERE kind = 'video.room.setup' "
                          f"AND payload->>'call_id' = '{call_id}' ORDER BY id").splitlines()


def test_a_new_room_lets_only_the_expert_share_a_screen_and_has_a_chat(stream_server, admin, fake, database):
    world = make_world(admin)
    call_id, cid = world["call_id"], f"default:{world['call_id']}"
    wait_for_chat(fake, call_id)
    # One request per participant, in the documented UpdateUserPermissionsRequest shape.
    assert permission_bodies(fake, call_id) == [
        {"user_id": world["expert"], "grant_permissions": ["screenshare"]},
        {"user_id": world["customer"], "revoke_permissions": ["screenshare"]},
    ]
    assert fake.permissions[cid] == {world["expert"]: {"granted": {"screenshare"}, "revoked": set()},
                                     world["customer"]: {"granted": set(), "revoked": {"screenshare"}}}
    # The chat: videocall:<call id>, created by the service user with both participants.
    [query] = answered(fake, channel_path(call_id, "/query"))
    assert query.query == {"api_key": STREAM_API_KEY}
    assert query.headers["stream-auth-type"] == "jwt"
    assert jwt.decode(query.headers["authorization"], STREAM_SECRET_KEY, algorithms=["HS256"]) == {"server": True}
    assert query.body == {
        "data": {"created_by_id": "call-booking",
                 "members": [{"user_id": world["expert"]}, {"user_id": world["customer"]}],
                 "custom": {"booking_id": call_id}},
        "state": True,
    }
    assert fake.channels[f"videocall:{call_id}"] == [world["expert"], world["customer"]]
    # A new call is created with its members: nothing to update.
    assert fake.seen("POST", call_path(call_id, "/members")) == []
    assert fake.seen("POST", channel_path(call_id)) == []
    assert job_rows(database, call_id) == [f"{call_id} done"]


def test_a_reassigned_call_makes_the_new_expert_host_and_drops_the_old_one(stream_server, admin, fake, database):
    calls, _ = admin
    world = make_world(admin)
    call_id, cid = world["call_id"], f"default:{world['call_id']}"
    wait_for_chat(fake, call_id)
    calls.ReassignCall(pb.ReassignCallRequest(id=call_id, expert_id=world["other_expert_id"], reason="sick"),
                       timeout=TIMEOUT)
    [update] = wait_for(lambda: answered(fake, call_path(call_id, "/members")), 20, "the members update")
    assert update.body == {"update_members": [{"user_id": world["other_expert"], "role": "host"}],
                           "remove_members": [world["expert"]]}
    wait_for_chat(fake, call_id, count=2)
    wait_for(lambda: len(job_rows(database, call_id)) == 2 and job_rows(database, call_id)[1].endswith(" done"),
             20, "the second room job done")
    # What Stream holds now: the new expert hosts, the old one is gone and cannot share.
    assert fake.members[cid] == {world["other_expert"]: "host", world["customer"]: "call_member"}
    assert fake.permissions[cid][world["other_expert"]]["granted"] == {"screenshare"}
    assert fake.permissions[cid][world["expert"]] == {"granted": set(), "revoked": {"screenshare"}}
    assert fake.permissions[cid][world["customer"]]["revoked"] == {"screenshare"}
    assert fake.channels[f"videocall:{call_id}"] == [world["customer"], world["other_expert"]]
    assert [r.body for r in answered(fake, channel_path(call_id))] == [
        {"add_members": [{"user_id": world["other_expert"]}]}, {"remove_members": [world["expert"]]}]
    # The job that ran again, keyed by the change (the call's second event) and its people.
    assert job_rows(database, call_id) == [
        f"{call_id} done", f"{call_id}:members:{world['other_expert_id']}:{world['customer']}:2 done"]


def test_a_claimed_calendly_booking_adds_its_customer_to_the_room(stream_server, fake):
    _, host = make_expert(stream_server)  # no Clerk user: the room starts without members
    email = f"{uuid.uuid4().hex[:10]}@customers.example"
    answer = deliver(stream_server, "invitee.created", invitee(
        new_invitee_uri(), next_week(hour=13), hosts=[host], email=email))
    call_id, cid = answer["callId"], f"default:{answer['callId']}"
    wait_for_chat(fake, call_id)
    assert fake.members[cid] == {} and fake.channels[f"videocall:{call_id}"] == []
    customer = f"user_claim_{uuid.uuid4().hex[:8]}"
    status, seen = rest(stream_server, "GET", f"/api/v1/calls/{call_id}", DEV_KEY.token(customer, "customer", email))
    assert status == 200 and seen["customer"]["userId"] == customer, seen
    [update] = wait_for(lambda: answered(fake, call_path(call_id, "/members")), 20, "the members update")
    assert update.body == {"update_members": [{"user_id": customer, "role": "call_member"}]}
    wait_for(lambda: fake.channels[f"videocall:{call_id}"] == [customer], 20, "the customer in the chat")
    assert fake.members[cid] == {customer: "call_member"}
    assert wait_for(lambda: fake.permissions.get(cid, {}).get(customer), 20, "the customer's permissions") \
        == {"granted": set(), "revoked": {"screenshare"}}


def test_failing_steps_are_retried_until_the_room_is_complete(stream_server, admin, fake, database):
    fake.outages.update({"permissions": 1, "channel": 2})
    world = make_world(admin)
    call_id = world["call_id"]
    wait_for_chat(fake, call_id)
    wait_for(lambda: job_rows(database, call_id) == [f"{call_id} done"], 20, "the room job done")
    attempts = psql(database, f"SELECT attempts FROM calls.jobs WHERE dedupe_key = '{call_id}'")
    assert attempts == "4"  # permissions failed once, the chat twice, then everything passed
    assert [r.status for r in fake.seen("POST", channel_path(call_id, "/query"))] == [503, 503, 201]
    # Every retry was a repeat (get-or-create each time): one call, its two members, the
    # channel with both.
    assert len(answered(fake, call_path(call_id))) == 4
    assert fake.members[f"default:{call_id}"] == {world["expert"]: "host", world["customer"]: "call_member"}
    assert fake.channels[f"videocall:{call_id}"] == [world["expert"], world["customer"]]
    assert fake.seen("POST", call_path(call_id, "/members")) == []
