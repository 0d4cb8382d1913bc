"""Server reflection as clients no one here wrote see it: grpcio-reflection's
ProtoReflectionDescriptorDatabase (it speaks grpc.reflection.v1alpha) and a v1 client from the
reflection .proto under proto/ (compiled by grpcio-tools at test time, protos.py), with no
.proto of ours on the client's side and no credentials.
"""

import queue

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

import protos

SERVICES = {
    "loop.callbooking.v1.CallService",
    "loop.callbooking.v1.ExpertService",
    "loop.callbooking.v1.OperationsService",
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
}
V1_METHOD = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"
CALL_TIMEOUT_SECONDS = 10
# The server's bounds (ReflectionService.swift).
MAX_REQUESTS_PER_STREAM = 100
STREAMS_PER_CONNECTION = 4
MAX_REQUEST_BYTES = 4096


def request_class():
    return protos.message_class("grpc.reflection.v1.ServerReflectionRequest")


def response_class():
    return protos.message_class("grpc.reflection.v1.ServerReflectionResponse")


class V1Stream:
    """One grpc.reflection.v1 stream driven a request at a time: each answer is awaited before
    the next request is sent, as grpcurl does, so a server that answered only at the end of
    the request stream would time out here."""

    def __init__(self, channel, timeout=CALL_TIMEOUT_SECONDS):
        self.requests = queue.Queue()
        call = channel.stream_stream(
            V1_METHOD, request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=response_class().FromString)
        self.responses = call(iter(self.requests.get, None), timeout=timeout)

    def send(self, **question):
        self.requests.put(request_class()(**question))

    def ask(self, **question):
        self.send(**question)
        return next(self.responses)

    def close(self):
        self.requests.put(None)


@pytest.fixture
def channel(server):
    with grpc.insecure_channel(server.address) as channel:
        yield channel


def pool_of(file_descriptor_protos):
    """A DescriptorPool of the files of one answer, each added after its imports."""
    files = [descriptor_pb2.FileDescriptorProto.FromString(data) for data in file_descriptor_protos]
    pool = descriptor_pool.DescriptorPool()
    added = set()
    while files:
        ready = [f for f in files if all(d in added for d in f.dependency)]
        assert ready, f"imports missing from the answer: {[(f.name, list(f.dependency)) for f in files]}"
        for f in ready:
            pool.Add(f)
            added.add(f.name)
        files = [f for f in files if f.name not in added]
    return pool


# --- grpcio-reflection (v1alpha) ---------------------------------------------------------------


def test_grpcio_reflection_lists_every_service(channel):
    database = ProtoReflectionDescriptorDatabase(channel)
    assert set(database.get_services()) == SERVICES


def test_grpcio_reflection_describes_call_service_its_methods_and_messages(channel):
    pool = descriptor_pool.DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
    service = pool.FindServiceByName("loop.callbooking.v1.CallService")
    get_call = service.methods_by_name["GetCall"]
    assert get_call.input_type.full_name == "loop.callbooking.v1.GetCallRequest"
    assert get_call.output_type.full_name == "loop.callbooking.v1.Call"
    assert {"CreateCall", "CancelCall", "ListUpcomingCalls"} <= set(service.methods_by_name)
    call = pool.FindMessageTypeByName("loop.callbooking.v1.Call")
    assert call.fields_by_name["scheduled_start"].message_type.full_name == "google.protobuf.Timestamp"
    assert call.fields_by_name["state"].enum_type.full_name == "loop.callbooking.v1.CallState"
    # The REST mapping travels too: google.api.http on the method's options.
    assert b"/api/v1/calls/{id}" in get_call.GetOptions().SerializeToString()


def test_grpcio_reflection_resolves_every_listed_service(channel):
    pool = descriptor_pool.DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
    for name in SERVICES:
        assert pool.FindServiceByName(name).methods, name


# --- a v1 client --------------------------------------------------------------------------------


def test_v1_lists_services_and_echoes_the_request(channel):
    stream = V1Stream(channel)
    answer = stream.ask(host="example", list_services="")
    stream.close()
    assert answer.valid_host == "example"
    assert answer.original_request.HasField("list_services")
    assert {service.name for service in answer.list_services_response.service} == SERVICES


