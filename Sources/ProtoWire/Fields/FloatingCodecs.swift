// float and double: little-endian IEEE 754 on the wire; in JSON the shortest text that reads
// back to the same value, with "NaN", "Infinity" and "-Infinity" as strings.

enum DoubleCodec: ScalarCodec {
    static let wireType = WireType.fixed64
    static let defaultValue: Double = 0
    static func isDefault(_ value: Double) -> Bool { value.bitPattern == 0 }
    static func size(of value: Double, cache: inout SizeCache) -> Int { 8 }
    static func write(_ value: Double, to writer: inout WireWriter) { writer.writeFixed64(value.bitPattern) }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Double {
        Double(bitPattern: try reader.readFixed64())
    }
    static func writeJSON(_ value: Double, to writer: inout JSONWriter) throws(WireError) {
        writer.writeNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Double? {
        try JSONFloatingPoint.parse(json)
    }
}

enum FloatCodec: ScalarCodec {
    static let wireType = WireType.fixed32
    static let defaultValue: Float = 0
    static func isDefault(_ value: Float) -> Bool { value.bitPattern == 0 }
    static func size(of value: Float, cache: inout SizeCache) -> Int { 4 }
    static func write(_ value: Float, to writer: inout WireWriter) { writer.writeFixed32(value.bitPattern) }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Float {
        Float(bitPattern: try reader.readFixed32())
    }
    static func writeJSON(_ value: Float, to writer: inout JSONWriter) throws(WireError) {
        writer.writeNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Float? {
        let double = try JSONFloatingPoint.parse(json)
        // A finite double beyond float's range would silently become infinity.
        guard !double.isFinite || abs(double) <= Double(Float.greatestFiniteMagnitude) else {
            throw WireError(.invalidJSONValue, "\(double) is out of range for float")
        }
        return Float(double)
    }
}

enum BoolCodec: ScalarCodec {
    static let wireType = WireType.varint
    static let defaultValue = false
    static func isDefault(_ value: Bool) -> Bool { !value }
    static func size(of value: Bool, cache: inout SizeCache) -> Int { 1 }
    static func write(_ value: Bool, to writer: inout WireWriter) { writer.writeByte(value ? 1 : 0) }
    /// Any non-zero varint is true.
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Bool {
        try reader.readVarint() != 0
    }
    static func writeJSON(_ value: Bool, to writer: inout JSONWriter) throws(WireError) {
        writer.writeBool(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Bool? {
        if options.fromQueryParameters, case .string(let text) = json, let value = Bool(text) { return value }
        guard case .bool(let value) = json else {
            throw WireError(.invalidJSONValue, "expected true or false, got \(json.kindDescription)")
        }
        return value
    }
}
