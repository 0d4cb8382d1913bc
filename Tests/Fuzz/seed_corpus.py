#!/usr/bin/env python3
"""Writes the seed inputs each fuzz target's corpus started from, in libFuzzer's input format.

  python3 Tests/Fuzz/seed_corpus.py <directory>   # <directory>/<target>/<seed>, one file each

The committed corpus (Tests/Fuzz/Corpus) is what long runs grew from these and `-merge=1` kept:
run this again after a new message, field or event type, fuzz from its output, and merge
(README "Fuzzing"). Messages come from Tests/Interop's descriptor-driven builders and Google's
protobuf; webhook bodies follow the ones in CalendlyTests, StreamVideoTests and Tests/Interop;
tokens are signed with ClerkTests' key A.
"""

import base64
import gzip
import hashlib
import hmac
import json
import pathlib
import re
import sys

from google.protobuf import json_format

FUZZ_DIR = pathlib.Path(__file__).resolve().parent
REPO_ROOT = FUZZ_DIR.parent.parent
sys.path.insert(0, str(REPO_ROOT / "Tests" / "Interop"))

import protos  # noqa: E402  (Tests/Interop, put on the path above)
import sample_messages  # noqa: E402

# The keys and clocks the fuzz targets verify with (see each target's source).
CALENDLY_SIGNING_KEY = b"fuzz-calendly-signing-key"
CALENDLY_NOW = 1_749_564_005
STREAM_API_KEY = b"fuzz-stream-api-key"
STREAM_SECRET = b"fuzz-stream-secret"


def request_types():
    """The request messages in the order of RequestMessages.all: the first byte selects by index."""
    source = (FUZZ_DIR / "FuzzSupport" / "RequestMessages.swift").read_text()
    names = re.findall(r"(\w+)\.self", source[source.index("public static let all"):])
    packages = {"HealthCheckRequest": "grpc.health.v1", "HealthListRequest": "grpc.health.v1",
                "ServerReflectionRequest": "grpc.reflection.v1"}
    return [f"{packages.get(name, 'loop.callbooking.v1')}.{name}" for name in names]


def protobuf_and_json_seeds():
    protos.generate()
    binary, text = {}, {}
    for index, full_name in enumerate(request_types()):
        cls = protos.message_class(full_name)
        short = full_name.rsplit(".", 1)[1]
        messages = [("empty", cls())]
        variants = sample_messages.full_variant_count(cls.DESCRIPTOR)
        messages += [(f"full{k}", sample_messages.build_full(cls, k)) for k in range(variants)]
        messages += [(f"random{k}", sample_messages.build_random(cls, k)) for k in range(4)]
        for label, message in messages:
            selector = bytes([index])
            binary[f"{short}-{label}"] = selector + message.SerializeToString(deterministic=True)
            try:
                compact = json_format.MessageToJson(message, indent=None)
                names = json_format.MessageToJson(message, indent=2, preserving_proto_field_name=True)
            except json_format.SerializeToJsonError:
                continue  # a Timestamp outside 0001…9999 has no JSON form
            text[f"{short}-{label}"] = selector + compact.encode()
            text[f"{short}-{label}-names"] = selector + names.encode()
    return binary, text


def calendly_event(evt, status, start, end, cancellation=None):
    event = {
        "uri": f"https://api.calendly.com/scheduled_events/{evt}", "name": "30 Minute Consultation",
        "status": status, "start_time": start, "end_time": end,
        "event_type": "https://api.calendly.com/event_types/ETYPE1",
        "location": {"type": "custom", "location": "https://app.example.com/join"},
        "invitees_counter": {"total": 1, "active": 1, "limit": 1},
        "event_memberships": [{"user": "https://api.calendly.com/users/HOST1",
                               "user_email": "coach@example.com", "user_name": "Alex Coach"}],
        "event_guests": [], "created_at": "2025-06-10T14:00:02.400000Z",
    }
    if cancellation:
        event["cancellation"] = cancellation
    return event


