"""Session tokens for the interop servers: one dev key per test session, trusted by every
server the tests start (CLERK_JWT_KEY), and helpers to send a token over gRPC and HTTP."""

import pathlib
import sys

import grpc

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
from devtokens import ISSUER, DevKey  # noqa: E402

DEV_KEY = DevKey.generate()
# Calendly's API is unreachable unless a test points CALENDLY_BASE_URL at its loopback fake.
CALENDLY_WEBHOOK_SECRET = "interop-calendly-signing-key"
STREAM_API_KEY = "interop-stream-api-key"
STREAM_SECRET_KEY = "interop-stream-secret-at-least-32-bytes"
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
