/// A repeated field (`[T]`). Scalars are written packed, as proto3 does by default, and
/// accepted packed or unpacked, in any number of records (they concatenate). Strings, bytes
/// and messages are one record per element.
final class RepeatedField<Message: ProtoMessage, Codec: ScalarCodec>: FieldCoding<Message>, @unchecked Sendable {
    let access: FieldAccess<Message, [Codec.Value]>
    private let elementTagSize: Int
    private let packedTagSize: Int

    init(number: Int, keyPath: FieldKeyPath<Message, [Codec.Value]>) {
        self.access = FieldAccess(keyPath)
        self.elementTagSize = Varint.size(tagValue(number, Codec.wireType))
        self.packedTagSize = Varint.size(tagValue(number, .lengthDelimited))
        super.init(number: number)
    }

    override func size(of message: Message, cache: inout SizeCache) -> Int {
        let values = self.access.get(message)
        guard !values.isEmpty else { return 0 }
        if Codec.isPackable {
            // The payload length is needed again by `encode`: cache it rather than re-summing.
            let slot = cache.reserve()
            var payload = 0
            for value in values { payload += Codec.size(of: value, cache: &cache) }
            cache.fill(slot, with: payload)
            return self.packedTagSize + Varint.size(UInt64(payload)) + payload
        }
        var size = values.count * self.elementTagSize
        for value in values { size += Codec.size(of: value, cache: &cache) }
        return size
    }

    override func encode(_ message: Message, to writer: inout WireWriter) {
        let values = self.access.get(message)
        guard !values.isEmpty else { return }
        if Codec.isPackable {
            writer.writeTag(self.number, .lengthDelimited)
            writer.writeVarint(UInt64(writer.sizes.take()))
            for value in values { Codec.write(value, to: &writer) }
        } else {
            for value in values {
                writer.writeTag(self.number, Codec.wireType)
                Codec.write(value, to: &writer)
            }
        }
    }

    override func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError) {
        if wireType == Codec.wireType {
            let value = try Codec.read(from: &reader, depth: depth)
            self.access.modify(&message) { $0.append(value) }
        } else if Codec.isPackable && wireType == .lengthDelimited {
            var packed = try reader.readNested()
            switch Codec.wireType {
            case .fixed32: self.access.modify(&message) { $0.reserveCapacity($0.count + packed.remaining / 4) }
            case .fixed64: self.access.modify(&message) { $0.reserveCapacity($0.count + packed.remaining / 8) }
            default: break  // varints: the count is unknown until read; never guess from the length
            }
            while !packed.isAtEnd {
                let value = try Codec.read(from: &packed, depth: depth)
                self.access.modify(&message) { $0.append(value) }
            }
        } else {
            throw WireError.wrongWireType(wireType, expected: Codec.wireType)
        }
    }

    override func isPresentInJSON(_ message: Message) -> Bool { !self.access.get(message).isEmpty }

    override var unpopulatedJSON: UnpopulatedJSON { .defaultValue }

    override func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError) {
        writer.beginArray()
        var first = true
        for value in self.access.get(message) {
            writer.writeSeparator(first: &first)
            try Codec.writeJSON(value, to: &writer)
        }
        writer.endArray()
    }

    override func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError) {
        let elements: [JSONValue]
        switch value {
        case .array(let array): elements = array
        case .string where options.fromQueryParameters: elements = [value]
        default: throw WireError(.invalidJSONValue, "expected an array, got \(value.kindDescription)")
        }
        var values: [Codec.Value] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            if case .null = element { throw WireError(.invalidJSONValue, "null inside an array") }
            if let parsed = try Codec.parseJSON(element, options: options) { values.append(parsed) }
        }
        self.access.set(&message, values)
    }

    override func clear(in message: inout Message) { self.access.set(&message, []) }
}
