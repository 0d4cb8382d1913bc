// The ten protobuf integer types. int32 is sign-extended to 64 bits on the wire (a negative
// value takes 10 bytes); sint* use ZigZag; fixed/sfixed are little-endian. Decoding takes the
// low bits of a wider varint, as Google's parsers do. In JSON, 32-bit types are numbers and
// 64-bit types are strings (a double cannot hold every int64).

enum Int32Codec: ScalarCodec {
    static let wireType = WireType.varint
    static let defaultValue: Int32 = 0
    static func isDefault(_ value: Int32) -> Bool { value == 0 }
    static func size(of value: Int32, cache: inout SizeCache) -> Int { Varint.size(int32: value) }
    static func write(_ value: Int32, to writer: inout WireWriter) {
        writer.writeVarint(UInt64(bitPattern: Int64(value)))
    }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Int32 {
        Int32(truncatingIfNeeded: try reader.readVarint())
    }
    static func writeJSON(_ value: Int32, to writer: inout JSONWriter) throws(WireError) {
        writer.writeNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Int32? {
        try JSONInteger.parse(json, as: Int32.self)
    }
}

enum Int64Codec: ScalarCodec {
    static let wireType = WireType.varint
    static let defaultValue: Int64 = 0
    static func isDefault(_ value: Int64) -> Bool { value == 0 }
    static func size(of value: Int64, cache: inout SizeCache) -> Int { Varint.size(UInt64(bitPattern: value)) }
    static func write(_ value: Int64, to writer: inout WireWriter) {
        writer.writeVarint(UInt64(bitPattern: value))
    }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Int64 {
        Int64(bitPattern: try reader.readVarint())
    }
    static func writeJSON(_ value: Int64, to writer: inout JSONWriter) throws(WireError) {
        writer.writeQuotedNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Int64? {
        try JSONInteger.parse(json, as: Int64.self)
    }
}

enum UInt32Codec: ScalarCodec {
    static let wireType = WireType.varint
    static let defaultValue: UInt32 = 0
    static func isDefault(_ value: UInt32) -> Bool { value == 0 }
    static func size(of value: UInt32, cache: inout SizeCache) -> Int { Varint.size(UInt64(value)) }
    static func write(_ value: UInt32, to writer: inout WireWriter) {
        writer.writeVarint(UInt64(value))
    }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> UInt32 {
        UInt32(truncatingIfNeeded: try reader.readVarint())
    }
    static func writeJSON(_ value: UInt32, to writer: inout JSONWriter) throws(WireError) {
        writer.writeNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> UInt32? {
        try JSONInteger.parse(json, as: UInt32.self)
    }
}

enum UInt64Codec: ScalarCodec {
    static let wireType = WireType.varint
    static let defaultValue: UInt64 = 0
    static func isDefault(_ value: UInt64) -> Bool { value == 0 }
    static func size(of value: UInt64, cache: inout SizeCache) -> Int { Varint.size(value) }
    static func write(_ value: UInt64, to writer: inout WireWriter) {
        writer.writeVarint(value)
    }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> UInt64 {
        try reader.readVarint()
    }
    static func writeJSON(_ value: UInt64, to writer: inout JSONWriter) throws(WireError) {
        writer.writeQuotedNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> UInt64? {
        try JSONInteger.parse(json, as: UInt64.self)
    }
}

enum SInt32Codec: ScalarCodec {
    static let wireType = WireType.varint
    static let defaultValue: Int32 = 0
    static func isDefault(_ value: Int32) -> Bool { value == 0 }
    static func size(of value: Int32, cache: inout SizeCache) -> Int { Varint.size(UInt64(Varint.zigZag(value))) }
    static func write(_ value: Int32, to writer: inout WireWriter) {
        writer.writeVarint(UInt64(Varint.zigZag(value)))
    }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Int32 {
        Varint.unZigZag(UInt32(truncatingIfNeeded: try reader.readVarint()))
    }
    static func writeJSON(_ value: Int32, to writer: inout JSONWriter) throws(WireError) {
        writer.writeNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Int32? {
        try JSONInteger.parse(json, as: Int32.self)
    }
}

enum SInt64Codec: ScalarCodec {
    static let wireType = WireType.varint
    static let defaultValue: Int64 = 0
    static func isDefault(_ value: Int64) -> Bool { value == 0 }
    static func size(of value: Int64, cache: inout SizeCache) -> Int { Varint.size(Varint.zigZag(value)) }
    static func write(_ value: Int64, to writer: inout WireWriter) {
        writer.writeVarint(Varint.zigZag(value))
    }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Int64 {
        Varint.unZigZag(try reader.readVarint())
    }
    static func writeJSON(_ value: Int64, to writer: inout JSONWriter) throws(WireError) {
        writer.writeQuotedNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Int64? {
        try JSONInteger.parse(json, as: Int64.self)
    }
}

enum Fixed32Codec: ScalarCodec {
    static let wireType = WireType.fixed32
    static let defaultValue: UInt32 = 0
    static func isDefault(_ value: UInt32) -> Bool { value == 0 }
    static func size(of value: UInt32, cache: inout SizeCache) -> Int { 4 }
    static func write(_ value: UInt32, to writer: inout WireWriter) { writer.writeFixed32(value) }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> UInt32 {
        try reader.readFixed32()
    }
    static func writeJSON(_ value: UInt32, to writer: inout JSONWriter) throws(WireError) {
        writer.writeNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> UInt32? {
        try JSONInteger.parse(json, as: UInt32.self)
    }
}

enum Fixed64Codec: ScalarCodec {
    static let wireType = WireType.fixed64
    static let defaultValue: UInt64 = 0
    static func isDefault(_ value: UInt64) -> Bool { value == 0 }
    static func size(of value: UInt64, cache: inout SizeCache) -> Int { 8 }
    static func write(_ value: UInt64, to writer: inout WireWriter) { writer.writeFixed64(value) }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> UInt64 {
        try reader.readFixed64()
    }
    static func writeJSON(_ value: UInt64, to writer: inout JSONWriter) throws(WireError) {
        writer.writeQuotedNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> UInt64? {
        try JSONInteger.parse(json, as: UInt64.self)
    }
}

enum SFixed32Codec: ScalarCodec {
    static let wireType = WireType.fixed32
    static let defaultValue: Int32 = 0
    static func isDefault(_ value: Int32) -> Bool { value == 0 }
    static func size(of value: Int32, cache: inout SizeCache) -> Int { 4 }
    static func write(_ value: Int32, to writer: inout WireWriter) {
        writer.writeFixed32(UInt32(bitPattern: value))
    }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Int32 {
        Int32(bitPattern: try reader.readFixed32())
    }
    static func writeJSON(_ value: Int32, to writer: inout JSONWriter) throws(WireError) {
        writer.writeNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Int32? {
        try JSONInteger.parse(json, as: Int32.self)
    }
}

enum SFixed64Codec: ScalarCodec {
    static let wireType = WireType.fixed64
    static let defaultValue: Int64 = 0
    static func isDefault(_ value: Int64) -> Bool { value == 0 }
    static func size(of value: Int64, cache: inout SizeCache) -> Int { 8 }
    static func write(_ value: Int64, to writer: inout WireWriter) {
        writer.writeFixed64(UInt64(bitPattern: value))
    }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> Int64 {
        Int64(bitPattern: try reader.readFixed64())
    }
    static func writeJSON(_ value: Int64, to writer: inout JSONWriter) throws(WireError) {
        writer.writeQuotedNumber(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> Int64? {
        try JSONInteger.parse(json, as: Int64.self)
    }
}
