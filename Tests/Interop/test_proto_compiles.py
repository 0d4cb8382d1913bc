"""proto/ compiles with Debian's protoc and with grpcio-tools, and says what CONTRACT.md says."""

import subprocess

import pytest
from google.api import annotations_pb2  # registers google.api.http, so options parse it
from google.protobuf import descriptor_pb2

import protos

# From CONTRACT.md: (service, RPC, request, response, HTTP verb, path). POST/PUT take body "*",
# PATCH the resource field (BODY_FIELDS).
CONTRACT_ROUTES = [
    ("CallService", "CreateCall", "CreateCallRequest", "Call", "post", "/api/v1/calls"),
    ("CallService", "GetCall", "GetCallRequest", "Call", "get", "/api/v1/calls/{id}"),
    ("CallService", "WatchCall", "GetCallRequest", "Call", "get", "/api/v1/calls/{id}/events"),
    ("CallService", "CreateCallToken", "CreateCallTokenRequest", "CallToken", "post", "/api/v1/calls/{call_id}/token"),
    ("CallService", "ListUpcomingCalls", "ListUpcomingCallsRequest", "ListUpcomingCallsResponse", "get", "/api/v1/calls/upcoming"),
    ("CallService", "ListCalls", "ListCallsRequest", "ListCallsResponse", "get", "/api/v1/calls"),
    ("CallService", "GetCallTimeline", "GetCallTimelineRequest", "CallTimeline", "get", "/api/v1/calls/{call_id}/timeline"),
    ("CallService", "CompleteCall", "CompleteCallRequest", "Call", "post", "/api/v1/calls/{id}/complete"),
    ("CallService", "CancelCall", "CancelCallRequest", "Call", "post", "/api/v1/calls/{id}/cancel"),
    ("CallService", "ListCallRecordings", "ListCallRecordingsRequest", "ListCallRecordingsResponse", "get", "/api/v1/calls/{call_id}/recordings"),
    ("CallService", "ReassignCall", "ReassignCallRequest", "Call", "post", "/api/v1/calls/{id}/reassign"),
    ("CallService", "GetCallAnalytics", "GetCallAnalyticsRequest", "CallAnalytics", "get", "/api/v1/analytics/calls"),
    ("CallService", "CreateBookingLink", "CreateBookingLinkRequest", "BookingLink", "post", "/api/v1/booking-links"),
    ("ExpertService", "ListExperts", "ListExpertsRequest", "ListExpertsResponse", "get", "/api/v1/experts"),
    ("ExpertService", "GetExpert", "GetExpertRequest", "Expert", "get", "/api/v1/experts/{id}"),
    ("ExpertService", "CreateExpert", "CreateExpertRequest", "Expert", "post", "/api/v1/experts"),
    ("ExpertService", "SetExpertAvailability", "SetExpertAvailabilityRequest", "Expert", "put", "/api/v1/experts/{expert_id}/availability"),
    ("ExpertService", "UpdateExpert", "UpdateExpertRequest", "Expert", "patch", "/api/v1/experts/{expert.id}"),
    ("ExpertService", "GetExpertLoad", "GetExpertLoadRequest", "ExpertLoad", "get", "/api/v1/experts/{expert_id}/load"),
    ("ExpertService", "HoldSlot", "HoldSlotRequest", "SlotHold", "post", "/api/v1/holds"),
    ("ExpertService", "ReleaseHold", "ReleaseHoldRequest", "SlotHold", "delete", "/api/v1/holds/{id}"),
    ("OperationsService", "ListJobs", "ListJobsRequest", "ListJobsResponse", "get", "/api/v1/ops/jobs"),
    ("OperationsService", "RetryJob", "RetryJobRequest", "Job", "post", "/api/v1/ops/jobs/{id}/retry"),
    ("OperationsService", "ListWebhookDeliveries", "ListWebhookDeliveriesRequest", "ListWebhookDeliveriesResponse", "get", "/api/v1/ops/webhook-deliveries"),
]
BODY_FIELDS = {"UpdateExpert": "expert"}
SERVER_STREAMING = {"WatchCall"}
PACKAGE = "loop.callbooking.v1"


def compile_with_debian_protoc(out):
    """Debian's protoc finds google/protobuf/*.proto in /usr/include by itself."""
    command = ["protoc", f"-I{protos.PROTO_DIR}", "--include_imports", "--include_source_info",
               f"--descriptor_set_out={out}", *protos.all_protos()]
    return subprocess.run(command, capture_output=True, text=True)


