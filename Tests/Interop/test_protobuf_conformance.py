"""Our Swift codec (through ProtoRoundTrip) against Google's protobuf, byte for byte.

Every message type of call_booking.proto, health.proto and reflection.proto (v1) is enumerated from the descriptor,
so new messages are covered without edits. Google's side is the reference: binary with
SerializeToString(deterministic=True), JSON with json_format's defaults (lowerCamelCase,
enums by name, int64 as strings).
"""

import random

import pytest
from google.protobuf import json_format, text_format

import protos
import sample_messages

MESSAGE_NAMES = protos.message_names(protos.CALL_BOOKING_PROTO, protos.HEALTH_PROTO, protos.REFLECTION_PROTO)
RANDOM_MESSAGES_PER_TYPE = 50
RANDOM_BYTE_STRINGS = 2000


def new(name, **fields):
    return protos.message_class(name)(**fields)


def describe(message):
    text = text_format.MessageToString(message, as_utf8=True)
    return f"{message.DESCRIPTOR.full_name} {{\n{text}}}"


def assert_binary_round_trip(roundtrip, message):
    """bin: our re-encoding equals Google's bytes, our JSON equals Google's JSON."""
    expected = message.SerializeToString(deterministic=True)
    answer = roundtrip.bin(message.DESCRIPTOR.full_name, expected)
    assert answer.ok, f"rejected valid bytes {expected.hex()}: {answer.error}\n{describe(message)}"
    assert answer.binary.hex() == expected.hex(), describe(message)
    assert answer.json == json_format.MessageToDict(message), describe(message)


def assert_json_round_trip(roundtrip, message):
    """json: Google's JSON, with JSON names and with original names, gives Google's bytes."""
    expected = message.SerializeToString(deterministic=True)
    for original_names in (False, True):
        text = json_format.MessageToJson(message, preserving_proto_field_name=original_names)
        answer = roundtrip.json(message.DESCRIPTOR.full_name, text)
        assert answer.ok, f"rejected valid JSON: {answer.error}\n{text}"
        assert answer.binary.hex() == expected.hex(), text
        assert answer.json == json_format.MessageToDict(message), text


def assert_still_answers(roundtrip):
    answer = roundtrip.bin("grpc.health.v1.HealthCheckResponse", bytes.fromhex("0801"))
    assert answer.ok and answer.binary == b"\x08\x01" and answer.json == {"status": "SERVING"}


# --- Valid messages ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", MESSAGE_NAMES)
def test_empty_message_round_trips(roundtrip, name):
    message = new(name)
    assert_binary_round_trip(roundtrip, message)
    assert_json_round_trip(roundtrip, message)
    answer = roundtrip.json(name, "{}")
    assert answer.ok and answer.binary == b"" and answer.json == {}, answer.line


@pytest.mark.parametrize("name", MESSAGE_NAMES)
def test_messages_with_every_field_set_match_google(roundtrip, name):
    message_class = protos.message_class(name)
    for variant in range(sample_messages.full_variant_count(message_class.DESCRIPTOR)):
        message = sample_messages.build_full(message_class, variant)
        assert_binary_round_trip(roundtrip, message)
        assert_json_round_trip(roundtrip, message)


@pytest.mark.parametrize("name", MESSAGE_NAMES)
def test_random_messages_match_google(roundtrip, name):
    message_class = protos.message_class(name)
    for seed in range(RANDOM_MESSAGES_PER_TYPE):
        message = sample_messages.build_random(message_class, seed)
        assert_binary_round_trip(roundtrip, message)
        assert_json_round_trip(roundtrip, message)


# --- Hand-picked JSON -------------------------------------------------------------------------

