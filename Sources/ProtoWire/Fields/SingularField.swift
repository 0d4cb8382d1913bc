/// A proto3 scalar with implicit presence: not written (nor printed in JSON) at its default.
final class SingularField<Message: ProtoMessage, Codec: ScalarCodec>: FieldCoding<Message>, @unchecked Sendable {
    let access: FieldAccess<Message, Codec.Value>
    private let tagSize: Int

    init(number: Int, keyPath: FieldKeyPath<Message, Codec.Value>) {
        self.access = FieldAccess(keyPath)
        self.tagSize = Varint.size(tagValue(number, Codec.wireType))
        super.init(number: number)
    }

    override func size(of message: Message, cache: inout SizeCache) -> Int {
        let value = self.access.get(message)
        return Codec.isDefault(value) ? 0 : self.tagSize + Codec.size(of: value, cache: &cache)
    }

    override func encode(_ message: Message, to writer: inout WireWriter) {
        let value = self.access.get(message)
        guard !Codec.isDefault(value) else { return }
        writer.writeTag(self.number, Codec.wireType)
        Codec.write(value, to: &writer)
    }

    /// Last one wins when the field repeats on the wire.
    override func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError) {
        guard wireType == Codec.wireType else { throw WireError.wrongWireType(wireType, expected: Codec.wireType) }
        self.access.set(&message, try Codec.read(from: &reader, depth: depth))
    }

    override func isPresentInJSON(_ message: Message) -> Bool { !Codec.isDefault(self.access.get(message)) }

    override var unpopulatedJSON: UnpopulatedJSON { .defaultValue }

    override func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError) {
        try Codec.writeJSON(self.access.get(message), to: &writer)
    }

    override func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError) {
        if let parsed = try Codec.parseJSON(value, options: options) { self.access.set(&message, parsed) }
    }

    override func clear(in message: inout Message) { self.access.set(&message, Codec.defaultValue) }
}

/// A proto3 `optional` scalar: explicit presence, so a set zero is still written (`10 00`).
final class OptionalField<Message: ProtoMessage, Codec: ScalarCodec>: FieldCoding<Message>, @unchecked Sendable {
    let access: FieldAccess<Message, Codec.Value?>
    private let tagSize: Int

    init(number: Int, keyPath: FieldKeyPath<Message, Codec.Value?>) {
        self.access = FieldAccess(keyPath)
        self.tagSize = Varint.size(tagValue(number, Codec.wireType))
        super.init(number: number)
    }

    override func size(of message: Message, cache: inout SizeCache) -> Int {
        guard let value = self.access.get(message) else { return 0 }
        return self.tagSize + Codec.size(of: value, cache: &cache)
    }

    override func encode(_ message: Message, to writer: inout WireWriter) {
        guard let value = self.access.get(message) else { return }
        writer.writeTag(self.number, Codec.wireType)
        Codec.write(value, to: &writer)
    }

    override func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError) {
        guard wireType == Codec.wireType else { throw WireError.wrongWireType(wireType, expected: Codec.wireType) }
        self.access.set(&message, try Codec.read(from: &reader, depth: depth))
    }

    override func isPresentInJSON(_ message: Message) -> Bool { self.access.get(message) != nil }

    override func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError) {
        guard let value = self.access.get(message) else { return }
        try Codec.writeJSON(value, to: &writer)
    }

    override func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError) {
        if let parsed = try Codec.parseJSON(value, options: options) { self.access.set(&message, parsed) }
    }

    override func clear(in message: inout Message) { self.access.set(&message, nil) }
}

extension WireError {
    static func wrongWireType(_ got: WireType, expected: WireType) -> WireError {
        WireError(.wrongWireType, "wire type \(got.rawValue), declared \(expected.rawValue)")
    }
}
