"""Stream webhooks with the app's compression on (providers.md §4.1), against the real binary:
the body is gzip (Python's gzip module, as Stream's servers send it) and `X-Signature` is the
HMAC of the uncompressed JSON. A compressed delivery changes the call exactly as a plain one
does; a gzip bomb is 413 at once and the server stays healthy; broken gzip is 400 and other
encodings 415, none of them applied.
"""

import datetime
import gzip
import hashlib
import hmac
import json
import time
import uuid

import pytest

from auth import ADMIN_TOKEN, STREAM_API_KEY, STREAM_SECRET_KEY
from loop.callbooking.v1 import call_booking_pb2 as pb
from test_stream_video import (  # noqa: F401 (fixtures)
    admin, database, fake, get_call, iso, make_world, rest, stream_server)

RESOURCE_EXHAUSTED, INVALID_ARGUMENT, UNIMPLEMENTED = 8, 3, 12


def signature(json_bytes):
    return hmac.new(STREAM_SECRET_KEY.encode(), json_bytes, hashlib.sha256).hexdigest()


def post(server, body, signed, encoding="gzip"):
    """(status, JSON answer) of a delivery of `body` whose signature is over `signed`."""
    headers = {"x-api-key": STREAM_API_KEY, "x-webhook-id": uuid.uuid4().hex, "x-webhook-attempt": "1",
               "x-signature": signature(signed)}
    if encoding is not None:
        headers["content-encoding"] = encoding
    return rest(server, "POST", "/webhooks/stream", body=body, headers=headers)


def session_started(world):
    started = world["start"] + datetime.timedelta(seconds=30)
    cid = f"default:{world['call_id']}"
    event = {"type": "call.session_started", "created_at": iso(started), "call_cid": cid, "session_id": "s1",
             "call": {"cid": cid, "session": {"id": "s1", "started_at": iso(started)}}}
    return json.dumps(event).encode(), started


def logged(server, body):
    """(outcome, reason, size) of each delivery `ListWebhookDeliveries` lists for the bytes `body`
    as they arrived."""
    status, answer = rest(server, "GET", "/api/v1/ops/webhook-deliveries?provider=stream&page_size=100",
                          token=ADMIN_TOKEN)
    assert status == 200, answer
    digest = hashlib.sha256(body).hexdigest()
    return [(d["outcome"], d["reason"], int(d["bodySize"])) for d in answer["deliveries"] if d["bodySha256"] == digest]


@pytest.mark.parametrize("encoding", ["gzip", None], ids=["content-encoding", "magic-bytes"])
def test_a_gzip_delivery_changes_the_call_as_the_plain_one_does(stream_server, admin, encoding):
    compressed_world, plain_world = make_world(admin), make_world(admin)
    compressed_json, compressed_start = session_started(compressed_world)
    plain_json, plain_start = session_started(plain_world)
    body = gzip.compress(compressed_json)
    assert body[:2] == b"\x1f\x8b" and body != compressed_json

    assert post(stream_server, body, compressed_json, encoding) == (200, {"result": "applied"})
    assert post(stream_server, plain_json, plain_json, "identity") == (200, {"result": "applied"})

    for world, started in ((compressed_world, compressed_start), (plain_world, plain_start)):
        call = get_call(admin, world["call_id"])
        assert call.state == pb.CALL_STATE_IN_PROGRESS
        assert call.started_at.ToDatetime(tzinfo=datetime.timezone.utc) == started
    assert logged(stream_server, body) == [("WEBHOOK_OUTCOME_APPLIED", "", len(body))]
    # Stream retrying it, compressed again: the same delivery, not applied twice.
    assert post(stream_server, gzip.compress(compressed_json, compresslevel=1), compressed_json, encoding) == \
        (200, {"result": "duplicate"})


def test_a_signature_over_the_compressed_bytes_is_refused(stream_server, admin):
    world = make_world(admin)
    body = gzip.compress(session_started(world)[0])
    status, answer = post(stream_server, body, body)
    assert (status, answer["code"]) == (401, 16), answer
    assert get_call(admin, world["call_id"]).state == pb.CALL_STATE_SCHEDULED


def test_a_gzip_bomb_is_413_at_once_and_the_server_stays_healthy(stream_server, admin):
    bomb = gzip.compress(b" " * (256 << 20), compresslevel=9)   # 256 MiB in about 250 KiB
    assert len(bomb) < 1 << 20
    started = time.monotonic()
    status, answer = post(stream_server, bomb, b"")
    elapsed = time.monotonic() - started
    assert (status, answer["code"]) == (413, RESOURCE_EXHAUSTED), answer
    assert "inflates to more than 1048576 bytes" in answer["message"]
    assert elapsed < 2, f"the bomb took {elapsed:.2f} s"
    assert logged(stream_server, bomb) == [
        ("WEBHOOK_OUTCOME_INVALID", "refused: the gzip body inflates to more than 1048576 bytes", len(bomb))]
    # Still serving: health, and a real compressed delivery right after.
    assert rest(stream_server, "GET", "/api/health")[0] == 200
    world = make_world(admin)
    json_body = session_started(world)[0]
    assert post(stream_server, gzip.compress(json_body), json_body) == (200, {"result": "applied"})


def test_broken_gzip_is_400_and_other_encodings_are_415(stream_server, admin):
    world = make_world(admin)
    json_body = session_started(world)[0]
    truncated = gzip.compress(json_body)[:-8]
    for body, encoding in ((truncated, "gzip"), (json_body, "gzip"), (b"\x1f\x8b\x08\x00garbage", None)):
        status, answer = post(stream_server, body, json_body, encoding)
        assert (status, answer["code"]) == (400, INVALID_ARGUMENT), answer
        assert "not valid gzip data" in answer["message"]
        assert [row[0] for row in logged(stream_server, body)] == ["WEBHOOK_OUTCOME_INVALID"]
    for encoding in ("br", "deflate"):
        status, answer = post(stream_server, json_body, json_body, encoding)
        assert (status, answer["code"]) == (415, UNIMPLEMENTED), answer
        assert f"Content-Encoding {encoding} is not accepted" in answer["message"]
    assert get_call(admin, world["call_id"]).state == pb.CALL_STATE_SCHEDULED
