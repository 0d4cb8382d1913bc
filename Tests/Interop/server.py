"""Starts and stops the call-booking binary for the tests that talk to it over a socket.

The binary is $CALL_BOOKING_BIN, else <repo>/.build/debug/call-booking. It reads PORT, HOST,
SHUTDOWN_GRACE_SECONDS and LOG_LEVEL, logs to stderr, and is ready once `GET /api/health`
answers (over TLS, trusting `ca_file`, when the server is given TLS_CERT_FILE and TLS_KEY_FILE). A server that is missing, never gets ready or does not exit 0 on SIGTERM is a test
failure carrying its stderr, never a skip.
"""

import http.client
import os
import pathlib
import signal
import socket
import ssl
import subprocess
import tempfile
import time

import pytest

from auth import SERVER_ENVIRONMENT

import protos

HOST = "127.0.0.1"
READY_WITHIN_SECONDS = 30
DEFAULT_GRACE_SECONDS = 5
# SIGTERM must end the process within the grace period plus this much.
EXIT_MARGIN_SECONDS = 5


def binary_path():
    if "CALL_BOOKING_BIN" in os.environ:
        return pathlib.Path(os.environ["CALL_BOOKING_BIN"]).resolve()
    return protos.REPO_ROOT / ".build" / "debug" / "call-booking"


def free_port():
    """A port nothing listens on right now (the kernel's choice for port 0 on loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """One call-booking process on a free loopback port."""

    def __init__(self, grace_seconds=DEFAULT_GRACE_SECONDS, log_level="info", database_url=None, extra_environment=None,
                 ca_file=None):
        self.path = binary_path()
        self.ca_file = ca_file
        if not self.path.is_file():
            pytest.fail(
                f"call-booking not found at {self.path}. Build it with "
                "`swift build --product call-booking`, or set CALL_BOOKING_BIN to its path.",
                pytrace=False,
            )
        database_url = database_url or os.environ.get("INTEROP_DATABASE_URL")
        if not database_url:
            pytest.fail(
                "INTEROP_DATABASE_URL is not set: tools/test creates a fresh database for the "
                "interop server and sets it (or point it at an empty PostgreSQL database).",
                pytrace=False,
            )
        self.port = free_port()
        self.grace_seconds = grace_seconds
        self.stderr = tempfile.TemporaryFile()
        environment = dict(os.environ)
        environment.update(
            PORT=str(self.port),
            HOST=HOST,
            SHUTDOWN_GRACE_SECONDS=str(grace_seconds),
            LOG_LEVEL=log_level,
            DATABASE_URL=database_url,
            **SERVER_ENVIRONMENT,
        )
        # Per-test settings on top: a loopback provider fake's base URL, optional settings.
        environment.update(extra_environment or {})
        self.process = subprocess.Popen(
            [str(self.path)], env=environment, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self.stderr,
        )
        self._wait_until_ready()

    @property
    def address(self):
        """host:port, as grpcio's insecure_channel wants it."""
        return f"{HOST}:{self.port}"

    @property
    def base_url(self):
        return f"{'https' if self.ca_file else 'http'}://{HOST}:{self.port}"

    def http_connection(self, timeout=2, source_address=None):
        """An http.client connection to the server, HTTPS trusting `ca_file` when it has one."""
        if self.ca_file:
            context = ssl.create_default_context(cafile=self.ca_file)
            return http.client.HTTPSConnection(HOST, self.port, timeout=timeout, source_address=source_address,
                                               context=context)
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout, source_address=source_address)

    def stderr_tail(self, limit=4000):
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read()[-limit:].decode(errors="replace")

    def _wait_until_ready(self):
        deadline = time.monotonic() + READY_WITHIN_SECONDS
        last_error = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"call-booking exited with code {self.process.returncode} before it was ready; "
                    f"stderr:\n{self.stderr_tail()}",
                    pytrace=False,
                )
            connection = self.http_connection()
            try:
                connection.request("GET", "/api/health")
                connection.getresponse().read()
                return
            except (OSError, http.client.HTTPException) as error:
                last_error = error
            finally:
                connection.close()
            time.sleep(0.05)
        self.process.kill()
        self.process.wait()
        pytest.fail(
            f"call-booking did not answer GET /api/health within {READY_WITHIN_SECONDS} s "
            f"(last error: {last_error!r}); stderr:\n{self.stderr_tail()}",
            pytrace=False,
        )

    def send_sigterm(self):
        self.process.send_signal(signal.SIGTERM)

    def wait_for_exit(self):
        """The exit code, once the process ended; a failure if it takes longer than allowed."""
        allowed = self.grace_seconds + EXIT_MARGIN_SECONDS
        try:
            return self.process.wait(timeout=allowed)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(
                f"call-booking still ran {allowed} s after SIGTERM "
                f"(SHUTDOWN_GRACE_SECONDS={self.grace_seconds}); killed it. stderr:\n{self.stderr_tail()}",
                pytrace=False,
            )

    def stop(self):
        """SIGTERM, then the process must exit 0 in time."""
        if self.process.poll() is None:
            self.send_sigterm()
        code = self.wait_for_exit()
        if code != 0:
            pytest.fail(
                f"call-booking exited with code {code} after SIGTERM; stderr:\n{self.stderr_tail()}",
                pytrace=False,
            )

    def close(self):
        """Last resort for a test that failed before stopping the server itself."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stderr.close()


def start_failure(extra_environment):
    """(exit code, stderr) of a server that must refuse these settings at start, before it
    touches the database (its URL points nowhere)."""
    environment = dict(os.environ)
    environment.update(PORT=str(free_port()), HOST=HOST, DATABASE_URL="postgres://127.0.0.1:1/none",
                       **SERVER_ENVIRONMENT)
    environment.update(extra_environment)
    result = subprocess.run([str(binary_path())], env=environment, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=30)
    return result.returncode, result.stderr


def serving(**options):
    """A fixture's body: a Server for as long as the fixture lasts, which SIGTERM must then
    make exit 0."""
    process = Server(**options)
    try:
        yield process
        process.stop()
    finally:
        process.close()
