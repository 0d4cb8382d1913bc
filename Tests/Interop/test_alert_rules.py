"""deploy/prometheus/alerts.yml: valid for Prometheus (`promtool check rules`, Debian's
prometheus package), its unit tests pass (`promtool test rules`), and it names only metrics
the server serves (the README's metrics table) besides Prometheus' own `up` and the blackbox
exporter's `probe_success`."""

import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
RULE_TESTS = ROOT / "deploy" / "prometheus" / "alerts_test.yml"
NOT_OURS = {"up", "probe_success"}
PROMQL_WORDS = {"sum", "max", "increase", "rate", "histogram_quantile", "and", "or"}


def promtool(*args):
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool is not installed (Debian: apt-get install prometheus; tools/setup does)", pytrace=False)
    return subprocess.run([path, *args], capture_output=True, text=True, timeout=60)


def test_the_rules_file_is_valid():
    result = promtool("check", "rules", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_the_alerts_fire_as_their_unit_tests_say():
    result = promtool("test", "rules", str(RULE_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr


def served_metrics():
    """Metric names in the first column of the README's metrics table."""
    readme = (ROOT / "README.md").read_text()
    table = readme.split("| Metric | Type | Labels | What |", 1)[1].split("\n\n", 1)[0]
    names = set()
    for row in table.splitlines()[2:]:
        names.update(re.findall(r"`([a-z_]+)`", row.split("|")[1]))
    return names


def test_every_metric_an_alert_uses_is_one_the_server_serves():
    served = served_metrics()
    assert {"webhook_deliveries_total", "db_pool_waiting_requests", "calls_booked_total"} <= served
    expressions = re.findall(r"^\s+expr: (.+)$", RULES.read_text(), re.MULTILINE)
    assert len(expressions) >= 10
    for expression in expressions:
        without_labels = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\b(?:by|without) *\([^)]*\)", " ", expression)
        names = set(re.findall(r"\b([a-z_]+)\b", without_labels)) - PROMQL_WORDS
        unknown = names - served - NOT_OURS
        assert not unknown, f"{expression}: {sorted(unknown)} is not in the README's metrics table"
