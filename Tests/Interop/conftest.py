"""Session setup for Tests/Interop: fresh stubs from proto/, one ProtoRoundTrip process, and
call-booking servers on loopback (server.py)."""

import pytest

import protos
from roundtrip import RoundTrip
from server import Server, serving

# At import, before test modules are collected: they import the stubs and enumerate messages.
protos.generate()


@pytest.fixture(scope="session")
def roundtrip():
    """The Swift codec under test; missing is a failure, never a skip."""
    path = protos.roundtrip_path()
    if not path.is_file():
        pytest.fail(
            f"ProtoRoundTrip not found at {path}. Build it with "
            "`swift build --product ProtoRoundTrip`, or set PROTO_ROUNDTRIP to its path.",
            pytrace=False,
        )
    process = RoundTrip(path)
    yield process
    process.close()


@pytest.fixture(scope="session")
def server():
    """One call-booking process for the session; at the end SIGTERM must make it exit 0."""
    yield from serving()


@pytest.fixture(scope="module")
def replica():
    """A second call-booking process on the same database as `server`: another replica."""
    yield from serving()


@pytest.fixture
def fresh_server():
    """A call-booking process of the test's own, for tests that shut it down (grace 2 s)."""
    process = Server(grace_seconds=2)
    try:
        yield process
    finally:
        process.close()
