/// A singular `google.protobuf.Timestamp` field, encoded without the schema walk.
///
/// Timestamps are the most frequent message field by far: every call carries several, and a
/// ListExperts page thousands (two per slot). Through `MessageField` each costs a walk of
/// Timestamp's schema in generic code, with runtime metadata lookups per field; here Timestamp
/// is a concrete type and its two varints are written directly. The bytes are the ones
/// `MessageField` writes (checked against it and against Google's encoder in the tests).
///
/// The size pass reserves no `SizeCache` slot for the Timestamp, and the encoder takes none:
/// its length is recomputed, which is cheaper than the cache. Decoding and JSON are
/// `MessageField`'s.
final class TimestampField<Message: ProtoMessage>: MessageField<Message, Timestamp>, @unchecked Sendable {
    override func size(of message: Message, cache: inout SizeCache) -> Int {
        guard let value = self.access.get(message) else { return 0 }
        let body = value.binaryBodySize
        return self.tagSize + Varint.size(UInt64(body)) + body
    }

    override func encode(_ message: Message, to writer: inout WireWriter) {
        guard let value = self.access.get(message) else { return }
        writer.writeTag(self.number, .lengthDelimited)
        writer.writeVarint(UInt64(value.binaryBodySize))
        if value.seconds != 0 {
            writer.writeTag(1, .varint)
            writer.writeVarint(UInt64(bitPattern: value.seconds))
        }
        if value.nanos != 0 {
            writer.writeTag(2, .varint)
            writer.writeVarint(UInt64(bitPattern: Int64(value.nanos)))
        }
    }
}

extension Timestamp {
    /// `int64 seconds = 1; int32 nanos = 2;` with their one-byte tags, defaults omitted.
    @inline(__always)
    var binaryBodySize: Int {
        (self.seconds == 0 ? 0 : 1 + Varint.size(UInt64(bitPattern: self.seconds)))
            + (self.nanos == 0 ? 0 : 1 + Varint.size(int32: self.nanos))
    }
}
