"""GET /openapi.json: the checked-in document, valid OpenAPI 3.1 by openapi-spec-validator, and
the live server held to it by schemathesis (PyPI), as an admin and as a customer.

schemathesis sends what the document allows and what it does not (its negative mode), and
fails on any 5xx, on a status the document does not list, and on an answer that does not
match the operation's schema. It gets a server and a database of its own, so the rows it
creates touch no other test; server-sent-event streams are left out (they stay open).
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from openapi_spec_validator import validate

import protos
from auth import ADMIN_TOKEN, DEV_KEY
from calendly_api_fake import CalendlyAPIFake
from databases import fresh_database
from server import Server

DOCUMENT = protos.REPO_ROOT / "openapi" / "openapi.json"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Per operation and phase; both runs together take about a minute on two cores.
MAX_EXAMPLES = {"admin": 15, "customer": 5}
RUN_SECONDS = 120


def get(server, path, headers=None, body=None, method="GET"):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("content-type"), response.read()
    finally:
        connection.close()


def test_the_document_is_served_without_a_token_as_checked_in(server):
    status, content_type, body = get(server, "/openapi.json")
    assert status == 200, body[:300]
    assert content_type == "application/json"
    assert body == DOCUMENT.read_bytes(), "the served document is not openapi/openapi.json: run tools/gen-openapi"


def test_the_document_is_valid_openapi_3_1():
    document = json.loads(DOCUMENT.read_text())
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_document_checked_in_is_what_the_generator_makes_of_proto():
    result = subprocess.run([sys.executable, str(protos.REPO_ROOT / "tools" / "gen-openapi"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_every_http_rule_of_the_proto_is_an_operation_of_its_method():
    from google.api import annotations_pb2
    from loop.callbooking.v1 import call_booking_pb2

    document = json.loads(DOCUMENT.read_text())
    documented = {(verb.upper(), path, operation["operationId"])
                  for path, item in document["paths"].items() for verb, operation in item.items()}
    expected = set()
    for service in call_booking_pb2.DESCRIPTOR.services_by_name.values():
        for method in service.methods:
            rule = method.GetOptions().Extensions[annotations_pb2.http]
            verb = rule.WhichOneof("pattern")
            if verb is not None:
                # The document names a nested variable by its last field: {expert.id} is {id}.
                path = re.sub(r"\{[^}]*\.([^}.]+)\}", r"{\1}", getattr(rule, verb))
                expected.add((verb.upper(), path, f"{service.name}_{method.name}"))
    assert expected and expected <= documented, expected - documented


def test_the_document_route_takes_no_body(server):
    status, _, body = get(server, "/openapi.json", headers={"content-length": "5"}, body=b"hello")
    assert status == 413, body[:300]
    assert json.loads(body)["code"] == 8  # RESOURCE_EXHAUSTED
    status, _, _ = get(server, "/openapi.json", method="POST", body=b"{}")
    assert status == 405
    # Still served after the refusals.
    assert get(server, "/openapi.json")[0] == 200


def streaming_operation_ids():
    document = json.loads(DOCUMENT.read_text())
    return [operation["operationId"] for item in document["paths"].values() for operation in item.values()
            if "text/event-stream" in operation["responses"].get("200", {}).get("content", {})]


def schemathesis_binary():
    path = shutil.which("schemathesis") or shutil.which("st")
    if path is None:
        pytest.fail("schemathesis is not installed: pip install -r Tests/Interop/requirements.txt", pytrace=False)
    return path


@pytest.fixture(scope="module")
def fuzzed_server():
    """A server of its own, on a database of its own; Calendly is the loopback fake, so that
    booking links for the account's page answer rather than 503."""
    calendly = CalendlyAPIFake()
    try:
        with fresh_database("openapi") as url:
            process = Server(database_url=url, log_level="warning",
                             extra_environment={"CALENDLY_BASE_URL": calendly.base_url})
            try:
                yield process
                process.stop()
            finally:
                process.close()
    finally:
        calendly.close()


@pytest.mark.parametrize("role", ["admin", "customer"])
def test_schemathesis_finds_no_server_error_and_every_answer_matches_the_document(fuzzed_server, role, tmp_path):
    token = ADMIN_TOKEN if role == "admin" else DEV_KEY.token("user_openapi_customer", "customer",
                                                               "customer@openapi.example")
    command = [
        schemathesis_binary(), "run", f"{fuzzed_server.base_url}/openapi.json",
        "--url", fuzzed_server.base_url,
        "--checks", CHECKS,
        "--max-examples", str(MAX_EXAMPLES[role]),
        "--phases", "examples,coverage,fuzzing",
        "--seed", "15",
        "--workers", "2",
        "--request-timeout", "10",
        "--suppress-health-check", "all",
        "--header", f"Authorization: Bearer {token}",
    ]
    for operation_id in streaming_operation_ids():
        command += ["--exclude-operation-id", operation_id]
    environment = dict(os.environ, NO_COLOR="1")
    # In a scratch directory: Hypothesis keeps its example database under the working directory.
    result = subprocess.run(command, capture_output=True, text=True, timeout=RUN_SECONDS, env=environment,
                            cwd=tmp_path)
    assert result.returncode == 0, (
        f"schemathesis ({role}) found problems:\n{result.stdout[-12000:]}\n{result.stderr[-2000:]}\n"
        f"server stderr:\n{fuzzed_server.stderr_tail()}")
    assert fuzzed_server.process.poll() is None, "the server died under schemathesis"
