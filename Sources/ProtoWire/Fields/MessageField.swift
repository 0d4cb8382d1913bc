/// A singular message field (`Customer customer = 6;` as `Customer?`): written whenever set,
/// even when empty (`4a 00`); a second occurrence on the wire merges into the first.
struct MessageField<Message: ProtoMessage, Value: ProtoMessage>: FieldCoding {
    let number: Int
    let keyPath: FieldKeyPath<Message, Value?>
    private let tagSize: Int

    init(number: Int, keyPath: FieldKeyPath<Message, Value?>) {
        self.number = number
        self.keyPath = keyPath
        self.tagSize = Varint.size(tagValue(number, .lengthDelimited))
    }

    func size(of message: Message, cache: inout SizeCache) -> Int {
        guard let value = message[keyPath: self.keyPath] else { return 0 }
        return self.tagSize + MessageCodec<Value>.size(of: value, cache: &cache)
    }

    func encode(_ message: Message, to writer: inout WireWriter) {
        guard let value = message[keyPath: self.keyPath] else { return }
        writer.writeTag(self.number, .lengthDelimited)
        MessageCodec<Value>.write(value, to: &writer)
    }

    func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError) {
        guard wireType == .lengthDelimited else { throw WireError.wrongWireType(wireType, expected: .lengthDelimited) }
        // Take the value out so merging does not copy its storage (copy-on-write).
        var value = message[keyPath: self.keyPath] ?? Value()
        message[keyPath: self.keyPath] = nil
        try MessageCodec<Value>.merge(into: &value, from: &reader, depth: depth)
        message[keyPath: self.keyPath] = value
    }

    func isPresentInJSON(_ message: Message) -> Bool { message[keyPath: self.keyPath] != nil }

    func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError) {
        guard let value = message[keyPath: self.keyPath] else { return }
        try value.writeJSON(to: &writer)
    }

    func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError) {
        var nested = message[keyPath: self.keyPath] ?? Value()
        try nested.mergeJSON(value, options: try options.nested())
        message[keyPath: self.keyPath] = nested
    }

    func clear(in message: inout Message) { message[keyPath: self.keyPath] = nil }
}
