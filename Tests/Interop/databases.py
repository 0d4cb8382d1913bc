"""PostgreSQL for tests that need a database of their own (their server's jobs and rows
theirs alone), through psql, as tools/test creates the interop database."""

import contextlib
import os
import subprocess
import time
import uuid

import pytest


def psql(url, *statements):
    """Runs each SQL statement with psql; returns the output rows as text (unaligned, no headers).
    The statements go through stdin, since a list of the ids a load test made can outgrow the
    128 KiB that one command-line argument may have."""
    command = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", url]
    script = "".join(f"{statement};\n" for statement in statements)
    return subprocess.run(command, input=script, check=True, capture_output=True, text=True).stdout.strip()


@contextlib.contextmanager
def fresh_database(prefix):
    """A new empty database next to INTEROP_DATABASE_URL's, dropped (WITH FORCE) afterwards."""
    admin = os.environ.get("INTEROP_DATABASE_URL")
    if not admin:
        pytest.fail("INTEROP_DATABASE_URL is not set (tools/test sets it)", pytrace=False)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    psql(admin, f"CREATE DATABASE {name}")
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def wait_for(condition, within, what):
    """`condition()`'s first truthy value, polled for `within` seconds; a test failure after."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen within {within} s")
