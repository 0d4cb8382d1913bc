"""Call quality against the real binary and a loopback Stream (stream_api_fake.py):
a signed `call.stats_report_ready` queues one fetch per session (`video.quality.fetch`), the
job reads the session's `GetCallStatsResponse` with the server token, and the figures feed
GetCallAnalytics, once however often Stream says so.

The module-scoped fixtures are test_stream_video's, imported: this module gets a fake, a
database and a server of its own (STREAM_BASE_URL at the fake, a 1 s retry base).
"""

import datetime
import uuid

import jwt
import pytest

from auth import STREAM_API_KEY, STREAM_SECRET_KEY
from databases import psql, wait_for
from loop.callbooking.v1 import call_booking_pb2 as pb
from test_stream_video import (  # noqa: F401 (fixtures)
    admin, database, fake, iso, make_world, send_webhook, stream_server, timestamp)

TIMEOUT = 10


def stats_path(call_id, session):
    return f"/api/v2/video/call/default/{call_id}/stats/{session}"


def report(score, jitter, latency):
    """A session's GetCallStatsResponse, abridged, as Stream answers it."""
    return {"call_duration_seconds": 1500, "call_status": "ended", "max_freezes_duration_seconds": 2,
            "max_participants": 2, "max_total_quality_limitation_duration_seconds": 0, "publishing_participants": 2,
            "quality_score": score, "sfu_count": 1, "participant_report": [], "sfus": [],
            "jitter": {"average_seconds": jitter, "max_seconds": jitter * 4},
            "latency": {"average_seconds": latency, "max_seconds": latency * 2}}


def stats_ready(call_id, session):
    return {"type": "call.stats_report_ready", "created_at": iso(datetime.datetime.now(datetime.timezone.utc)),
            "call_cid": f"default:{call_id}", "session_id": session, "participants_overview": [], "is_trimmed": False}


def quality_rows(database, call_id):
    return psql(database, "SELECT session_id || ' ' || quality_score || ' ' || jitter_average_seconds || ' ' || "
                          "latency_max_seconds || ' ' || max_freezes_duration_seconds || ' ' || (report->>'call_status') "
                          f"FROM calls.call_quality WHERE call_id = '{call_id}' ORDER BY session_id").splitlines()


def fetch_jobs(database, call_id):
    return psql(database, "SELECT payload->>'session_id' || ' ' || state || ' ' || attempts || ' ' || "
                          "coalesce(last_error, '-') FROM calls.jobs WHERE kind = 'video.quality.fetch' "
                          f"AND payload->>'call_id' = '{call_id}' ORDER BY id").splitlines()


def finished_jobs(database, call_id, count):
    """The call's `count` fetch jobs once all are done or dead, else None."""
    jobs = fetch_jobs(database, call_id)
    return jobs if len(jobs) == count and all(job.split(" ")[1] in ("done", "dead") for job in jobs) else None


def analytics(admin, world):
    calls, _ = admin
    return calls.GetCallAnalytics(pb.GetCallAnalyticsRequest(**{"from": timestamp(world["start"])},
                                                             to=timestamp(world["end"])), timeout=TIMEOUT)


