"""Rooms and sessions that must follow their calls, against the real binary and the loopback
Stream (stream_api_fake.py): a cancelled call's Stream call is ended and its chat frozen, a
reassigned call's previous expert is blocked, and a call whose session end never arrived is
settled from Stream's session by the end check, all through the jobs outbox.

The module-scoped fixtures are test_stream_video's, imported: a fake, a database and a server of
its own (STREAM_BASE_URL at the fake, a 1 s retry base).
"""

import datetime

from databases import psql, wait_for
from loop.callbooking.v1 import call_booking_pb2 as pb
from test_stream_rooms import call_path, channel_path, wait_for_chat
from test_stream_video import admin, database, fake, get_call, iso, make_world, send_webhook, stream_server  # noqa: F401

TIMEOUT = 10


def ran_hours_ago(database, call_id):
    """Moves the booked call to 3 hours ago (30 minutes long): past its end plus the default grace."""
    psql(database, "UPDATE calls.calls SET scheduled_start = now() - interval '3 hours', "
                   f"scheduled_end = now() - interval '150 minutes' WHERE id = '{call_id}'")


def test_a_cancelled_call_ends_its_stream_call_and_freezes_its_chat(stream_server, admin, fake):
    calls, _ = admin
    world = make_world(admin)
    call_id, cid = world["call_id"], f"default:{world['call_id']}"
    wait_for_chat(fake, call_id)
    calls.CancelCall(pb.CancelCallRequest(id=call_id, reason="the customer is ill"), timeout=TIMEOUT)
    wait_for(lambda: fake.channel_fields.get(f"videocall:{call_id}", {}).get("frozen"), 20, "the chat frozen")
    ended = fake.seen("POST", call_path(call_id, "/mark_ended"))
    assert [(r.status, r.body) for r in ended] == [(201, None)]  # EndCall: an empty POST
    assert cid in fake.ended
    patches = fake.seen("PATCH", channel_path(call_id))
    assert [(r.status, r.body) for r in patches] == [(200, {"set": {"frozen": True}})]


def test_the_expert_a_call_is_taken_from_is_blocked_and_taken_off_it(stream_server, admin, fake):
    calls, _ = admin
    world = make_world(admin)
    call_id, cid = world["call_id"], f"default:{world['call_id']}"
    wait_for_chat(fake, call_id)
    calls.ReassignCall(pb.ReassignCallRequest(id=call_id, expert_id=world["other_expert_id"], reason="ill"),
                       timeout=TIMEOUT)
    wait_for(lambda: world["expert"] in fake.blocked.get(cid, set()), 20, "the previous expert blocked")
    blocks = fake.seen("POST", call_path(call_id, "/block"))
    assert [(r.status, r.body) for r in blocks] == [(201, {"user_id": world["expert"]})]
    wait_for(lambda: fake.members[cid] == {world["other_expert"]: "host", world["customer"]: "call_member"}, 20,
             "the members brought up to date")

    # Given back: the next members sync unblocks them.
    calls.ReassignCall(pb.ReassignCallRequest(id=call_id, expert_id=world["expert_id"], reason="better"), timeout=TIMEOUT)
    wait_for(lambda: world["expert"] not in fake.blocked.get(cid, set()) and fake.members[cid].get(world["expert"]) == "host",
             20, "the expert back on the call")
    unblocks = fake.seen("POST", call_path(call_id, "/unblock"))
    assert [r.body for r in unblocks] == [{"user_id": world["expert"]}]


def test_a_call_whose_session_end_never_arrived_is_settled_from_streams_session(stream_server, admin, fake, database):
    calls, _ = admin
    world = make_world(admin)
    call_id, cid = world["call_id"], f"default:{world['call_id']}"
    wait_for_chat(fake, call_id)
    ran_hours_ago(database, call_id)
    now = datetime.datetime.now(datetime.timezone.utc)
    started, ended = now - datetime.timedelta(hours=3), now - datetime.timedelta(minutes=155)
    fake.sessions[cid] = {
        "id": "s1", "started_at": iso(started), "ended_at": iso(ended), "anonymous_participant_count": 0,
        "participants": [{"user": {"id": world[who]}, "user_session_id": f"us-{who}", "role": role,
                          "joined_at": iso(started)} for who, role in (("expert", "host"), ("customer", "call_member"))]}
    status, _ = send_webhook(stream_server, {
        "type": "call.session_started", "created_at": iso(now), "call_cid": cid, "session_id": "s1",
        "call": {"cid": cid, "session": {"id": "s1", "started_at": iso(started)}}})
    assert status == 200

    call = wait_for(lambda: (c := get_call(admin, call_id)).state == pb.CALL_STATE_COMPLETED and c, 20, "the call settled")
    assert abs(call.ended_at.ToDatetime(tzinfo=datetime.timezone.utc) - ended) < datetime.timedelta(seconds=1)
    assert fake.seen("GET", call_path(call_id))
    timeline = calls.GetCallTimeline(pb.GetCallTimelineRequest(call_id=call_id), timeout=TIMEOUT)
    last = timeline.events[-1]
    assert (last.kind, last.to_state, last.actor) == ("session_end_confirmed", pb.CALL_STATE_COMPLETED, "end-check")
    assert sorted(a.role for a in timeline.attendance) == sorted([pb.PARTICIPANT_ROLE_EXPERT, pb.PARTICIPANT_ROLE_CUSTOMER])


def test_a_call_stream_knows_nothing_of_is_completed_at_the_last_attendance(stream_server, admin, fake, database):
    calls, _ = admin
    world = make_world(admin)
    call_id, cid = world["call_id"], f"default:{world['call_id']}"
    wait_for_chat(fake, call_id)
    with fake._lock:  # Stream lost the call
        del fake.calls[cid]
    ran_hours_ago(database, call_id)
    now = datetime.datetime.now(datetime.timezone.utc)
    joined = now - datetime.timedelta(hours=3)
    for event in ({"type": "call.session_started", "created_at": iso(now), "call_cid": cid, "session_id": "s1",
                   "call": {"cid": cid, "session": {"id": "s1", "started_at": iso(joined)}}},
                  {"type": "call.session_participant_joined", "created_at": iso(now), "call_cid": cid,
                   "session_id": "s1", "participant": {"user_session_id": "us-c", "role": "call_member",
                                                       "joined_at": iso(joined), "user": {"id": world["customer"]}}}):
        assert send_webhook(stream_server, event)[0] == 200
    call = wait_for(lambda: (c := get_call(admin, call_id)).state == pb.CALL_STATE_COMPLETED and c, 20, "the call settled")
    assert abs(call.ended_at.ToDatetime(tzinfo=datetime.timezone.utc) - joined) < datetime.timedelta(seconds=1)
    kinds = psql(database, f"SELECT kind FROM calls.call_events WHERE call_id = '{call_id}' ORDER BY id").splitlines()
    assert kinds[-1] == "session_end_assumed"
