import ProtoWire

// Messages mirroring this test schema; golden bytes and JSON in the tests were produced from
// it with Google's Python protobuf (upb) and `SerializeToString(deterministic=True)`:
//
//   syntax = "proto3";  package wiretest;  import "google/protobuf/timestamp.proto";
//   enum Color { COLOR_UNSPECIFIED = 0; RED = 1; GREEN = 2; }
//   message Scalars { int32 i32 = 1; int64 i64 = 2; uint32 u32 = 3; uint64 u64 = 4; sint32 s32 = 5;
//     sint64 s64 = 6; fixed32 f32 = 7; fixed64 f64 = 8; sfixed32 sf32 = 9; sfixed64 sf64 = 10;
//     float fl = 11; double db = 12; bool b = 13; string s = 14; bytes by = 15; Color color = 16; }
//   message Optionals { optional int32 a = 1; optional int32 b = 2; optional string c = 3;
//     optional Color color = 4; optional bool flag = 5; optional double d = 6; }
//   message Repeateds { repeated int32 i32 = 1; repeated sint64 s64 = 2; repeated fixed32 f32 = 3;
//     repeated double db = 4; repeated string s = 5; repeated Color colors = 6;
//     repeated bool flags = 7; repeated bytes bys = 8; }
//   message Nested { repeated Nested children = 2; map<string, Scalars> by_name = 3;
//     string name_with_under_score = 4; google.protobuf.Timestamp at = 5;
//     map<string, string> labels = 6; Scalars scalars = 9; }

struct Color: ProtoEnum {
    var rawValue: Int32
    init(rawValue: Int32) { self.rawValue = rawValue }
    static let unspecified = Color(rawValue: 0)
    static let red = Color(rawValue: 1)
    static let green = Color(rawValue: 2)
    static let protoName = "wiretest.Color"
    static let names: ProtoEnumNames = [0: "COLOR_UNSPECIFIED", 1: "RED", 2: "GREEN"]
}

struct Scalars: ProtoMessage {
    var i32: Int32 = 0
    var i64: Int64 = 0
    var u32: UInt32 = 0
    var u64: UInt64 = 0
    var s32: Int32 = 0
    var s64: Int64 = 0
    var f32: UInt32 = 0
    var f64: UInt64 = 0
    var sf32: Int32 = 0
    var sf64: Int64 = 0
    var fl: Float = 0
    var db: Double = 0
    var b = false
    var s = ""
    var by: [UInt8] = []
    var color = Color.unspecified

    static let protoName = "wiretest.Scalars"
    static let schema: MessageSchema<Scalars> = [
        .int32(1, "i32", \.i32),
        .int64(2, "i64", \.i64),
        .uint32(3, "u32", \.u32),
        .uint64(4, "u64", \.u64),
        .sint32(5, "s32", \.s32),
        .sint64(6, "s64", \.s64),
        .fixed32(7, "f32", \.f32),
        .fixed64(8, "f64", \.f64),
        .sfixed32(9, "sf32", \.sf32),
        .sfixed64(10, "sf64", \.sf64),
        .float(11, "fl", \.fl),
        .double(12, "db", \.db),
        .bool(13, "b", \.b),
        .string(14, "s", \.s),
        .bytes(15, "by", \.by),
        .enum(16, "color", \.color),
    ]
}

struct Optionals: ProtoMessage {
    var a: Int32?
    var b: Int32?
    var c: String?
    var color: Color?
    var flag: Bool?
    var d: Double?

    static let protoName = "wiretest.Optionals"
    static let schema: MessageSchema<Optionals> = [
        .int32(1, "a", \.a),
        .int32(2, "b", \.b),
        .string(3, "c", \.c),
        .enum(4, "color", \.color),
        .bool(5, "flag", \.flag),
        .double(6, "d", \.d),
    ]
}

struct Repeateds: ProtoMessage {
    var i32: [Int32] = []
    var s64: [Int64] = []
    var f32: [UInt32] = []
    var db: [Double] = []
    var s: [String] = []
    var colors: [Color] = []
    var flags: [Bool] = []
    var bys: [[UInt8]] = []

    static let protoName = "wiretest.Repeateds"
    static let schema: MessageSchema<Repeateds> = [
        .int32(1, "i32", \.i32),
        .sint64(2, "s64", \.s64),
        .fixed32(3, "f32", \.f32),
        .double(4, "db", \.db),
        .string(5, "s", \.s),
        .enum(6, "colors", \.colors),
        .bool(7, "flags", \.flags),
        .bytes(8, "bys", \.bys),
    ]
}

struct Nested: ProtoMessage {
    var children: [Nested] = []
    var byName: [String: Scalars] = [:]
    var nameWithUnderScore = ""
    var at: Timestamp?
    var labels: [String: String] = [:]
    var scalars: Scalars?

    static let protoName = "wiretest.Nested"
    static let schema: MessageSchema<Nested> = [
        .message(2, "children", \.children),
        .map(3, "by_name", \.byName),
        .string(4, "name_with_under_score", \.nameWithUnderScore),
        .message(5, "at", \.at),
        .map(6, "labels", \.labels),
        .message(9, "scalars", \.scalars),
    ]
}

/// A field backed by a computed property: `FieldAccess` has no stored offset for it and must
/// fall back to the key path.
struct ComputedField: ProtoMessage {
    private var storage: [String: Int32] = [:]
    var value: Int32 {
        get { self.storage["v"] ?? 0 }
        set { self.storage["v"] = newValue }
    }
    var name = ""

    static let protoName = "wiretest.ComputedField"
    static let schema: MessageSchema<ComputedField> = [
        .int32(1, "value", \.value),
        .string(2, "name", \.name),
    ]
}