def test_v1_answers_each_request_before_the_next_is_sent(channel):
    stream = V1Stream(channel)
    first = stream.ask(file_containing_symbol="loop.callbooking.v1.CallService")
    names = [descriptor_pb2.FileDescriptorProto.FromString(d).name for d in first.file_descriptor_response.file_descriptor_proto]
    assert names[0] == "loop/callbooking/v1/call_booking.proto"
    assert {"google/protobuf/timestamp.proto", "google/api/annotations.proto"} <= set(names)
    pool = pool_of(first.file_descriptor_response.file_descriptor_proto)
    expert = pool.FindMessageTypeByName("loop.callbooking.v1.Expert")
    assert expert.fields_by_name["specialties"].is_repeated
    method = pool.FindMethodByName("loop.callbooking.v1.ExpertService.HoldSlot")
    assert method.input_type.full_name == "loop.callbooking.v1.HoldSlotRequest"
    # The same file again: its imports were sent on this stream already.
    again = stream.ask(file_containing_symbol="loop.callbooking.v1.Call.scheduled_start")
    assert len(again.file_descriptor_response.file_descriptor_proto) == 1
    by_name = stream.ask(file_by_filename="google/protobuf/timestamp.proto")
    assert descriptor_pb2.FileDescriptorProto.FromString(
        by_name.file_descriptor_response.file_descriptor_proto[0]).package == "google.protobuf"
    stream.close()
    assert list(stream.responses) == []


def test_v1_unknown_names_are_not_found_and_the_stream_goes_on(channel):
    stream = V1Stream(channel)
    for question in [
        {"file_containing_symbol": "loop.callbooking.v1.NoSuchThing"},
        {"file_by_filename": "no/such.proto"},
        {"all_extension_numbers_of_type": "loop.callbooking.v1.NoSuchThing"},
        {"file_containing_extension": protos.message_class("grpc.reflection.v1.ExtensionRequest")(
            containing_type="loop.callbooking.v1.Call", extension_number=99)},
    ]:
        answer = stream.ask(**question)
        assert answer.WhichOneof("message_response") == "error_response", question
        assert answer.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0], question
    listed = stream.ask(list_services="")
    assert len(listed.list_services_response.service) == len(SERVICES)
    stream.close()


def test_v1_extensions_of_method_options_include_google_api_http(channel):
    stream = V1Stream(channel)
    numbers = stream.ask(all_extension_numbers_of_type="google.protobuf.MethodOptions")
    assert list(numbers.all_extension_numbers_response.extension_number) == [72295728]
    extension = protos.message_class("grpc.reflection.v1.ExtensionRequest")(
        containing_type="google.protobuf.MethodOptions", extension_number=72295728)
    found = stream.ask(file_containing_extension=extension)
    first = descriptor_pb2.FileDescriptorProto.FromString(found.file_descriptor_response.file_descriptor_proto[0])
    assert first.name == "google/api/annotations.proto"
    stream.close()


# --- bounds ------------------------------------------------------------------------------------


def test_a_request_over_the_size_limit_ends_the_stream_resource_exhausted(channel):
    stream = V1Stream(channel)
    with pytest.raises(grpc.RpcError) as raised:
        stream.ask(file_by_filename="x" * (MAX_REQUEST_BYTES + 1))
    assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, raised.value.details()


def test_requests_past_the_per_stream_cap_are_resource_exhausted(channel):
    stream = V1Stream(channel, timeout=60)
    for _ in range(MAX_REQUESTS_PER_STREAM):
        assert stream.ask(file_by_filename="grpc/health/v1/health.proto").HasField("file_descriptor_response")
    with pytest.raises(grpc.RpcError) as raised:
        stream.ask(file_by_filename="grpc/health/v1/health.proto")
    assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, raised.value.details()


def test_a_burst_of_requests_nobody_reads_is_bounded(channel):
    """A client that sends without reading answers: the stream holds at most the cap."""
    stream = V1Stream(channel, timeout=60)
    for _ in range(MAX_REQUESTS_PER_STREAM * 3):
        stream.send(list_services="")
    answered = 0
    with pytest.raises(grpc.RpcError) as raised:
        for _ in stream.responses:
            answered += 1
    assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, raised.value.details()
    assert answered <= MAX_REQUESTS_PER_STREAM


def test_open_streams_per_connection_are_capped(channel):
    streams = [V1Stream(channel) for _ in range(STREAMS_PER_CONNECTION)]
    try:
        for stream in streams:
            assert stream.ask(list_services="").HasField("list_services_response")
        extra = V1Stream(channel)
        with pytest.raises(grpc.RpcError) as raised:
            extra.ask(list_services="")
        assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, raised.value.details()
        extra.close()
    finally:
        for stream in streams:
            stream.close()
    # Closed streams free their places.
    again = V1Stream(channel)
    assert again.ask(list_services="").HasField("list_services_response")
    again.close()


def test_reflection_over_rest_is_not_served(server):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        f"http://{server.address}{V1_METHOD}", data=b"{}", headers={"content-type": "application/json"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=CALL_TIMEOUT_SECONDS)
    assert raised.value.code in (404, 415)
