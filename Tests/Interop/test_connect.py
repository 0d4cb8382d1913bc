"""The Connect protocol (connectrpc.com/docs/protocol) on the one port: connectrpc's Python
client over HTTP/1.1 and HTTP/2, binary and JSON, POST and GET; curl for the raw answers."""

import gzip
import json
import subprocess
import urllib.parse
import uuid

import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError
from google.protobuf import descriptor_pb2

import protos
from auth import ADMIN_TOKEN
from connect_client import CREATE_EXPERT, GET_EXPERT, LIST_EXPERTS, client
from loop.callbooking.v1 import call_booking_pb2 as pb

ADMIN = {"authorization": f"Bearer {ADMIN_TOKEN}"}
TRANSPORTS = [
    pytest.param(False, False, id="proto-http1.1"),
    pytest.param(True, False, id="json-http1.1"),
    pytest.param(False, True, id="proto-http2"),
    pytest.param(True, True, id="json-http2"),
]


def new_expert():
    return pb.Expert(name="Dr. Connect", email=f"{uuid.uuid4().hex}@experts.example", specialties=["sleep"],
                     timezone="Europe/Berlin")


def curl(*args):
    """(status, headers, body) of one curl exchange."""
    result = subprocess.run(
        ["curl", "-sS", "--max-time", "10", "-D", "-", "-o", "/dev/stdout", *args],
        capture_output=True, timeout=15,
    )
    assert result.returncode == 0, result.stderr.decode()
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    while head.startswith(b"HTTP/1.1 100"):
        head, _, body = body.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


@pytest.mark.parametrize("use_json,http2", TRANSPORTS)
def test_connect_calls_reach_the_same_handlers_as_grpc(server, use_json, http2):
    with client(server.base_url, json=use_json, http2=http2) as connect:
        created = connect.execute_unary(
            request=pb.CreateExpertRequest(expert=new_expert()), method=CREATE_EXPERT, headers=ADMIN)
        assert created.id and created.name == "Dr. Connect"
        # GET for a method marked NO_SIDE_EFFECTS, the message in the query.
        read = connect.execute_unary(
            request=pb.GetExpertRequest(id=created.id), method=GET_EXPERT, headers=ADMIN, use_get=True)
        assert read.email == created.email
        listed = connect.execute_unary(request=pb.ListExpertsRequest(), method=LIST_EXPERTS, headers=ADMIN)
        assert created.id in [expert.id for expert in listed.experts]


def test_errors_arrive_as_connect_codes(server):
    with client(server.base_url) as connect:
        with pytest.raises(ConnectError) as missing:
            connect.execute_unary(request=pb.GetExpertRequest(id=str(uuid.uuid4())), method=GET_EXPERT, headers=ADMIN)
        assert missing.value.code == Code.NOT_FOUND
        with pytest.raises(ConnectError) as anonymous:
            connect.execute_unary(request=pb.ListExpertsRequest(), method=LIST_EXPERTS)
        assert anonymous.value.code == Code.UNAUTHENTICATED
        with pytest.raises(ConnectError) as invalid:
            connect.execute_unary(
                request=pb.CreateExpertRequest(expert=pb.Expert(name="No zone")), method=CREATE_EXPERT, headers=ADMIN)
        assert invalid.value.code == Code.INVALID_ARGUMENT


@pytest.mark.parametrize("version", ["--http1.1", "--http2-prior-knowledge"])
def test_curl_gets_connect_json_with_the_protocols_status_table(server, version):
    url = f"{server.base_url}/grpc.health.v1.Health/Check"
    status, headers, body = curl(version, "-H", "content-type: application/json", "-H",
                                 "connect-protocol-version: 1", "--data", "{}", url)
    assert status == 200 and headers["content-type"] == "application/json"
    assert json.loads(body) == {"status": "SERVING"}

    missing = f"{server.base_url}/loop.callbooking.v1.ExpertService/GetExpert"
    status, headers, body = curl(version, "-H", "content-type: application/json", "-H",
                                 f"authorization: Bearer {ADMIN_TOKEN}", "--data",
                                 json.dumps({"id": str(uuid.uuid4())}), missing)
    assert status == 404 and headers["content-type"] == "application/json"
    assert json.loads(body)["code"] == "not_found"


def test_a_get_of_a_method_with_side_effects_is_405(server):
    query = urllib.parse.urlencode({"encoding": "json", "message": "{}", "connect": "v1"})
    status, headers, body = curl("-H", f"authorization: Bearer {ADMIN_TOKEN}",
                                 f"{server.base_url}/loop.callbooking.v1.ExpertService/CreateExpert?{query}")
    assert status == 405 and headers["allow"] == "POST"
    assert json.loads(body)["code"] == "unimplemented"


def test_every_no_side_effects_method_of_the_proto_takes_a_get_and_no_other_does(server):
    files = descriptor_pb2.FileDescriptorSet.FromString(protos.DESCRIPTOR_SET.read_bytes())
    ours = [f for f in files.file if f.package == "loop.callbooking.v1"]
    checked = 0
    for file in ours:
        for service in file.service:
            for rpc in service.method:
                if rpc.server_streaming or rpc.client_streaming:
                    continue
                query = urllib.parse.urlencode({"encoding": "json", "message": "{}"})
                status, _, body = curl("-H", f"authorization: Bearer {ADMIN_TOKEN}",
                                       f"{server.base_url}/{file.package}.{service.name}/{rpc.name}?{query}")
                no_side_effects = rpc.options.idempotency_level == descriptor_pb2.MethodOptions.NO_SIDE_EFFECTS
                assert (status != 405) == no_side_effects, f"{service.name}/{rpc.name}: {status} {body[:200]!r}"
                checked += 1
    assert checked >= 10


def test_a_connect_timeout_that_is_not_a_number_is_invalid_argument(server):
    status, _, body = curl("-H", "content-type: application/json", "-H", "connect-timeout-ms: soon",
                           "--data", "{}", f"{server.base_url}/grpc.health.v1.Health/Check")
    assert status == 400 and json.loads(body)["code"] == "invalid_argument"


def test_hostile_gzip_bodies_are_bounded_and_malformed_ones_refused(server, tmp_path):
    """Health is open to anyone: its small request limit holds after inflation too."""
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (16 << 20)))
    url = f"{server.base_url}/grpc.health.v1.Health/Check"
    status, _, body = curl("-H", "content-type: application/proto", "-H", "content-encoding: gzip",
                           "--data-binary", f"@{bomb}", url)
    assert status == 429 and json.loads(body)["code"] == "resource_exhausted"
    status, _, body = curl("-H", "content-type: application/json", "-H", "content-encoding: gzip",
                           "--data", "not gzip", url)
    assert status == 400 and json.loads(body)["code"] == "invalid_argument"
    status, _, body = curl("-H", "content-type: application/json", "-H", "content-encoding: zstd-ish",
                           "--data", "{}", url)
    assert status == 501 and json.loads(body)["code"] == "unimplemented"
