"""gRPC-Web and Connect streaming on the one port, through clients no one here wrote: sonora
(gRPC-Web), connectrpc (Connect streaming, and its own gRPC-Web), curl for grpc-web-text; and
grpcio sending gzip-compressed messages."""

import base64
import struct
import subprocess
import uuid

import grpc
import pytest
import sonora.client
from connectrpc.code import Code
from connectrpc.errors import ConnectError
from connectrpc.protocol import ProtocolType
from grpc_health.v1 import health_pb2, health_pb2_grpc

from auth import ADMIN_TOKEN, with_token
from connect_client import CREATE_EXPERT, GET_EXPERT, client, method
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc

ADMIN = [("authorization", f"Bearer {ADMIN_TOKEN}")]
WATCH = method("grpc.health.v1.Health", "Watch", health_pb2.HealthCheckRequest, health_pb2.HealthCheckResponse,
               streaming=True)


class WebChannel:
    """sonora's channel for the stubs grpcio-tools generates, which pass `_registered_method`
    (newer than sonora); the calls themselves are sonora's."""

    def __init__(self, url):
        self.inner = sonora.client.insecure_web_channel(url)

    def __enter__(self):
        self.inner.__enter__()
        return self

    def __exit__(self, *details):
        return self.inner.__exit__(*details)

    def unary_unary(self, path, _registered_method=False, **kwargs):
        return self.inner.unary_unary(path, **kwargs)

    def unary_stream(self, path, _registered_method=False, **kwargs):
        return self.inner.unary_stream(path, **kwargs)

    def stream_unary(self, path, _registered_method=False, **kwargs):
        return self.inner.stream_unary(path, **kwargs)

    def stream_stream(self, path, _registered_method=False, **kwargs):
        return self.inner.stream_stream(path, **kwargs)


def new_expert():
    return pb.Expert(name="Dr. Web", email=f"{uuid.uuid4().hex}@experts.example", timezone="UTC")


def test_sonora_calls_unary_methods_over_grpc_web(server):
    with WebChannel(server.base_url) as channel:
        experts = rpc.ExpertServiceStub(channel)
        created = experts.CreateExpert(pb.CreateExpertRequest(expert=new_expert()), metadata=ADMIN)
        assert experts.GetExpert(pb.GetExpertRequest(id=created.id), metadata=ADMIN).email == created.email
        with pytest.raises(grpc.RpcError) as missing:
            experts.GetExpert(pb.GetExpertRequest(id=str(uuid.uuid4())), metadata=ADMIN)
        assert missing.value.code() == grpc.StatusCode.NOT_FOUND
        with pytest.raises(grpc.RpcError) as anonymous:
            experts.GetExpert(pb.GetExpertRequest(id=created.id))
        assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_sonora_reads_a_server_stream_over_grpc_web(server):
    with WebChannel(server.base_url) as channel:
        watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(), timeout=5)
        first = next(iter(watch))
        assert first.status == health_pb2.HealthCheckResponse.SERVING


def test_connectrpcs_grpc_web_client_agrees(server):
    with client(server.base_url, protocol=ProtocolType.GRPC_WEB) as web:
        created = web.execute_unary(request=pb.CreateExpertRequest(expert=new_expert()), method=CREATE_EXPERT,
                                    headers=dict(ADMIN))
        assert web.execute_unary(request=pb.GetExpertRequest(id=created.id), method=GET_EXPERT,
                                 headers=dict(ADMIN)).name == "Dr. Web"


@pytest.mark.parametrize("http2", [False, True], ids=["http1.1", "http2"])
def test_connect_server_streaming_sends_messages_then_the_end_of_stream(server, http2):
    with client(server.base_url, http2=http2, timeout_ms=3000) as connect:
        stream = connect.execute_server_stream(request=health_pb2.HealthCheckRequest(), method=WATCH)
        first = next(iter(stream))
        assert first.status == health_pb2.HealthCheckResponse.SERVING
        stream.close()
        unknown = connect.execute_server_stream(
            request=health_pb2.HealthCheckRequest(service="no.such.Service"), method=WATCH)
        assert next(iter(unknown)).status == health_pb2.HealthCheckResponse.SERVICE_UNKNOWN
        unknown.close()


def test_connect_streaming_errors_arrive_in_the_end_of_stream_message(server):
    streaming_get = method("loop.callbooking.v1.ExpertService", "GetExpert", pb.GetExpertRequest, pb.Expert,
                           streaming=True)
    with client(server.base_url) as connect:
        with pytest.raises(ConnectError) as anonymous:
            list(connect.execute_server_stream(request=pb.GetExpertRequest(id="x"), method=streaming_get))
        assert anonymous.value.code == Code.UNAUTHENTICATED


def frame(message_bytes, flag=0):
    return struct.pack(">BI", flag, len(message_bytes)) + message_bytes


def read_frames(body):
    frames = []
    while body:
        flag, length = struct.unpack(">BI", body[:5])
        frames.append((flag, body[5:5 + length]))
        body = body[5 + length:]
    return frames


@pytest.mark.parametrize("version", ["--http1.1", "--http2-prior-knowledge"])
def test_grpc_web_text_is_base64_both_ways(server, version):
    request = base64.b64encode(frame(health_pb2.HealthCheckRequest().SerializeToString()))
    result = subprocess.run(
        ["curl", "-sS", version, "--max-time", "10", "-D", "-", "-H", "content-type: application/grpc-web-text",
         "-H", "x-grpc-web: 1", "--data-binary", "@-", f"{server.base_url}/grpc.health.v1.Health/Check"],
        input=request, capture_output=True, timeout=15)
    assert result.returncode == 0, result.stderr
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    assert b"content-type: application/grpc-web-text" in head.lower()
    decoded = b"".join(base64.b64decode(chunk + b"=" * (-len(chunk) % 4))
                       for chunk in body.replace(b"=", b"=\n").split(b"\n") if chunk)
    frames = read_frames(decoded)
    assert health_pb2.HealthCheckResponse.FromString(frames[0][1]).status == health_pb2.HealthCheckResponse.SERVING
    assert frames[-1][0] == 0x80 and b"grpc-status: 0" in frames[-1][1]


def test_grpcio_sends_gzip_compressed_messages(server):
    with grpc.insecure_channel(server.address, compression=grpc.Compression.Gzip) as channel:
        experts = rpc.ExpertServiceStub(with_token(channel))
        created = experts.CreateExpert(pb.CreateExpertRequest(expert=new_expert()), timeout=5)
        assert experts.GetExpert(pb.GetExpertRequest(id=created.id), timeout=5).id == created.id