ACCEPTED_JSON = {
    "enum as number": ("loop.callbooking.v1.Call", '{"state": 3}'),
    "unnamed enum number": ("loop.callbooking.v1.Call", '{"noShowParty": 42}'),
    "int64 as number": ("loop.callbooking.v1.CallAnalytics", '{"totalCalls": 12, "noShowCalls": -7}'),
    "int64 max as string": ("loop.callbooking.v1.CallAnalytics", '{"total_calls": "9223372036854775807"}'),
    "int32 as string": ("loop.callbooking.v1.ListExpertsRequest", '{"slotMinutes": "45"}'),
    "timestamp with +02:00": ("loop.callbooking.v1.Call", '{"scheduledStart": "2024-05-01T12:00:00+02:00"}'),
    "timestamp with -01:30 and fraction": ("loop.callbooking.v1.Call", '{"scheduled_end": "2024-05-01T10:00:00.5-01:30"}'),
    "null means unset": ("loop.callbooking.v1.Call", '{"id": null, "customer": null, "customerContext": []}'),
    "optional bool false is present": ("loop.callbooking.v1.Expert", '{"active": false}'),
    "map of messages": ("grpc.health.v1.HealthListResponse", '{"statuses": {"": {"status": "SERVING"}, "x": {}}}'),
}

REJECTED_JSON = {
    "lower-case t in timestamp": ("loop.callbooking.v1.Call", '{"scheduledStart": "2024-05-01t10:00:00Z"}'),
    "lower-case z in timestamp": ("loop.callbooking.v1.Call", '{"scheduledStart": "2024-05-01T10:00:00z"}'),
    "unknown key": ("loop.callbooking.v1.Call", '{"id": "x", "bogus": 1}'),
    "fractional integer": ("loop.callbooking.v1.CallAnalytics", '{"totalCalls": 1.5}'),
    "int32 out of range": ("loop.callbooking.v1.ListExpertsRequest", '{"pageSize": 2147483648}'),
    "unknown enum name": ("loop.callbooking.v1.Call", '{"state": "CALL_STATE_SLEEPING"}'),
    "not an object": ("loop.callbooking.v1.Call", '["id"]'),
}


@pytest.mark.parametrize("case", ACCEPTED_JSON, ids=str)
def test_json_input_accepted_like_google(roundtrip, case):
    name, text = ACCEPTED_JSON[case]
    reference = json_format.Parse(text, new(name))  # the table itself must agree with Google
    answer = roundtrip.json(name, text)
    assert answer.ok, f"rejected {text}: {answer.error}"
    assert answer.binary.hex() == reference.SerializeToString(deterministic=True).hex()
    assert answer.json == json_format.MessageToDict(reference)


@pytest.mark.parametrize("case", REJECTED_JSON, ids=str)
def test_json_input_rejected_like_google(roundtrip, case):
    name, text = REJECTED_JSON[case]
    with pytest.raises(json_format.ParseError):
        json_format.Parse(text, new(name))
    answer = roundtrip.json(name, text)
    assert not answer.ok, f"accepted {text}: {answer.line}"
    assert_still_answers(roundtrip)


# --- Hostile binary input ---------------------------------------------------------------------

CALL = "loop.callbooking.v1.Call"
GET_CALL = "loop.callbooking.v1.GetCallRequest"  # field 1: string id
LIST_UPCOMING = "loop.callbooking.v1.ListUpcomingCallsRequest"  # field 2: int32 page_size

HOSTILE_BINARY = {
    "truncated tag": (GET_CALL, "ff"),
    "truncated varint": (LIST_UPCOMING, "10ff"),
    "11-byte varint": (LIST_UPCOMING, "10" + "ff" * 10 + "01"),
    "length past the end": (GET_CALL, "0a056162"),
    "length 2^31 with few bytes": (GET_CALL, "0a808080800861"),
    "length 2^64-1": (GET_CALL, "0a" + "ff" * 9 + "01"),
    "string field sent as varint": (GET_CALL, "0801"),
    "message field sent as fixed32": (CALL, "3500000000"),
    "wire type 6": (GET_CALL, "0e01"),
    "wire type 7": (GET_CALL, "0f01"),
    "unmatched end-group": (GET_CALL, "0c"),
    "end-group of another field": (GET_CALL, "0b14"),
    "unterminated group": (GET_CALL, "0b0801"),
    "field number 0 varint": (GET_CALL, "0001"),
    "field number 0 length-delimited": (GET_CALL, "0200"),
    "groups nested 200 deep": (GET_CALL, "0b" * 200 + "0c" * 200),
    "invalid UTF-8": (GET_CALL, "0a02c328"),
    "overlong UTF-8": (GET_CALL, "0a02c080"),
    "UTF-16 surrogate in UTF-8": (GET_CALL, "0a03eda080"),
    "invalid UTF-8 in a nested message": (CALL, "32041a02c328"),
    "invalid UTF-8 in a map key": ("grpc.health.v1.HealthListResponse", "0a040a02c328"),
}


