"""Compiles proto/ with grpcio-tools, so the tests always use the current .proto files.

`generate()` writes Python stubs for loop.callbooking.v1 and google.api into
Tests/Interop/generated/ (git-ignored) plus `descriptor_set.pb` for every file.

The health proto gets no importable stub: its module would be `grpc.health.v1`, which
grpcio's own `grpc` package shadows, and its symbols would clash with grpcio-health-checking's
`grpc_health.v1` in the default descriptor pool. Use `grpc_health.v1` (the same messages and
field numbers) for stubs, or `message_class()` below, which reads a private pool.
"""

import functools
import os
import pathlib
import subprocess
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

INTEROP_DIR = pathlib.Path(__file__).resolve().parent
REPO_ROOT = INTEROP_DIR.parent.parent
PROTO_DIR = REPO_ROOT / "proto"
GENERATED_DIR = INTEROP_DIR / "generated"
DESCRIPTOR_SET = GENERATED_DIR / "descriptor_set.pb"

CALL_BOOKING_PROTO = "loop/callbooking/v1/call_booking.proto"
HEALTH_PROTO = "grpc/health/v1/health.proto"
# Like health's, no importable stub (its module would be grpc.reflection.v1); message_class() reads it.
REFLECTION_PROTO = "grpc/reflection/v1/reflection.proto"
# Files whose Python stubs are importable from GENERATED_DIR (see the module docstring).
STUB_PROTOS = [CALL_BOOKING_PROTO, "google/api/http.proto", "google/api/annotations.proto"]


def all_protos():
    """Every .proto under proto/, as paths relative to it."""
    return sorted(p.relative_to(PROTO_DIR).as_posix() for p in PROTO_DIR.rglob("*.proto"))


def grpc_tools_include():
    """Where grpcio-tools keeps google/protobuf/*.proto (timestamp, descriptor, ...)."""
    import grpc_tools

    return str(pathlib.Path(grpc_tools.__file__).parent / "_proto")


def run_grpc_tools_protoc(args):
    """Runs grpc_tools.protoc in a subprocess; returns CompletedProcess (never raises)."""
    command = [sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTO_DIR}", f"-I{grpc_tools_include()}"]
    return subprocess.run(command + args, capture_output=True, text=True)


def generate():
    """Writes stubs and the descriptor set into GENERATED_DIR and puts it on sys.path."""
    GENERATED_DIR.mkdir(exist_ok=True)
    steps = [
        [f"--python_out={GENERATED_DIR}", f"--grpc_python_out={GENERATED_DIR}", *STUB_PROTOS],
        ["--include_imports", f"--descriptor_set_out={DESCRIPTOR_SET}", *all_protos()],
    ]
    for args in steps:
        result = run_grpc_tools_protoc(args)
        if result.returncode != 0:
            raise RuntimeError(f"grpc_tools.protoc {' '.join(args)} failed:\n{result.stderr}")
    if str(GENERATED_DIR) not in sys.path:
        sys.path.insert(0, str(GENERATED_DIR))
    pool.cache_clear()


@functools.cache
def pool():
    """A private DescriptorPool holding every file of the descriptor set."""
    files = descriptor_pb2.FileDescriptorSet.FromString(DESCRIPTOR_SET.read_bytes())
    result = descriptor_pool.DescriptorPool()
    for file in files.file:
        result.Add(file)
    return result


def message_class(full_name):
    """The Python class of a message, e.g. "loop.callbooking.v1.Call", from the private pool."""
    return message_factory.GetMessageClass(pool().FindMessageTypeByName(full_name))


def message_names(*files):
    """Full names of every message (nested ones too, but not map entries) in the given files."""
    names = []

    def visit(descriptor):
        if not descriptor.GetOptions().map_entry:
            names.append(descriptor.full_name)
        for nested in descriptor.nested_types:
            visit(nested)

    for file in files:
        for descriptor in pool().FindFileByName(file).message_types_by_name.values():
            visit(descriptor)
    return names


def roundtrip_path():
    """The ProtoRoundTrip executable: $PROTO_ROUNDTRIP, else the repo's .build/debug one."""
    if "PROTO_ROUNDTRIP" in os.environ:
        return pathlib.Path(os.environ["PROTO_ROUNDTRIP"]).resolve()
    return REPO_ROOT / ".build" / "debug" / "ProtoRoundTrip"
