"""`call-booking migrate`: what a deployment's migration job runs before a rollout. It applies
the migrations with nothing but DATABASE_URL, exits 0 (again when there is nothing to do), and
exits non-zero with a clear message when it cannot."""

import os
import subprocess

from databases import fresh_database, psql
from server import Server, binary_path, free_port

TIMEOUT = 60


def migrate(database_url, *arguments):
    # Only what a migration job gets: no provider keys, no PORT.
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": database_url}
    return subprocess.run([str(binary_path()), *arguments], env=environment, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=TIMEOUT)


def test_migrate_applies_every_migration_then_nothing_and_exits_0():
    with fresh_database("cb_migrate") as url:
        first = migrate(url, "migrate")
        assert first.returncode == 0, first.stderr
        assert "applied database migrations" in first.stderr
        versions = psql(url, "SELECT count(*), min(version), max(version) FROM calls.schema_migrations")
        count, low, high = map(int, versions.split("|"))
        assert low == 1 and count == high and count >= 17, versions

        again = migrate(url, "migrate")
        assert again.returncode == 0, again.stderr
        assert '"applied":"[]"' in again.stderr.replace(" ", ""), again.stderr
        assert psql(url, "SELECT count(*) FROM calls.schema_migrations") == str(count)

        # A server started afterwards finds the schema ready and serves.
        server = Server(database_url=url)
        try:
            server.stop()
        finally:
            server.close()


def test_migrate_without_a_reachable_database_exits_1_saying_so():
    result = migrate(f"postgresql://127.0.0.1:{free_port()}/none?connect_timeout=2", "migrate")
    assert result.returncode == 1, result.stderr
    assert "could not migrate" in result.stderr


def test_migrate_without_database_url_exits_1_naming_it():
    result = subprocess.run([str(binary_path()), "migrate"], env={"PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 1
    assert "DATABASE_URL" in result.stderr


def test_an_unknown_argument_exits_2_with_the_usage():
    for arguments in (["migrat"], ["migrate", "--dry-run"], ["--help"]):
        result = migrate("postgresql://127.0.0.1:1/none", *arguments)
        assert result.returncode == 2, (arguments, result.stderr)
        assert "call-booking migrate" in result.stderr and arguments[-1] in result.stderr
