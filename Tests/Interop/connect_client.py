"""Connect and gRPC-Web clients no one here wrote (connectrpc from PyPI), pointed at our
server with the messages grpcio-tools generated from proto/."""

import pyqwest
from connectrpc.client import ConnectClientSync
from connectrpc.compat import google_protobuf_binary_codec, google_protobuf_json_codec
from connectrpc.method import IdempotencyLevel, MethodInfo, StreamType
from connectrpc.protocol import ProtocolType

from loop.callbooking.v1 import call_booking_pb2 as pb

CALL_SERVICE = "loop.callbooking.v1.CallService"
EXPERT_SERVICE = "loop.callbooking.v1.ExpertService"


def method(service, name, request, response, read_only=False, streaming=False):
    return MethodInfo(
        name=name, service_name=service, input=request, output=response,
        idempotency_level=IdempotencyLevel.NO_SIDE_EFFECTS if read_only else IdempotencyLevel.UNKNOWN,
        stream_type=StreamType.SERVER_STREAM if streaming else StreamType.UNARY,
    )


GET_EXPERT = method(EXPERT_SERVICE, "GetExpert", pb.GetExpertRequest, pb.Expert, read_only=True)
LIST_EXPERTS = method(EXPERT_SERVICE, "ListExperts", pb.ListExpertsRequest, pb.ListExpertsResponse, read_only=True)
CREATE_EXPERT = method(EXPERT_SERVICE, "CreateExpert", pb.CreateExpertRequest, pb.Expert)


def client(base_url, *, json=False, http2=False, protocol=ProtocolType.CONNECT, gzip=True, timeout_ms=None):
    """A synchronous Connect client; HTTP/2 is prior knowledge (h2c) over plain TCP."""
    transport = pyqwest.SyncHTTPTransport(http_version=pyqwest.HTTPVersion.HTTP2 if http2 else pyqwest.HTTPVersion.HTTP1)
    codec = google_protobuf_json_codec() if json else google_protobuf_binary_codec()
    kwargs = {} if gzip else {"send_compression": None}
    return ConnectClientSync(
        base_url, codec=codec, protocol=protocol, http_client=pyqwest.SyncClient(transport),
        timeout_ms=timeout_ms, **kwargs,
    )
