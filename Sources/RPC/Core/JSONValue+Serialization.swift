public import NIOCore
public import ProtoWire

extension JSONValue {
    /// Parses a JSON document held in a buffer (a request body).
    public static func parse(_ buffer: ByteBuffer) throws(WireError) -> JSONValue {
        try JSONParser.parse(Array(buffer.readableBytesView))
    }

    /// Compact JSON text, for bodies that are not messages (errors, health).
    public func serializedUTF8Bytes() -> [UInt8] {
        var writer = JSONWriter()
        self.write(to: &writer)
        return writer.bytes
    }

    private func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.writeNull()
        case .bool(let value): writer.writeBool(value)
        case .number(let literal): writer.writeRaw(literal)
        case .string(let value): writer.writeString(value)
        case .array(let elements):
            writer.beginArray()
            var first = true
            for element in elements {
                writer.writeSeparator(first: &first)
                element.write(to: &writer)
            }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            var first = true
            for member in members {
                writer.writeKey(member.key, first: &first)
                member.value.write(to: &writer)
            }
            writer.endObject()
        }
    }
}
