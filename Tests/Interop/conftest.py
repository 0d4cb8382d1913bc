"""Session setup for Tests/Interop: fresh stubs from proto/ and one ProtoRoundTrip process."""

import pytest

import protos
from roundtrip import RoundTrip

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
