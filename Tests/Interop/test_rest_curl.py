"""The JSON routes through curl, over HTTP/1.1 and over HTTP/2 with prior knowledge.

curl is the client here, not Python's HTTP stack: what it prints is what a user sees. Every
test runs on both versions, and checks from curl's own report which one was used.
"""

import dataclasses
import json
import shutil
import subprocess
import tempfile
import pathlib

import pytest

from auth import ADMIN_TOKEN

# Bounds a request that never gets its answer; curl then exits with code 28.
CURL_TIMEOUT_SECONDS = 10
VERSIONS = {"http1.1": ("--http1.1", "1.1"), "http2": ("--http2-prior-knowledge", "2")}


@dataclasses.dataclass
class Reply:
    status: int
    http_version: str  # as curl's %{http_version}: "1.1" or "2"
    headers: dict  # lower-case names
    body: bytes
    verbose: str  # curl -v output (stderr)

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            raise AssertionError(f"body is not JSON: {self.body[:500]!r}") from None

    def describe(self):
        return f"HTTP/{self.http_version} {self.status} {self.headers} {self.body[:500]!r}"


def curl_binary():
    path = shutil.which("curl")
    if path is None:
        pytest.fail("curl is not installed (Debian: apt-get install curl)", pytrace=False)
    return path


def curl(version, *args):
    """Runs curl -v with the version's flag; returns the last response it received."""
    flag, _ = VERSIONS[version]
    with tempfile.TemporaryDirectory() as scratch:
        headers_file = pathlib.Path(scratch) / "headers"
        body_file = pathlib.Path(scratch) / "body"
        command = [curl_binary(), "-sS", "-v", flag, "--max-time", str(CURL_TIMEOUT_SECONDS),
                   "-D", str(headers_file), "-o", str(body_file),
                   "-w", "%{http_code} %{http_version}", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=CURL_TIMEOUT_SECONDS + 5)
        if result.returncode == 28:
            raise AssertionError(f"no complete response within {CURL_TIMEOUT_SECONDS} s:\n{result.stderr}")
        assert result.returncode == 0, f"curl failed ({result.returncode}): {result.stderr}"
        status, http_version = result.stdout.split()
        return Reply(int(status), http_version, parse_headers(headers_file.read_text()),
                     body_file.read_bytes(), result.stderr)


def parse_headers(dump):
    """The header block of the last response in a `curl -D` dump."""
    blocks = [block for block in dump.replace("\r\n", "\n").split("\n\n") if block.strip()]
    fields = {}
    for line in blocks[-1].splitlines()[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return fields


@pytest.fixture(params=sorted(VERSIONS))
def version(request):
    return request.param


@pytest.fixture
def get(server, version):
    def get(path, *args):
        reply = curl(version, "-H", f"authorization: Bearer {ADMIN_TOKEN}", *args, server.base_url + path)
        assert reply.http_version == VERSIONS[version][1], reply.describe()
        return reply
    return get


@pytest.fixture
def send(server, version):
    def send(method, path, body=None):
        args = ["-X", method, "-H", f"authorization: Bearer {ADMIN_TOKEN}"]
        if body is not None:
            args += ["-H", "content-type: application/json", "--data-binary", body]
        reply = curl(version, *args, server.base_url + path)
        assert reply.http_version == VERSIONS[version][1], reply.describe()
        return reply
    return send


def assert_error(reply, http_status, code):
    """The contract's REST error: {"code": <gRPC code>, "message": "...", "details": []}."""
    assert reply.status == http_status, reply.describe()
    assert reply.headers.get("content-type", "").startswith("application/json"), reply.describe()
    body = reply.json()
    assert set(body) == {"code", "message", "details"}, reply.describe()
    assert body["code"] == code, reply.describe()
    assert isinstance(body["message"], str) and body["message"], reply.describe()
    assert body["details"] == [], reply.describe()
    return body["message"]


def test_health_answers_ok_on_the_version_curl_asked_for(get, version):
    reply = get("/api/health")
    assert reply.status == 200, reply.describe()
    assert reply.headers.get("content-type", "").startswith("application/json"), reply.describe()
    assert reply.json()["status"] == "ok", reply.describe()
    # curl's own log of the exchange, independent of %{http_version}.
    wire = {"http2": "HTTP/2", "http1.1": "HTTP/1.1"}[version]
    assert f"> GET /api/health {wire}\n" in reply.verbose, reply.verbose
    assert f"< {wire} 200" in reply.verbose, reply.verbose


def test_get_call_of_a_malformed_id_is_400_naming_the_field(get):
    message = assert_error(get("/api/v1/calls/abc"), 400, 3)
    assert "id" in message


def test_get_call_of_an_unknown_id_is_404(get):
    assert_error(get("/api/v1/calls/6f1c2a3b-0000-4000-8000-00000000dead"), 404, 5)


def test_upcoming_is_a_route_of_its_own_not_a_call_id(get):
    reply = get("/api/v1/calls/upcoming")
    assert reply.status == 200, reply.describe()
    # A ListUpcomingCallsResponse, not a Call: "upcoming" was not taken for an id.
    assert set(json.loads(reply.body)) <= {"calls", "nextPageToken"}, reply.describe()


def test_unknown_path_is_404(get):
    assert_error(get("/api/v1/nope"), 404, 5)


def test_wrong_method_on_a_known_path_is_405_with_allow(send):
    reply = send("DELETE", "/api/v1/calls")
    assert_error(reply, 405, 12)
    allowed = {method.strip() for method in reply.headers.get("allow", "").split(",")}
    assert "POST" in allowed and "DELETE" not in allowed, reply.describe()


def test_body_that_is_not_json_is_400(send):
    assert_error(send("POST", "/api/v1/calls", "{not json"), 400, 3)


def test_unknown_field_is_400(send):
    assert_error(send("POST", "/api/v1/calls", '{"unknownField": 1}'), 400, 3)


def test_valid_body_reaches_the_handler(send):
    # Valid JSON for CreateCallRequest: CreateCall's own validation answers.
    message = assert_error(send("POST", "/api/v1/calls", '{"topic":"x"}'), 400, 3)
    assert "scheduled_start" in message


def test_rpc_path_in_an_unsupported_content_type_is_415(get):
    # No body, so the request is complete before the server answers: curl 7.88 over HTTP/2
    # sometimes drops a complete response followed by RST_STREAM(NO_ERROR) while uploading.
    reply = get("/grpc.health.v1.Health/Check", "-X", "POST", "-H", "content-type: text/plain")
    assert reply.status == 415, reply.describe()


def test_http1_keep_alive_serves_two_requests_on_one_connection(server):
    url = server.base_url + "/api/health"
    command = [curl_binary(), "-sS", "-v", "--http1.1", "--max-time", str(CURL_TIMEOUT_SECONDS),
               "-o", "/dev/null", "-o", "/dev/null", url, url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=CURL_TIMEOUT_SECONDS + 5)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("< HTTP/1.1 200") == 2, result.stderr
    assert "Re-using existing connection" in result.stderr, result.stderr
    assert "Connection #0 to host 127.0.0.1 left intact" in result.stderr, result.stderr
    assert "Connection #1" not in result.stderr, result.stderr
