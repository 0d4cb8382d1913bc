"""Connect, gRPC-Web and CORS preflights from clients without a token: refused from the head
when they cannot succeed, and bounded in what they make the server hold.

Every request here comes over HTTP/1.1 from a raw socket, as a hostile page or script would
send it (abuse.py).
"""

import struct
import time

from abuse import connect, http1_status, read_response, serving
from server import start_failure


def answer(server, request):
    sock = connect(server)
    try:
        sock.sendall(request)
        return read_response(sock)
    finally:
        sock.close()


def post(path, content_type, body=b"", declared=None, extra=""):
    length = len(body) if declared is None else declared
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n{extra}"
            f"Content-Length: {length}\r\n\r\n").encode() + body


def test_connect_bodies_over_an_open_methods_limit_are_refused_from_the_head():
    """Health is open to anyone, with a small request limit: a declared 100 MB is refused at
    once, the body never read."""
    with serving() as server:
        started = time.monotonic()
        response = answer(server, post("/grpc.health.v1.Health/Check", "application/proto", declared=100_000_000))
        assert http1_status(response) == 429, response
        assert b'"code":"resource_exhausted"' in response
        assert time.monotonic() - started < 1


def test_connect_calls_needing_a_token_are_refused_before_their_body():
    with serving() as server:
        response = answer(server, post("/loop.callbooking.v1.ExpertService/ListExperts", "application/json",
                                       declared=100_000_000))
        assert http1_status(response) == 401, response
        assert b'"code":"unauthenticated"' in response


def test_a_grpc_web_frame_declaring_more_than_the_limit_is_refused_from_its_prefix():
    with serving() as server:
        frame = struct.pack(">BI", 0, 50_000_000)
        response = answer(server, post("/grpc.health.v1.Health/Check", "application/grpc-web+proto", frame,
                                       declared=len(frame) + 50_000_000))
        assert http1_status(response) == 200, response
        assert b"grpc-status: 8" in response.lower(), response


def test_grpc_web_text_that_is_not_base64_is_internal():
    with serving() as server:
        response = answer(server, post("/grpc.health.v1.Health/Check", "application/grpc-web-text", b"%%%%not base64"))
        assert b"grpc-status: 13" in response.lower(), response


def test_a_connect_get_with_a_bad_message_is_a_clear_400():
    """GetExpert takes GET; the query is read before the token is verified (only its presence
    is checked at the head), so a made-up token reaches the query's checks."""
    cases = {
        "encoding=proto&base64=1&message=%%%": 400,  # not percent-encoding
        "encoding=proto&message=raw": 400,  # a binary message needs base64
        "encoding=json&message=%7Bnot%20json": 400,
        "message=%7B%7D": 415,  # no encoding
    }
    with serving() as server:
        for query, status in cases.items():
            response = answer(server, (f"GET /loop.callbooking.v1.ExpertService/GetExpert?{query} HTTP/1.1\r\n"
                                       "Host: x\r\nAuthorization: Bearer made-up\r\n\r\n").encode())
            assert http1_status(response) == status, (query, response)
            assert b'"code":"invalid_argument"' in response, (query, response)


def test_a_connect_stream_with_two_request_messages_is_refused():
    with serving() as server:
        message = b"{}"
        envelopes = (struct.pack(">BI", 0, len(message)) + message) * 2
        response = answer(server, post("/grpc.health.v1.Health/Watch", "application/connect+json", envelopes))
        assert http1_status(response) == 200, response
        assert b'"code":"unimplemented"' in response, response


def test_preflights_from_unlisted_origins_get_no_cors_headers():
    with serving(CORS_ALLOWED_ORIGINS="https://app.example.com") as server:
        for origin in ["https://evil.example", "null", "https://app.example.com.evil.example"]:
            response = answer(server, (f"OPTIONS /api/v1/experts HTTP/1.1\r\nHost: x\r\nOrigin: {origin}\r\n"
                                       "Access-Control-Request-Method: GET\r\n\r\n").encode())
            assert b"access-control-allow-origin" not in response.lower(), (origin, response)
        allowed = answer(server, (b"OPTIONS /api/v1/experts HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example.com\r\n"
                                  b"Access-Control-Request-Method: GET\r\n\r\n"))
        assert http1_status(allowed) == 204, allowed
        assert b"access-control-allow-origin: https://app.example.com" in allowed.lower()


def test_a_wildcard_or_malformed_cors_setting_stops_the_server_at_start():
    for value in ["*", "https://app.example.com/", "app.example.com", "https://app.example.com,*"]:
        code, stderr = start_failure({"CORS_ALLOWED_ORIGINS": value})
        assert code != 0
        assert "CORS_ALLOWED_ORIGINS" in stderr, stderr[-2000:]
