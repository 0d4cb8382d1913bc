/// Enums are open int32 on the wire: any value is kept, including ones this build does not
/// name. JSON uses the value's name, or the number when it has none.
enum EnumCodec<E: ProtoEnum>: ScalarCodec {
    static var wireType: WireType { .varint }
    static var defaultValue: E { E(rawValue: 0) }
    static func isDefault(_ value: E) -> Bool { value.rawValue == 0 }
    static func size(of value: E, cache: inout SizeCache) -> Int { Varint.size(int32: value.rawValue) }
    static func write(_ value: E, to writer: inout WireWriter) {
        writer.writeVarint(UInt64(bitPattern: Int64(value.rawValue)))
    }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> E {
        E(rawValue: Int32(truncatingIfNeeded: try reader.readVarint()))
    }
    static func writeJSON(_ value: E, to writer: inout JSONWriter) throws(WireError) {
        if let name = E.names.name(of: value.rawValue) {
            writer.writeString(name)
        } else {
            writer.writeNumber(value.rawValue)
        }
    }
    /// A name, a number, or a number in a string (as Python's json_format accepts).
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> E? {
        if case .string(let name) = json {
            if let number = E.names.number(of: name) { return E(rawValue: number) }
            if JSONNumberLiteral.isValid(name) { return E(rawValue: try JSONInteger.parse(json, as: Int32.self)) }
            if options.ignoreUnknownFields { return nil }
            throw WireError(.invalidJSONValue, "unknown \(E.protoName) value \"\(name)\"")
        }
        guard case .number = json else {
            throw WireError(.invalidJSONValue, "expected a \(E.protoName) name or number, got \(json.kindDescription)")
        }
        return E(rawValue: try JSONInteger.parse(json, as: Int32.self))
    }
}