def compile_with_grpc_tools(out):
    return protos.run_grpc_tools_protoc(
        ["--include_imports", "--include_source_info", f"--descriptor_set_out={out}", *protos.all_protos()])


COMPILERS = {"debian-protoc": compile_with_debian_protoc, "grpcio-tools": compile_with_grpc_tools}


@pytest.fixture(params=sorted(COMPILERS), scope="module")
def files(request, tmp_path_factory):
    """The FileDescriptorProtos by file name, as one compiler produced them."""
    out = tmp_path_factory.mktemp(request.param) / "set.pb"
    result = COMPILERS[request.param](out)
    assert result.returncode == 0, f"{request.param} failed:\n{result.stderr}"
    assert result.stderr == "", f"{request.param} warned:\n{result.stderr}"
    parsed = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
    return {file.name: file for file in parsed.file}


def test_every_proto_compiles_to_python_and_grpc_stubs(tmp_path):
    result = protos.run_grpc_tools_protoc(
        [f"--python_out={tmp_path}", f"--grpc_python_out={tmp_path}", *protos.all_protos()])
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "loop/callbooking/v1/call_booking_pb2_grpc.py").is_file()


def test_services_have_exactly_the_rpcs_of_the_contract(files):
    services = {s.name: s for s in files[protos.CALL_BOOKING_PROTO].service}
    assert sorted(services) == ["CallService", "ExpertService", "OperationsService"]
    for name, service in services.items():
        expected = sorted(rpc for svc, rpc, *_ in CONTRACT_ROUTES if svc == name)
        assert sorted(m.name for m in service.method) == expected


@pytest.mark.parametrize("route", CONTRACT_ROUTES, ids=lambda route: route[1])
def test_rpc_has_the_contract_types_and_rest_route(files, route):
    service_name, rpc, request, response, verb, path = route
    service = next(s for s in files[protos.CALL_BOOKING_PROTO].service if s.name == service_name)
    method = next(m for m in service.method if m.name == rpc)
    assert (method.input_type, method.output_type) == (f".{PACKAGE}.{request}", f".{PACKAGE}.{response}")
    assert not method.client_streaming
    assert method.server_streaming == (rpc in SERVER_STREAMING)
    rule = method.options.Extensions[annotations_pb2.http]
    assert rule.WhichOneof("pattern") == verb
    assert getattr(rule, verb) == path
    assert rule.body == BODY_FIELDS.get(rpc, "*" if verb in ("post", "put") else "")
    assert not rule.additional_bindings and not rule.response_body


def test_health_service_is_the_standard_one(files):
    health = files[protos.HEALTH_PROTO]
    assert health.package == "grpc.health.v1"
    [service] = health.service
    methods = {m.name: (m.input_type, m.output_type, m.server_streaming) for m in service.method}
    assert methods == {
        "Check": (".grpc.health.v1.HealthCheckRequest", ".grpc.health.v1.HealthCheckResponse", False),
        "List": (".grpc.health.v1.HealthListRequest", ".grpc.health.v1.HealthListResponse", False),
        "Watch": (".grpc.health.v1.HealthCheckRequest", ".grpc.health.v1.HealthCheckResponse", True),
    }


def test_google_api_http_is_extension_72295728_of_method_options(files):
    [extension] = files["google/api/annotations.proto"].extension
    assert (extension.number, extension.extendee, extension.type_name) == (
        72295728, ".google.protobuf.MethodOptions", ".google.api.HttpRule")


def test_every_message_service_and_enum_has_a_doc_comment(files):
    file = files[protos.CALL_BOOKING_PROTO]
    # source_code_info paths: 4 = message_type, 5 = enum_type, 6 = service (FileDescriptorProto).
    documented = {tuple(loc.path) for loc in file.source_code_info.location if loc.leading_comments.strip()}
    kinds = [(4, file.message_type), (5, file.enum_type), (6, file.service)]
    missing = [d.name for kind, items in kinds for i, d in enumerate(items) if (kind, i) not in documented]
    assert missing == []


def test_enums_start_with_an_unspecified_zero_value(files):
    for enum in files[protos.CALL_BOOKING_PROTO].enum_type:
        assert enum.value[0].number == 0
        assert enum.value[0].name.endswith("_UNSPECIFIED"), enum.name
