/// proto3 `string`: length-delimited UTF-8, validated on input (Google rejects invalid UTF-8 too).
enum StringCodec: ScalarCodec {
    static let wireType = WireType.lengthDelimited
    static let defaultValue = ""
    static func isDefault(_ value: String) -> Bool { value.isEmpty }
    static func size(of value: String, cache: inout SizeCache) -> Int {
        let count = value.utf8.count
        return Varint.size(UInt64(count)) + count
    }
    static func write(_ value: String, to writer: inout WireWriter) { writer.writeString(value) }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> String {
        try reader.readString()
    }
    static func writeJSON(_ value: String, to writer: inout JSONWriter) throws(WireError) {
        writer.writeString(value)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> String? {
        guard case .string(let value) = json else {
            throw WireError(.invalidJSONValue, "expected a string, got \(json.kindDescription)")
        }
        return value
    }
}

/// proto3 `bytes`: base64 in JSON (standard alphabet with padding out; either alphabet, padded
/// or not, in).
enum BytesCodec: ScalarCodec {
    static let wireType = WireType.lengthDelimited
    static let defaultValue: [UInt8] = []
    static func isDefault(_ value: [UInt8]) -> Bool { value.isEmpty }
    static func size(of value: [UInt8], cache: inout SizeCache) -> Int {
        Varint.size(UInt64(value.count)) + value.count
    }
    static func write(_ value: [UInt8], to writer: inout WireWriter) { writer.writeBytes(value) }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> [UInt8] {
        try reader.readBytes()
    }
    static func writeJSON(_ value: [UInt8], to writer: inout JSONWriter) throws(WireError) {
        writer.writeString(Base64.encode(value))
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> [UInt8]? {
        guard case .string(let text) = json else {
            throw WireError(.invalidJSONValue, "expected a base64 string, got \(json.kindDescription)")
        }
        guard let bytes = Base64.decode(text) else {
            throw WireError(.invalidJSONValue, "invalid base64")
        }
        return bytes
    }
}
