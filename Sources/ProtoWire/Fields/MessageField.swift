/// A singular message field (`Customer customer = 6;` as `Customer?`): written whenever set,
/// even when empty (`4a 00`); a second occurrence on the wire merges into the first.
/// Not final only for `TimestampField`.
class MessageField<Message: ProtoMessage, Value: ProtoMessage>: FieldCoding<Message>, @unchecked Sendable {
    let access: FieldAccess<Message, Value?>
    let tagSize: Int
    /// A member of a oneof: unset, it is left out of JSON even where unpopulated fields are
    /// printed (protojson's rule), since its absence says which member is set.
    private let isOneofMember: Bool

    init(number: Int, keyPath: FieldKeyPath<Message, Value?>, isOneofMember: Bool = false) {
        self.access = FieldAccess(keyPath)
        self.tagSize = Varint.size(tagValue(number, .lengthDelimited))
        self.isOneofMember = isOneofMember
        super.init(number: number)
    }

    override func size(of message: Message, cache: inout SizeCache) -> Int {
        guard let value = self.access.get(message) else { return 0 }
        return self.tagSize + nestedMessageSize(value, cache: &cache)
    }

    override func encode(_ message: Message, to writer: inout WireWriter) {
        guard let value = self.access.get(message) else { return }
        writer.writeTag(self.number, .lengthDelimited)
        writeNestedMessage(value, to: &writer)
    }

    override func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError) {
        guard wireType == .lengthDelimited else { throw WireError.wrongWireType(wireType, expected: .lengthDelimited) }
        // Take the value out so merging does not copy its storage (copy-on-write).
        var value = self.access.get(message) ?? Value()
        self.access.set(&message, nil)
        try mergeNestedMessage(into: &value, from: &reader, depth: depth)
        self.access.set(&message, value)
    }

    override func isPresentInJSON(_ message: Message) -> Bool { self.access.get(message) != nil }

    override var unpopulatedJSON: UnpopulatedJSON { self.isOneofMember ? .omitted : .null }

    override func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError) {
        guard let value = self.access.get(message) else { return }
        try value.writeJSON(to: &writer)
    }

    override func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError) {
        var nested = self.access.get(message) ?? Value()
        try nested.mergeJSON(value, options: try options.nested())
        self.access.set(&message, nested)
    }

    override func clear(in message: inout Message) { self.access.set(&message, nil) }
}
