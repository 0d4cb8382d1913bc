"""Builds messages of any type by walking its descriptor: "full" variants and seeded random ones.

Nothing here knows our schema, so new fields and messages are covered without edits.
"""

import random
import zlib

from google.protobuf.descriptor import FieldDescriptor as F

MAX_DEPTH = 3
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
UINT32_MAX, UINT64_MAX = 2**32 - 1, 2**64 - 1
TIMESTAMP_MIN, TIMESTAMP_MAX = -62135596800, 253402300799  # 0001-01-01 .. 9999-12-31

# Interesting values per scalar type; "full" variant k takes item k (cycling) of each list.
STRINGS = ["héllo wörld ✓ 🙂", "", "plain ascii", "日本語", "🙂", "line\nbreak \"quoted\" \\ \t"]
INTERESTING = {
    F.TYPE_STRING: STRINGS,
    F.TYPE_BYTES: [b"\x00\xff\xfe", b"", b"+/8=", bytes(range(256))],
    F.TYPE_BOOL: [True, False],
    F.TYPE_DOUBLE: [-2.5, 0.1, 1e300, -0.0, float("inf"), 123456.789, -1e-300, 0.0],
    F.TYPE_FLOAT: [-2.5, 0.5, 3.0e38, -0.0, float("-inf"), 0.0],
    F.TYPE_INT32: [-1, INT32_MIN, INT32_MAX, 150, 0, 1],
    F.TYPE_SINT32: [-1, INT32_MIN, INT32_MAX, 1, 0],
    F.TYPE_SFIXED32: [-1, INT32_MIN, INT32_MAX, 1, 0],
    F.TYPE_INT64: [INT64_MIN, INT64_MAX, -1, 2**40, 2**53 + 1, 0],
    F.TYPE_SINT64: [INT64_MIN, INT64_MAX, -1, 1, 0],
    F.TYPE_SFIXED64: [INT64_MIN, INT64_MAX, -1, 1, 0],
    F.TYPE_UINT32: [UINT32_MAX, 1, 0],
    F.TYPE_FIXED32: [UINT32_MAX, 1, 0],
    F.TYPE_UINT64: [UINT64_MAX, 2**63, 1, 0],
    F.TYPE_FIXED64: [UINT64_MAX, 2**63, 1, 0],
}
# (seconds, nanos): epoch, before epoch with positive nanos, the maximum, ms/us precision, minimum.
TIMESTAMPS = [
    (0, 0),
    (-1, 500_000_000),
    (TIMESTAMP_MAX, 999_999_999),
    (1_700_000_000, 5_000_000),
    (1_700_000_000, 123_456_000),
    (TIMESTAMP_MIN, 0),
    (1_714_557_600, 1),
]
REPEATED_COUNTS = [3, 1, 0]
MAP_KEYS = ["b", "", "a🙂", "loop.callbooking.v1.CallService"]


def full_variant_count(descriptor):
    """How many "full" variants it takes for every list above to be used at every position."""
    longest = max(len(values) for values in INTERESTING.values())
    longest = max(longest, len(TIMESTAMPS))
    enums = [len(f.enum_type.values) for f in all_fields(descriptor) if f.type == F.TYPE_ENUM]
    return max([longest, *enums])


def all_fields(descriptor, depth=0):
    """Fields of the message and of its nested message types, to MAX_DEPTH."""
    for field in descriptor.fields:
        yield field
        if field.message_type is not None and depth < MAX_DEPTH:
            yield from all_fields(field.message_type, depth + 1)


# FieldMask paths that have a JSON form (snake_case, each `_` before a lower-case letter):
# Google's printer refuses the others, as ours does.
FIELD_MASK_PATHS = ["name", "calendly_user_uri", "scheduling.weight", "preparation_instructions", "a_b.c_d"]


def build_full(message_class, variant):
    """A message with every field set (to depth 3), values taken by position `variant`."""
    message = message_class()
    fill_full(message, variant, depth=0)
    return message


def fill_full(message, variant, depth):
    descriptor = message.DESCRIPTOR
    if descriptor.full_name == "google.protobuf.Timestamp":
        message.seconds, message.nanos = pick(TIMESTAMPS, variant)
        return
    if descriptor.full_name == "google.protobuf.FieldMask":
        message.paths.extend(FIELD_MASK_PATHS[:variant % len(FIELD_MASK_PATHS) + 1])
        return
    for field in descriptor.fields:
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            fill_map(getattr(message, field.name), field, variant, depth)
        elif field.is_repeated:
            container = getattr(message, field.name)
            for item in range(pick(REPEATED_COUNTS, variant)):
                add_value(container, field, variant + item, depth)
        elif field.message_type is not None:
            if depth < MAX_DEPTH:
                fill_full(getattr(message, field.name), variant, depth + 1)
        elif field.has_presence and variant == 0:
            setattr(message, field.name, zero_value(field))  # optional set to its zero value
        else:
            setattr(message, field.name, scalar_value(field, variant))