def calendly_invitee(inv, evt, status="active", rescheduled=False, old=None, new=None, cancellation=None,
                     no_show=None, utm_content="user_2hK9abc"):
    uri = f"https://api.calendly.com/scheduled_events/{evt}/invitees/{inv}"
    return {
        "uri": uri, "email": "dana.lee@example.org", "name": "Dana Lee", "first_name": "Dana", "last_name": "Lee",
        "status": status, "timezone": "Europe/Berlin", "event": f"https://api.calendly.com/scheduled_events/{evt}",
        "questions_and_answers": [
            {"question": "Anything else?", "answer": "Bring the Q2 numbers", "position": 2},
            {"question": "What would you like to discuss?", "answer": "Onboarding plan", "position": 1}],
        "rescheduled": rescheduled, "old_invitee": old, "new_invitee": new, "cancellation": cancellation,
        "no_show": no_show, "reconfirmation": None, "payment": None,
        "tracking": {"utm_campaign": None, "utm_source": "newsletter", "utm_medium": "email",
                     "utm_content": utm_content, "utm_term": None, "salesforce_uuid": None},
        "created_at": "2025-06-10T14:00:02.512345Z",
        "scheduled_event": calendly_event(evt, status, "2025-06-17T09:00:00.000000Z", "2025-06-17T09:30:00.000000Z",
                                          cancellation),
    }


def calendly_seeds():
    cancellation = {"canceled_by": "Dana Lee", "reason": "Conflict, moved to Thursday", "canceler_type": "invitee",
                    "created_at": "2025-06-12T08:15:09.000000Z"}
    no_show = {"uri": "https://api.calendly.com/invitee_no_shows/NS0001", "created_at": "2025-06-17T09:20:00.000000Z"}
    inv1 = "https://api.calendly.com/scheduled_events/EVT1/invitees/INV1"
    inv2 = "https://api.calendly.com/scheduled_events/EVT2/invitees/INV2"
    bodies = {
        "created": ("invitee.created", calendly_invitee("INV1", "EVT1")),
        "reschedule-canceled": ("invitee.canceled", calendly_invitee(
            "INV1", "EVT1", "canceled", rescheduled=True, new=inv2, cancellation=cancellation)),
        "reschedule-created": ("invitee.created", calendly_invitee("INV2", "EVT2", old=inv1, utm_content=None)),
        "no-show-created": ("invitee_no_show.created", calendly_invitee("INV1", "EVT1", no_show=no_show)),
        "no-show-deleted": ("invitee_no_show.deleted", {"uri": no_show["uri"], "invitee": inv1,
                                                        "created_at": "2025-06-17T10:02:00.000000Z"}),
        "thin-canceled": ("invitee.canceled", {
            "uri": inv1, "email": "dana.lee@example.org", "name": "Dana Lee", "status": "canceled",
            "event": "https://api.calendly.com/scheduled_events/EVT1", "cancellation": {"...": "same as above"}}),
        "routing-form": ("routing_form_submission.created", {
            "uri": "https://api.calendly.com/routing_form_submissions/RFS1",
            "questions_and_answers": [{"question_uuid": "Q1", "question": "Team size?", "answer": "11-50"}]}),
    }
    seeds = {}
    for name, (event, payload) in bodies.items():
        body = json.dumps({"event": event, "created_at": "2025-06-10T14:00:03.000000Z",
                           "created_by": "https://api.calendly.com/users/HOST1", "payload": payload}).encode()
        mac = hmac.new(CALENDLY_SIGNING_KEY, f"{CALENDLY_NOW}.".encode() + body, hashlib.sha256).hexdigest()
        seeds[f"{name}-signed"] = f"t={CALENDLY_NOW},v1={mac}".encode() + b"\n" + body
    body = seeds["created-signed"].split(b"\n", 1)[1]
    seeds["unsigned"] = b"\n" + body
    seeds["stale"] = f"t={CALENDLY_NOW - 600},v1={'0' * 64}".encode() + b"\n" + body
    seeds["rotated-keys"] = f" t={CALENDLY_NOW} , v0=abc, v1={'a' * 64}, v1={'B' * 64}".encode() + b"\n" + body
    return seeds