@pytest.mark.parametrize("case", HOSTILE_BINARY, ids=str)
def test_hostile_binary_is_rejected_and_process_survives(roundtrip, case):
    name, hex_bytes = HOSTILE_BINARY[case]
    answer = roundtrip.bin(name, bytes.fromhex(hex_bytes))
    assert not answer.ok, f"accepted {hex_bytes[:80]}: {answer.line[:300]}"
    assert_still_answers(roundtrip)


def varint(value):
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def test_messages_nested_200_deep_do_not_crash(roundtrip):
    # Call.customer wrapped in itself: Customer has no field 6, so Google skips the rest as an
    # unknown field and accepts it; a decoder may also refuse it, but must not crash.
    data = b""
    for _ in range(200):
        data = b"\x32" + varint(len(data)) + data
    answer = roundtrip.bin(CALL, data)
    if answer.ok:
        assert answer.binary.hex() == "3200"
    assert_still_answers(roundtrip)


UNKNOWN_FIELDS = (
    "9806" "01"  # field 99, varint
    "a206" "026869"  # field 100, length-delimited
    "a906" "0102030405060708"  # field 101, fixed64
    "b506" "01020304"  # field 102, fixed32
    "bb06" "0801" "0a00" "bc06"  # field 103, group holding a varint and a string
    "f8ffffff0f" "01"  # field 2^29-1, varint
)


def test_unknown_fields_are_skipped_and_dropped_on_reencoding(roundtrip):
    answer = roundtrip.bin(GET_CALL, bytes.fromhex(UNKNOWN_FIELDS + "0a0178" + UNKNOWN_FIELDS))
    assert answer.ok, answer.error
    assert (answer.binary.hex(), answer.json) == ("0a0178", {"id": "x"})


def test_unknown_fields_in_nested_messages_are_dropped(roundtrip):
    customer = bytes.fromhex("0a0175" + UNKNOWN_FIELDS)  # user_id "u" + unknown fields
    answer = roundtrip.bin(CALL, b"\x32" + varint(len(customer)) + customer)
    assert answer.ok, answer.error
    assert (answer.binary.hex(), answer.json) == ("3203" "0a0175", {"customer": {"userId": "u"}})


def test_random_bytes_are_answered_and_accepted_only_when_google_accepts(roundtrip):
    rng = random.Random(20240501)
    valid = {n: sample_messages.build_full(protos.message_class(n), 0) for n in MESSAGE_NAMES}
    for _ in range(RANDOM_BYTE_STRINGS):
        name = rng.choice(MESSAGE_NAMES)
        data = random_bytes(rng, valid[name])
        answer = roundtrip.bin(name, data)  # raises unless the answer is a well-formed ok/err
        if not answer.ok:
            continue
        try:
            reference = protos.message_class(name).FromString(data)
        except Exception as error:
            pytest.fail(f"{name}: accepted {data.hex()} which Google rejects ({error})")
        reference.DiscardUnknownFields()
        assert answer.binary.hex() == reference.SerializeToString(deterministic=True).hex(), data.hex()
        assert answer.json == json_format.MessageToDict(reference), data.hex()
    assert_still_answers(roundtrip)


def random_bytes(rng, valid_message):
    """Half pure noise, half a valid encoding with one byte changed, inserted or cut off."""
    if rng.random() < 0.5:
        return rng.randbytes(rng.randint(0, 40))
    data = bytearray(valid_message.SerializeToString(deterministic=True))
    if not data:
        return rng.randbytes(rng.randint(1, 8))
    at = rng.randrange(len(data))
    mutation = rng.choice(["flip", "insert", "truncate"])
    if mutation == "flip":
        data[at] ^= 1 << rng.randrange(8)
    elif mutation == "insert":
        data.insert(at, rng.randrange(256))
    else:
        del data[at:]
    return bytes(data)