def fill_map(container, field, variant, depth):
    value_field = field.message_type.fields_by_name["value"]
    key_field = field.message_type.fields_by_name["key"]
    for item, key in enumerate(MAP_KEYS[: 1 + pick(REPEATED_COUNTS, variant)]):
        key = key if key_field.type == F.TYPE_STRING else scalar_value(key_field, item)
        if value_field.message_type is not None:
            fill_full(container[key], variant + item, depth + 1)
        else:
            container[key] = scalar_value(value_field, variant + item)


def add_value(container, field, variant, depth):
    if field.message_type is not None:
        fill_full(container.add(), variant, depth + 1)
    else:
        container.append(scalar_value(field, variant))


def scalar_value(field, variant):
    if field.type == F.TYPE_ENUM:
        return pick(field.enum_type.values, variant).number
    return pick(INTERESTING[field.type], variant)


def zero_value(field):
    return {F.TYPE_STRING: "", F.TYPE_BYTES: b"", F.TYPE_BOOL: False}.get(field.type, 0)


def pick(values, index):
    return values[index % len(values)]


def build_random(message_class, seed):
    """A random message; the same (type, seed) always gives the same message."""
    rng = random.Random(zlib.crc32(f"{message_class.DESCRIPTOR.full_name}/{seed}".encode()))
    message = message_class()
    fill_random(message, rng, depth=0)
    return message


def fill_random(message, rng, depth):
    if message.DESCRIPTOR.full_name == "google.protobuf.Timestamp":
        message.seconds = rng.randint(TIMESTAMP_MIN, TIMESTAMP_MAX)
        message.nanos = rng.choice([0, rng.randrange(1000) * 1_000_000, rng.randrange(10**9)])
        return
    if message.DESCRIPTOR.full_name == "google.protobuf.FieldMask":
        message.paths.extend(rng.sample(FIELD_MASK_PATHS, rng.randint(0, len(FIELD_MASK_PATHS))))
        return
    for field in message.DESCRIPTOR.fields:
        if rng.random() < 0.4:
            continue
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            container = getattr(message, field.name)
            for _ in range(rng.randint(0, 3)):
                key = random_scalar(field.message_type.fields_by_name["key"], rng)
                value_field = field.message_type.fields_by_name["value"]
                if value_field.message_type is not None:
                    fill_random(container[key], rng, depth + 1)
                else:
                    container[key] = random_scalar(value_field, rng)
        elif field.is_repeated:
            container = getattr(message, field.name)
            for _ in range(rng.randint(0, 3)):
                if field.message_type is None:
                    container.append(random_scalar(field, rng))
                elif depth < MAX_DEPTH:
                    fill_random(container.add(), rng, depth + 1)
        elif field.message_type is not None:
            if depth < MAX_DEPTH:
                fill_random(getattr(message, field.name), rng, depth + 1)
        else:
            setattr(message, field.name, random_scalar(field, rng))


def random_scalar(field, rng):
    kind = field.type
    if kind == F.TYPE_ENUM:
        # Mostly named values; sometimes a number the enum does not name (proto3 enums are open).
        if rng.random() < 0.1:
            return rng.choice([99, -5, INT32_MAX])
        return rng.choice(field.enum_type.values).number
    if kind == F.TYPE_STRING:
        alphabet = "abcXYZ019 -_:/.\"\\\né✓日🙂\u0000\u007f\u00a0"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
    if kind == F.TYPE_BYTES:
        return rng.randbytes(rng.randint(0, 12))
    if kind == F.TYPE_BOOL:
        return rng.random() < 0.5
    if kind == F.TYPE_DOUBLE:
        return rng.choice([rng.uniform(-1e6, 1e6), float(rng.randint(-1000, 1000)), rng.random()])
    if kind == F.TYPE_FLOAT:
        return rng.randint(-4000, 4000) / 4  # exact in 32 bits
    low, high = INTEGER_RANGES[kind]
    # Small numbers and numbers near the limits are the interesting ones for varints.
    return rng.choice([rng.randint(max(low, -300), 300), rng.randint(low, high), low, high])


INTEGER_RANGES = {
    F.TYPE_INT32: (INT32_MIN, INT32_MAX),
    F.TYPE_SINT32: (INT32_MIN, INT32_MAX),
    F.TYPE_SFIXED32: (INT32_MIN, INT32_MAX),
    F.TYPE_INT64: (INT64_MIN, INT64_MAX),
    F.TYPE_SINT64: (INT64_MIN, INT64_MAX),
    F.TYPE_SFIXED64: (INT64_MIN, INT64_MAX),
    F.TYPE_UINT32: (0, UINT32_MAX),
    F.TYPE_FIXED32: (0, UINT32_MAX),
    F.TYPE_UINT64: (0, UINT64_MAX),
    F.TYPE_FIXED64: (0, UINT64_MAX),
}