def stream_seeds():
    cid = "default:0d8f6a3e-3b0a-4c6e-9d55-2f1f6f1e9a11"
    session = {"started_at": "2025-06-17T09:00:40Z", "ended_at": "2025-06-17T09:30:40.5Z"}
    participant = {"user_session_id": "a1", "role": "host", "joined_at": "2025-06-17T09:00:41.1Z",
                   "user": {"id": "user_host_01", "name": "Alex", "custom": {}}}
    recording = {"filename": "rec.mp4", "url": "https://cdn.example/rec.mp4?Expires=1750756442&Signature=abc",
                 "start_time": "2025-06-17T09:00:45Z", "end_time": "2025-06-17T09:31:10Z", "session_id": "s1",
                 "recording_type": "composite"}
    s3 = dict(recording, url="https://s3.example/r.mp4?X-Amz-Date=20250617T093402Z&X-Amz-Expires=3600&X-Amz-Signature=x")
    events = {
        "session-started": {"type": "call.session_started", "created_at": "2025-06-17T09:00:41.123456789Z",
                            "call_cid": cid, "session_id": "s1", "call": {"cid": cid, "session": session}},
        "session-ended": {"type": "call.session_ended", "created_at": "2025-06-17T09:31:00Z", "call_cid": cid,
                          "session_id": "s1", "call": {"session": session}},
        "call-ended": {"type": "call.ended", "created_at": "2025-06-17T09:31:00Z", "call_cid": cid,
                       "call": {"ended_at": "2025-06-17T09:31:00Z"}},
        "joined": {"type": "call.session_participant_joined", "created_at": "2025-06-17T09:00:41Z", "call_cid": cid,
                   "session_id": "s1", "participant": participant},
        "left": {"type": "call.session_participant_left", "created_at": "2025-06-17T09:30:00Z", "call_cid": cid,
                 "session_id": "s1", "duration_seconds": 1759, "participant": participant},
        "joined-old-shape": {"type": "call.session_participant_joined", "created_at": "2025-06-17T09:00:41Z",
                             "call_cid": cid, "session_id": "s1", "user": {"id": "user_old"}},
        "recording-ready": {"type": "call.recording_ready", "created_at": "2025-06-17T09:34:02Z", "call_cid": cid,
                            "egress_id": "EG1", "recording_type": "composite", "call_recording": recording},
        "recording-ready-s3": {"type": "call.recording_ready", "created_at": "2025-06-17T09:34:02Z", "call_cid": cid,
                               "call_recording": s3},
        "recording-failed": {"type": "call.recording_failed", "created_at": "2025-06-17T09:34:02Z", "call_cid": cid,
                             "egress_id": "EG1", "recording_type": "composite"},
        "stats-report": {"type": "call.stats_report_ready", "created_at": "2025-06-17T09:40:00Z", "call_cid": cid,
                         "session_id": "s1", "participants_overview": {"total": 2}},
        "other": {"type": "call.member_added", "created_at": "2025-06-17T09:34:02Z", "call_cid": "livestream:x"},
    }
    seeds = {}
    for name, event in events.items():
        body = json.dumps(event).encode()
        signature = hmac.new(STREAM_SECRET, body, hashlib.sha256).hexdigest().encode()
        seeds[f"{name}-signed"] = signature + b"\n" + STREAM_API_KEY + b"\n\n" + body
    body = json.dumps(events["session-started"]).encode()
    signature = hmac.new(STREAM_SECRET, body, hashlib.sha256).hexdigest().encode()
    seeds["gzip-signed"] = signature + b"\n" + STREAM_API_KEY + b"\ngzip\n" + gzip.compress(body, mtime=0)
    seeds["gzip-sniffed"] = signature + b"\n" + STREAM_API_KEY + b"\n\n" + gzip.compress(body, mtime=0)
    seeds["brotli"] = signature + b"\n" + STREAM_API_KEY + b"\nbr\n" + body
    seeds["wrong-key"] = b"0" * 64 + b"\nanother-app\nidentity\n" + body
    return seeds


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def token_seeds():
    source = (REPO_ROOT / "Tests" / "Support" / "TestTokens" / "TestKeys.swift").read_text()
    private_a = re.search(r'privateA = """\n(.*?)"""', source, re.S).group(1).encode()
    public_a = re.search(r'publicA = """\n(.*?)"""', source, re.S).group(1).encode()
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    key = serialization.load_pem_private_key(private_a, password=None)

    claims = {"azp": "https://app.example.com", "exp": 1_718_028_060, "iat": 1_718_028_000,
              "iss": "https://clerk.example.com", "nbf": 1_718_027_990, "sid": "sess_2hK9xYz", "sub": "user_2hK9abc",
              "v": 2, "fva": [3, -1], "sts": "active", "metadata": {"role": "expert"}, "email": "ada@example.com"}
    variants = {
        "valid": ({"alg": "RS256", "typ": "JWT"}, claims),
        "kid": ({"alg": "RS256", "typ": "JWT", "kid": "ins_A"}, claims),
        "admin": ({"alg": "RS256"}, dict(claims, metadata={"role": "admin"}, azp="https://admin.example.com")),
        "expired": ({"alg": "RS256"}, dict(claims, exp=1_718_027_000)),
        "not-yet": ({"alg": "RS256"}, dict(claims, nbf=1_718_029_000)),
        "pending": ({"alg": "RS256"}, dict(claims, sts="pending")),
        "wrong-issuer": ({"alg": "RS256"}, dict(claims, iss="https://evil.example.com")),
        "crit": ({"alg": "RS256", "crit": ["exp"]}, claims),
        "none": ({"alg": "none"}, claims),
    }
    seeds = {}
    for name, (header, body) in variants.items():
        header_json = json.dumps(header, separators=(",", ":")).encode()
        claims_json = json.dumps(body, separators=(",", ":")).encode()
        seeds[f"signed-{name}"] = b"\x01" + header_json + b"\n" + claims_json
        signing_input = b64url(header_json) + b"." + b64url(claims_json)
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        token = signing_input + b"." + b64url(signature)
        seeds[f"bearer-{name}"] = b"\x00Bearer " + token + b"\n"
    token = seeds["bearer-valid"][len(b"\x00Bearer "):-1]
    seeds["cookie-valid"] = b"\x00\n_ga=GA1.1; __session=" + token + b"; theme=dark"
    seeds["basic-then-cookie"] = b"\x00Basic dXNlcjpwYXNz\n__session=\"" + token + b"\""
    hs_input = b64url(b'{"alg":"HS256","typ":"JWT"}') + b"." + b64url(json.dumps(claims).encode())
    seeds["bearer-hs256-public-key"] = b"\x02bearer  " + hs_input + b"." + b64url(
        hmac.new(public_a, hs_input, hashlib.sha256).digest()) + b"\n"
    seeds["bearer-garbage"] = b"\x00Bearer a.b.c\n"
    return seeds


