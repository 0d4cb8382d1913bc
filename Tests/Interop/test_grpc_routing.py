"""Which method a gRPC call reaches, and the status grpcio reports when none does.

CallService and ExpertService RPCs are enumerated from the generated stubs' descriptor, so a
new RPC is covered without edits. An RPC whose capability a later issue brings answers
UNIMPLEMENTED naming it; every other one validates its request instead.
"""

import grpc
import pytest
from google.protobuf import message_factory

from auth import with_token
from loop.callbooking.v1 import call_booking_pb2, call_booking_pb2_grpc

CALL_TIMEOUT_SECONDS = 10
SERVICE_STUBS = {
    "CallService": call_booking_pb2_grpc.CallServiceStub,
    "ExpertService": call_booking_pb2_grpc.ExpertServiceStub,
}
RPCS = [
    (service, method.name)
    for service in SERVICE_STUBS
    for method in call_booking_pb2.DESCRIPTOR.services_by_name[service].methods
]


@pytest.fixture
def channel(server):
    with grpc.insecure_channel(server.address) as channel:
        yield channel


def call_raw(channel, path, request=b""):
    """A unary call on any path, with bytes in and out: the server decides what it means."""
    method = channel.unary_unary(path, request_serializer=None, response_deserializer=None)
    with pytest.raises(grpc.RpcError) as raised:
        answer = method(request, timeout=CALL_TIMEOUT_SECONDS)
        pytest.fail(f"{path} succeeded with {answer!r}")
    return raised.value


def test_the_stubs_list_every_rpc_of_the_contract():
    # Guards the enumeration below: an empty or partial descriptor would test nothing.
    assert len([rpc for rpc in RPCS if rpc[0] == "CallService"]) >= 9
    assert len([rpc for rpc in RPCS if rpc[0] == "ExpertService"]) >= 6


def test_unknown_method_of_a_known_service_is_unimplemented(channel):
    error = call_raw(channel, "/grpc.health.v1.Health/Nope")
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    assert error.details() == "unknown method Nope for service grpc.health.v1.Health"


def test_unknown_service_is_unimplemented(channel):
    error = call_raw(channel, "/x.Y/Z")
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    assert error.details() == "unknown service x.Y"


def test_non_ascii_method_name_comes_back_intact_in_the_message(channel):
    # grpc-message is percent-encoded on the wire; grpcio decodes it. Raw UTF-8 in the header
    # would reach the user mangled or not at all.
    error = call_raw(channel, "/grpc.health.v1.Health/Chéck")
    assert error.code() == grpc.StatusCode.UNIMPLEMENTED
    assert error.details() == "unknown method Chéck for service grpc.health.v1.Health"


def _call_with_empty_request(channel, service, rpc):
    method = call_booking_pb2.DESCRIPTOR.services_by_name[service].methods_by_name[rpc]
    request = message_factory.GetMessageClass(method.input_type)()
    stub = SERVICE_STUBS[service](with_token(channel))
    return getattr(stub, rpc)(request, timeout=CALL_TIMEOUT_SECONDS)


# Every RPC of the contract is served: none answers UNIMPLEMENTED any more.
IMPLEMENTED = list(RPCS)


@pytest.mark.parametrize(("service", "rpc"), IMPLEMENTED, ids=[f"{s}.{m}" for s, m in IMPLEMENTED])
def test_implemented_rpc_validates_an_empty_request_instead_of_unimplemented(channel, service, rpc):
    """An empty request either succeeds (lists) or is refused for what it lacks."""
    try:
        _call_with_empty_request(channel, service, rpc)
    except grpc.RpcError as error:
        assert error.code() in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND), error.details()
