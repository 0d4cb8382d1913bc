/// `map<string, V>`: on the wire a repeated entry message `{ string key = 1; V value = 2; }`.
///
/// Entries are written in the order of Google's deterministic serialization as done by upb
/// (Python's `SerializeToString(deterministic=True)`), so our bytes equal theirs: see
/// `mapKeyPrecedes`. Key and value are always written, even at their defaults, as upb does.
final class MapField<Message: ProtoMessage, Codec: ScalarCodec>: FieldCoding<Message>, @unchecked Sendable {
    let access: FieldAccess<Message, [String: Codec.Value]>
    private let tagSize: Int

    init(number: Int, keyPath: FieldKeyPath<Message, [String: Codec.Value]>) {
        self.access = FieldAccess(keyPath)
        self.tagSize = Varint.size(tagValue(number, .lengthDelimited))
        super.init(number: number)
    }

    override func size(of message: Message, cache: inout SizeCache) -> Int {
        let map = self.access.get(message)
        guard !map.isEmpty else { return 0 }
        var size = 0
        // Same order as `encode`: the cache slots of message values must line up.
        for key in Self.sortedKeys(map) {
            guard let value = map[key] else { continue }
            let slot = cache.reserve()
            let entry = 2 + StringCodec.size(of: key, cache: &cache) + Codec.size(of: value, cache: &cache)
            cache.fill(slot, with: entry)
            size += self.tagSize + Varint.size(UInt64(entry)) + entry
        }
        return size
    }

    override func encode(_ message: Message, to writer: inout WireWriter) {
        let map = self.access.get(message)
        guard !map.isEmpty else { return }
        for key in Self.sortedKeys(map) {
            guard let value = map[key] else { continue }
            writer.writeTag(self.number, .lengthDelimited)
            writer.writeVarint(UInt64(writer.sizes.take()))
            writer.writeTag(1, .lengthDelimited)
            writer.writeString(key)
            writer.writeTag(2, Codec.wireType)
            Codec.write(value, to: &writer)
        }
    }

    /// A missing key or value means its default; a repeated key replaces the earlier entry.
    override func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError) {
        guard wireType == .lengthDelimited else { throw WireError.wrongWireType(wireType, expected: .lengthDelimited) }
        var entry = try reader.readNested()
        let entryDepth = depth + 1
        var key = ""
        var value: Codec.Value?
        while !entry.isAtEnd {
            let tag = try entry.readTag()
            switch tag.number {
            case 1:
                guard tag.wireType == .lengthDelimited else {
                    throw WireError.wrongWireType(tag.wireType, expected: .lengthDelimited).prefixed(by: "key(1)")
                }
                key = try entry.readString()
            case 2:
                guard tag.wireType == Codec.wireType else {
                    throw WireError.wrongWireType(tag.wireType, expected: Codec.wireType).prefixed(by: "value(2)")
                }
                value = try Codec.read(from: &entry, depth: entryDepth)
            default:
                try entry.skipField(number: tag.number, wireType: tag.wireType, depth: entryDepth)
            }
        }
        let entryValue = value ?? Codec.defaultValue
        self.access.modify(&message) { $0[key] = entryValue }
    }

    override func isPresentInJSON(_ message: Message) -> Bool { !self.access.get(message).isEmpty }

    override var unpopulatedJSON: UnpopulatedJSON { .defaultValue }

    override func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError) {
        let map = self.access.get(message)
        writer.beginObject()
        var first = true
        for key in Self.sortedKeys(map) {
            guard let value = map[key] else { continue }
            writer.writeKey(key, first: &first)
            try Codec.writeJSON(value, to: &writer)
        }
        writer.endObject()
    }

    override func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError) {
        guard case .object(let members) = value else {
            throw WireError(.invalidJSONValue, "expected an object for a map, got \(value.kindDescription)")
        }
        for member in members {
            if case .null = member.value {
                throw WireError(.invalidJSONValue, "null map value for key \"\(member.key)\"")
            }
            if let parsed = try Codec.parseJSON(member.value, options: options) {
                self.access.modify(&message) { $0[member.key] = parsed }
            }
        }
    }

    override func clear(in message: inout Message) { self.access.set(&message, [:]) }

    private static func sortedKeys(_ map: [String: Codec.Value]) -> [String] {
        map.keys.sorted(by: mapKeyPrecedes)
    }
}

/// upb's deterministic order for string keys, as emitted: bytewise ascending, except that a key
/// sorts *after* every longer key it is a prefix of (`"aa"`, `"ab"`, `"a"`, `"b"`, `""`).
///
/// upb sorts with a negated `memcmp` and ascending length (`_upb_mapsorter_cmpstr`), then its
/// encoder, which builds the buffer backwards, emits the entries in reverse. Verified against
/// Python protobuf 7.36 (upb) with `SerializeToString(deterministic=True)`.
func mapKeyPrecedes(_ lhs: String, _ rhs: String) -> Bool {
    for (left, right) in zip(lhs.utf8, rhs.utf8) where left != right {
        return left < right
    }
    return lhs.utf8.count > rhs.utf8.count
}