def h2_frame(kind, flags, stream, payload=b""):
    return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload


def hpack_literals(fields):
    """Literal header fields without indexing, new names, no Huffman (lengths under 127)."""
    return b"".join(b"\x00" + bytes([len(n)]) + n + bytes([len(v)]) + v
                    for n, v in ((n.encode(), v.encode()) for n, v in fields))


def http_connection_seeds():
    """FuzzHTTPConnection: a mode byte (bit 0: the HTTP/2 preface first; bits 1-3: read size;
    bits 4-5: how the responder answers), then the client's bytes."""
    health = "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
    post = "POST /webhooks/calendly HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
    chunked = "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    request = [(":method", "POST"), (":scheme", "http"), (":path", "/grpc.health.v1.Health/Check"),
               (":authority", "x"), ("content-type", "application/grpc"), ("te", "trailers")]
    check = (h2_frame(1, 0x4, 1, hpack_literals(request)) + h2_frame(0, 0x1, 1, b"\x00\x00\x00\x00\x00"))
    watch_reset = (h2_frame(1, 0x5, 3, hpack_literals(request)) + h2_frame(3, 0, 3, (0).to_bytes(4, "big")))
    control = (h2_frame(6, 0, 0, b"12345678") + h2_frame(8, 0, 0, (1000).to_bytes(4, "big"))
               + h2_frame(4, 0, 0, (4).to_bytes(2, "big") + (0).to_bytes(4, "big")) + h2_frame(7, 0, 0, bytes(8)))
    return {
        "http1-health": b"\x1e" + health.encode(),
        "http1-pipelined": b"\x2e" + (health * 3).encode(),
        "http1-post": b"\x1e" + post.encode(),
        "http1-chunked": b"\x3e" + chunked.encode(),
        "http1-after-work": b"\x2c" + (health + post).encode(),
        "http2-check": b"\x1f" + check,
        "http2-reset-and-control": b"\x3f" + check + watch_reset + control,
        "http2-split-reads": b"\x03" + check,
        "not-http": b"\x1e" + b"INVALID CONNECTION PREFACE\r\n\r\n",
    }


