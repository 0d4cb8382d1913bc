"""Just enough protobuf encoding for the benchmark's request bodies (strings, nested messages,
varints, timestamps), and gRPC's length prefix. The server's messages are checked against
Google's protobuf elsewhere (Tests/Interop); here only a few request shapes are needed."""

import struct


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def tag(number, wire_type):
    return varint(number << 3 | wire_type)


def string(number, text):
    data = text.encode() if isinstance(text, str) else text
    return tag(number, 2) + varint(len(data)) + data if data else b""


def message(number, body):
    return tag(number, 2) + varint(len(body)) + body


def uint(number, value):
    return tag(number, 0) + varint(value) if value else b""


def timestamp(number, seconds):
    """google.protobuf.Timestamp{seconds} as field `number`."""
    return message(number, uint(1, seconds))


def grpc_frame(body):
    """The 5-byte gRPC message prefix (uncompressed) and the message."""
    return b"\x00" + struct.pack(">I", len(body)) + body
