/// A proto3 scalar with implicit presence: not written (nor printed in JSON) at its default.
struct SingularField<Message: ProtoMessage, Codec: ScalarCodec>: FieldCoding {
    let number: Int
    let keyPath: FieldKeyPath<Message, Codec.Value>
    private let tagSize: Int

    init(number: Int, keyPath: FieldKeyPath<Message, Codec.Value>) {
        self.number = number
        self.keyPath = keyPath
        self.tagSize = Varint.size(tagValue(number, Codec.wireType))
    }

    func size(of message: Message, cache: inout SizeCache) -> Int {
        let value = message[keyPath: self.keyPath]
        return Codec.isDefault(value) ? 0 : self.tagSize + Codec.size(of: value, cache: &cache)
    }

    func encode(_ message: Message, to writer: inout WireWriter) {
        let value = message[keyPath: self.keyPath]
        guard !Codec.isDefault(value) else { return }
        writer.writeTag(self.number, Codec.wireType)
        Codec.write(value, to: &writer)
    }

    /// Last one wins when the field repeats on the wire.
    func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError) {
        guard wireType == Codec.wireType else { throw WireError.wrongWireType(wireType, expected: Codec.wireType) }
        message[keyPath: self.keyPath] = try Codec.read(from: &reader, depth: depth)
    }

    func isPresentInJSON(_ message: Message) -> Bool { !Codec.isDefault(message[keyPath: self.keyPath]) }

    func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError) {
        try Codec.writeJSON(message[keyPath: self.keyPath], to: &writer)
    }

    func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError) {
        if let parsed = try Codec.parseJSON(value, options: options) { message[keyPath: self.keyPath] = parsed }
    }

    func clear(in message: inout Message) { message[keyPath: self.keyPath] = Codec.defaultValue }
}

/// A proto3 `optional` scalar: explicit presence, so a set zero is still written (`10 00`).
struct OptionalField<Message: ProtoMessage, Codec: ScalarCodec>: FieldCoding {
    let number: Int
    let keyPath: FieldKeyPath<Message, Codec.Value?>
    private let tagSize: Int

    init(number: Int, keyPath: FieldKeyPath<Message, Codec.Value?>) {
        self.number = number
        self.keyPath = keyPath
        self.tagSize = Varint.size(tagValue(number, Codec.wireType))
    }

    func size(of message: Message, cache: inout SizeCache) -> Int {
        guard let value = message[keyPath: self.keyPath] else { return 0 }
        return self.tagSize + Codec.size(of: value, cache: &cache)
    }

    func encode(_ message: Message, to writer: inout WireWriter) {
        guard let value = message[keyPath: self.keyPath] else { return }
        writer.writeTag(self.number, Codec.wireType)
        Codec.write(value, to: &writer)
    }

    func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError) {
        guard wireType == Codec.wireType else { throw WireError.wrongWireType(wireType, expected: Codec.wireType) }
        message[keyPath: self.keyPath] = try Codec.read(from: &reader, depth: depth)
    }

    func isPresentInJSON(_ message: Message) -> Bool { message[keyPath: self.keyPath] != nil }

    func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError) {
        guard let value = message[keyPath: self.keyPath] else { return }
        try Codec.writeJSON(value, to: &writer)
    }

    func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError) {
        if let parsed = try Codec.parseJSON(value, options: options) { message[keyPath: self.keyPath] = parsed }
    }

    func clear(in message: inout Message) { message[keyPath: self.keyPath] = nil }
}

extension WireError {
    static func wrongWireType(_ got: WireType, expected: WireType) -> WireError {
        WireError(.wrongWireType, "wire type \(got.rawValue), declared \(expected.rawValue)")
    }
}