def rpc_request_seeds():
    """FuzzRPCRequest: a version byte (even HTTP/2, odd HTTP/1.1), the method and path lines,
    header lines up to an empty one, then the body."""
    def request(version, method, path, headers, body=b""):
        lines = [method, path] + [f"{n}:{v}" for n, v in headers] + [""]
        return bytes([version]) + "\n".join(lines).encode() + b"\n" + body
    grpc = [("content-type", "application/grpc"), ("te", "trailers")]
    auth = [("authorization", "Bearer x")]
    framed_empty = b"\x00\x00\x00\x00\x00"
    return {
        "grpc-check": request(0, "POST", "/grpc.health.v1.Health/Check", grpc, framed_empty),
        "grpc-check-service": request(0, "POST", "/grpc.health.v1.Health/Check", grpc, b"\x00\x00\x00\x00\x03\x0a\x01x"),
        "grpc-watch-timeout": request(0, "POST", "/grpc.health.v1.Health/Watch", grpc + [("grpc-timeout", "1m")], framed_empty),
        "grpc-getcall-no-token": request(0, "POST", "/loop.callbooking.v1.CallService/GetCall", grpc, framed_empty),
        "grpc-getcall": request(0, "POST", "/loop.callbooking.v1.CallService/GetCall", grpc + auth,
                                b"\x00\x00\x00\x00\x05\x0a\x03abc"),
        "grpc-json": request(0, "POST", "/grpc.health.v1.Health/Check",
                             [("content-type", "application/grpc+json")], b"\x00\x00\x00\x00\x02{}"),
        "grpc-over-http1": request(1, "POST", "/grpc.health.v1.Health/Check", grpc, framed_empty),
        "rest-getcall": request(1, "GET", "/api/v1/calls/abc", auth),
        "rest-hook": request(1, "POST", "/hook", [("x-signature", "00"), ("content-length", "2")], b"{}"),
        "rest-unknown": request(1, "DELETE", "/nowhere?x=1", []),
        "rpc-path-wrong-type": request(0, "POST", "/a.B/C", [("content-type", "text/plain")]),
        # Reflection: list_services, then file_containing_symbol "loop.callbooking.v1.Call", unknown "x".
        "grpc-reflection": request(0, "POST", "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", grpc,
                                   b"\x00\x00\x00\x00\x02\x3a\x00"
                                   + b"\x00\x00\x00\x00\x1a\x22\x18loop.callbooking.v1.Call"
                                   + b"\x00\x00\x00\x00\x03\x22\x01x"),
        "grpc-reflection-none": request(0, "POST", "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", grpc),
    }


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = pathlib.Path(sys.argv[1])
    binary, text = protobuf_and_json_seeds()
    targets = {
        "FuzzProtobuf": binary, "FuzzProtoJSON": text, "FuzzCalendlyWebhook": calendly_seeds(),
        "FuzzStreamWebhook": stream_seeds(), "FuzzSessionToken": token_seeds(),
        "FuzzHTTPConnection": http_connection_seeds(), "FuzzRPCRequest": rpc_request_seeds(),
    }
    for target, seeds in targets.items():
        directory = out / target
        directory.mkdir(parents=True, exist_ok=True)
        for name, data in seeds.items():
            (directory / name).write_bytes(data)
        print(f"{target}: {len(seeds)} seeds in {directory}")


if __name__ == "__main__":
    main()
