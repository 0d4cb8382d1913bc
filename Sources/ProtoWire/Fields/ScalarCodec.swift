/// How one protobuf value type (int32, sint64, string, an enum, a message as a map value…)
/// maps to a Swift type, on the wire and in JSON. Caseless enums implement it statically, so
/// the field kinds (`SingularField`, `RepeatedField`, `MapField`…) are written once for all types.
protocol ScalarCodec: Sendable {
    associatedtype Value: Sendable

    static var wireType: WireType { get }
    static var defaultValue: Value { get }
    /// proto3 implicit presence compares *bits*: `-0.0` is not the default and is written,
    /// as Google's encoders do.
    static func isDefault(_ value: Value) -> Bool
    /// Encoded size without the tag (with the length prefix for length-delimited types).
    static func size(of value: Value, cache: inout SizeCache) -> Int
    static func write(_ value: Value, to writer: inout WireWriter)
    /// `depth` is the nesting level of the message holding the value (only messages use it).
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Value

    static func writeJSON(_ value: Value, to writer: inout JSONWriter) throws(WireError)
    /// Returns nil to skip the value: an unknown enum name while ignoring unknown fields.
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Value?
}

extension ScalarCodec {
    /// Scalars on VARINT, I32 or I64 can be packed; strings, bytes and messages cannot.
    static var isPackable: Bool { Self.wireType != .lengthDelimited }
}
