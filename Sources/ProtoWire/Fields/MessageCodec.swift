/// A message as a map value or repeated element (`map<string, HealthCheckResponse>`,
/// `repeated Call`): always length-delimited and always written, even when empty.
///
/// The work is in free functions so that `MessageField` can call them without instantiating
/// `MessageCodec<V>`'s metadata on every call (a runtime hash lookup in generic code).
enum MessageCodec<V: ProtoMessage>: ScalarCodec {
    static var wireType: WireType { .lengthDelimited }
    static var defaultValue: V { V() }
    static func isDefault(_ value: V) -> Bool { false }
    static func size(of value: V, cache: inout SizeCache) -> Int { nestedMessageSize(value, cache: &cache) }
    static func write(_ value: V, to writer: inout WireWriter) { writeNestedMessage(value, to: &writer) }
    static func read(from reader: inout WireReader, depth: Int) throws(WireError) -> V {
        var message = V()
        try mergeNestedMessage(into: &message, from: &reader, depth: depth)
        return message
    }
    static func writeJSON(_ value: V, to writer: inout JSONWriter) throws(WireError) {
        try value.writeJSON(to: &writer)
    }
    static func parseJSON(_ json: JSONValue, options: JSONDecodingOptions) throws(WireError) -> V? {
        var message = V()
        try message.mergeJSON(json, options: try options.nested())
        return message
    }
}

/// Length prefix plus body; reserves the message's slot in `cache` before measuring its children.
func nestedMessageSize<V: ProtoMessage>(_ value: V, cache: inout SizeCache) -> Int {
    let slot = cache.reserve()
    let size = V.encodedSize(of: value, cache: &cache)
    cache.fill(slot, with: size)
    return Varint.size(UInt64(size)) + size
}

func writeNestedMessage<V: ProtoMessage>(_ value: V, to writer: inout WireWriter) {
    writer.writeVarint(UInt64(writer.sizes.take()))
    value.encode(to: &writer)
}

/// Merges the next length-delimited payload into `message`, one level below `depth`.
func mergeNestedMessage<V: ProtoMessage>(into message: inout V, from reader: inout WireReader, depth: Int) throws(WireError) {
    guard depth < protoRecursionLimit else {
        throw WireError(.recursionLimit, "messages nested deeper than \(protoRecursionLimit)")
    }
    var nested = try reader.readNested()
    try V.merge(into: &message, from: &nested, depth: depth + 1)
}
