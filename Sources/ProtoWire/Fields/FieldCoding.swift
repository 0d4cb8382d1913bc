/// How one kind of field (singular scalar, optional, repeated, message, map) reads and writes
/// its value inside a message. Internal: the public surface is `ProtoField`'s factories.
///
/// An abstract class rather than a protocol, for speed: the encode and decode loops touch
/// every field of every message, and in generic code an array of a constrained existential
/// (`any FieldCoding<Message>`) costs an extended-existential metadata lookup per loop plus a
/// witness call per field, where a class array costs a cached lookup and a vtable call.
/// Subclasses override every method; the defaults here only keep a forgotten override harmless.
///
/// `@unchecked Sendable`: subclasses are final and hold only `let` properties of Sendable
/// values (field number, tag size, `FieldAccess`), so instances are immutable once built.
class FieldCoding<Message: ProtoMessage>: @unchecked Sendable {
    let number: Int

    init(number: Int) {
        self.number = number
    }

    /// Bytes this field adds to the message, tags included; appends nested lengths to `cache`
    /// in the order `encode` will take them.
    func size(of message: Message, cache: inout SizeCache) -> Int { 0 }

    func encode(_ message: Message, to writer: inout WireWriter) {}

    /// Called with the tag already read; `depth` is the nesting level of `message`.
    func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError) {
        throw WireError(.wrongWireType, "field \(self.number) cannot be decoded")
    }

    /// Whether proto3 JSON prints this field (implicit presence: not at default).
    func isPresentInJSON(_ message: Message) -> Bool { false }

    /// How this field prints when it is not present and unpopulated fields are emitted.
    var unpopulatedJSON: UnpopulatedJSON { .omitted }

    func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError) {}

    /// `value` is never `.null`: null means "unset" and is handled by `clear`.
    func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError) {
        throw WireError(.invalidJSONValue, "field \(self.number) cannot be parsed")
    }

    func clear(in message: inout Message) {}
}

/// What a field that is not present prints as when `JSONEncodingOptions.emitUnpopulatedFields`
/// is set: Go protojson's `EmitUnpopulated` rules.
enum UnpopulatedJSON {
    /// proto3 `optional` scalars: their absence is information.
    case omitted
    /// Fields without presence: `writeJSONValue` prints the default (`0`, `""`, `[]`, `{}`).
    case defaultValue
    /// Singular message fields.
    case null
}
