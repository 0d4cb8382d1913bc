"""Session tokens for the interop servers: one dev key per test session, trusted by every
server the tests start (CLERK_JWT_KEY), and helpers to send a token over gRPC and HTTP."""

import base64
import hashlib
import hmac
import pathlib
import sys
import time

import grpc

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
from devtokens import ISSUER, DevKey  # noqa: E402

DEV_KEY = DevKey.generate()
# Calendly's API is unreachable unless a test points CALENDLY_BASE_URL at its loopback fake.
CALENDLY_WEBHOOK_SECRET = "interop-calendly-signing-key"
STREAM_API_KEY = "interop-stream-api-key"
STREAM_SECRET_KEY = "interop-stream-secret-at-least-32-bytes"
BOOKING_LINK_SECRET = "interop-booking-link-secret-of-32-bytes"


def booking_link(user_id, expires_at=None, secret=BOOKING_LINK_SECRET):
    """A booking link's utm_content as the README documents it, written here from that text:
    bl1.<user id>.<expiry>.<base64url HMAC-SHA256 of the rest>."""
    expiry = int(expires_at if expires_at is not None else time.time() + 3600)
    signed = f"bl1.{user_id}.{expiry}"
    mac = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest()
    return signed + "." + base64.urlsafe_b64encode(mac).decode().rstrip("=")
SERVER_ENVIRONMENT = {
    "CLERK_JWT_KEY": DEV_KEY.public_pem,
    "CLERK_ISSUER": ISSUER,
    "CALENDLY_API_KEY": "interop-calendly-api-key",
    "CALENDLY_WEBHOOK_SECRET": CALENDLY_WEBHOOK_SECRET,
    "CALENDLY_BASE_URL": "http://127.0.0.1:9",
    # Stream likewise: room setup jobs fail and retry unless a test runs its loopback fake.
    "STREAM_API_KEY": STREAM_API_KEY,
    "STREAM_SECRET_KEY": STREAM_SECRET_KEY,
    "STREAM_BASE_URL": "http://127.0.0.1:9",
    "BOOKING_LINK_SECRET": BOOKING_LINK_SECRET,
    # The Stream tests replay a call's life at its booked times (days away); the age limit has
    # its own test with the default (test_trust_boundaries.py).
    "STREAM_WEBHOOK_TOLERANCE_SECONDS": "31536000",
}

ADMIN_TOKEN = DEV_KEY.token("user_interop_admin", "admin", "admin@interop.example")


class _AddMetadata(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    def __init__(self, token):
        self.pair = ("authorization", f"Bearer {token}")

    def _with_token(self, details):
        metadata = list(details.metadata or []) + [self.pair]
        return details._replace(metadata=metadata) if hasattr(details, "_replace") else _Details(details, metadata)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._with_token(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._with_token(details), request)


class _Details(grpc.ClientCallDetails):
    def __init__(self, details, metadata):
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = details.wait_for_ready
        self.compression = getattr(details, "compression", None)


def with_token(channel, token=ADMIN_TOKEN):
    """A channel that sends `authorization: Bearer <token>` on every call."""
    return grpc.intercept_channel(channel, _AddMetadata(token))