def test_stats_reports_feed_analytics_once_per_session(stream_server, admin, fake, database):
    calls, _ = admin
    world = make_world(admin)
    first = world["call_id"]
    # The other expert's call at the same time, so that the window holds both and nothing else.
    second = calls.CreateCall(pb.CreateCallRequest(
        expert_id=world["other_expert_id"], topic="video", customer=pb.Customer(user_id=world["other_customer"]),
        scheduled_start=timestamp(world["start"]), scheduled_end=timestamp(world["end"])), timeout=TIMEOUT).id
    sessions = {(first, "sess-a"): report(90, 0.01, 0.1), (first, "sess-b"): report(70, 0.03, 0.3),
                (second, "sess-c"): report(40, 0.04, 0.4)}
    fake.stats.update(sessions)

    delivery = {}
    for call_id, session in sessions:
        delivery[session] = uuid.uuid4().hex
        status, answer = send_webhook(stream_server, stats_ready(call_id, session), webhook_id=delivery[session])
        assert (status, answer) == (200, {"result": "applied"})
    wait_for(lambda: len(quality_rows(database, first)) == 2 and len(quality_rows(database, second)) == 1, 20,
             "the three stats reports to be stored")
    assert quality_rows(database, first) == ["sess-a 90 0.01 0.2 2 ended", "sess-b 70 0.03 0.6 2 ended"]
    assert quality_rows(database, second) == ["sess-c 40 0.04 0.8 2 ended"]

    # The documented request: a bodiless GET of the session's stats with the server token.
    for call_id, session in sessions:
        [request] = fake.seen("GET", stats_path(call_id, session))
        assert request.status == 200 and request.body is None
        assert request.query == {"api_key": STREAM_API_KEY}
        assert request.headers["stream-auth-type"] == "jwt"
        assert jwt.decode(request.headers["authorization"], STREAM_SECRET_KEY, algorithms=["HS256"]) == {"server": True}

    def check(answer):
        # Each call counts once: the first call's two sessions average to 80, jitter 0.02, latency 0.2.
        assert answer.quality_reported_calls == 2
        assert answer.average_quality_score == pytest.approx(60)
        assert answer.average_jitter_seconds == pytest.approx(0.03)
        assert answer.average_latency_seconds == pytest.approx(0.3)
        per_expert = {stats.expert_id: stats for stats in answer.per_expert}
        expert, other = per_expert[world["expert_id"]], per_expert[world["other_expert_id"]]
        assert (expert.quality_reported_calls, expert.average_quality_score) == (1, pytest.approx(80))
        assert (other.quality_reported_calls, other.average_quality_score) == (1, pytest.approx(40))

    check(analytics(admin, world))

    # Stream retrying a delivery, and sending the event again under a new delivery id, while its
    # report would now say otherwise: acknowledged, nothing fetched again, nothing changed.
    fake.stats[(first, "sess-a")] = report(10, 0.5, 0.5)
    assert send_webhook(stream_server, stats_ready(first, "sess-a"), webhook_id=delivery["sess-a"]) \
        == (200, {"result": "duplicate"})
    assert send_webhook(stream_server, stats_ready(first, "sess-a")) == (200, {"result": "applied"})
    # No second job for the session (one per dedupe key, whatever its state), so no second fetch.
    assert wait_for(lambda: finished_jobs(database, first, 2), 20, "the fetches to finish") \
        == ["sess-a done 1 -", "sess-b done 1 -"]
    assert len(fake.seen("GET", stats_path(first, "sess-a"))) == 1
    assert quality_rows(database, first)[0] == "sess-a 90 0.01 0.2 2 ended"
    check(analytics(admin, world))


def test_a_stream_outage_is_retried_and_a_missing_report_is_dead_with_its_reason(stream_server, admin, fake, database):
    world = make_world(admin)
    call_id = world["call_id"]
    fake.stats[(call_id, "sess-late")] = report(55, 0.02, 0.2)
    fake.outages["stats"] = 1
    assert send_webhook(stream_server, stats_ready(call_id, "sess-late"))[0] == 200
    wait_for(lambda: quality_rows(database, call_id) == ["sess-late 55 0.02 0.4 2 ended"], 20,
             "the report to be stored after the outage")
    assert [r.status for r in fake.seen("GET", stats_path(call_id, "sess-late"))] == [503, 200]
    assert send_webhook(stream_server, stats_ready(call_id, "sess-gone"))[0] == 200  # the fake has no such report
    jobs = wait_for(lambda: finished_jobs(database, call_id, 2), 20, "both fetches to finish")
    assert jobs[0] == "sess-late done 2 -"
    session, state, attempts, reason = jobs[1].split(" ", 3)
    assert (session, state, attempts) == ("sess-gone", "dead", "1")
    assert "no stats report for session sess-gone" in reason and "404" in reason
    assert len(fake.seen("GET", stats_path(call_id, "sess-gone"))) == 1


def test_a_report_for_an_unknown_call_is_acknowledged_and_fetches_nothing(stream_server, fake, database):
    stranger = str(uuid.uuid4())  # our call type, but no such booking
    status, answer = send_webhook(stream_server, stats_ready(stranger, "sess-x"))
    assert (status, answer) == (200, {"result": "applied"})
    assert fetch_jobs(database, stranger) == []
    assert psql(database, "SELECT outcome FROM calls.webhook_deliveries WHERE provider = 'stream' "
                          "AND event = 'call.stats_report_ready' ORDER BY received_at DESC LIMIT 1") \
        == "ignored: unknown call"
    # Without its session it is not a stats event at all.
    event = stats_ready(stranger, "sess-x")
    del event["session_id"]
    status, answer = send_webhook(stream_server, event)
    assert (status, answer["code"]) == (400, 3)
