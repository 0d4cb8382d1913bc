/// The fields of one message, sorted by number, with the lookups decoding needs.
///
/// Built once per message type (a `static let`), so the tables cost nothing per call. A class,
/// so reading `Self.schema` in the hot loops is one retain rather than a copy of every table.
public final class MessageSchema<Message: ProtoMessage>: Sendable, ExpressibleByArrayLiteral {
    /// In field-number order, which is also the order Google's encoders write them in.
    public let fields: [ProtoField<Message>]
    /// `fields[i].coding`, apart, in memory of the schema's own (freed with it; schemas are
    /// static lets, so in practice never). The hot loops index it: a pointer to class
    /// references needs no type metadata, where an array's methods, unspecialized in generic
    /// code, looked up `FieldCoding<Message>`'s metadata for every message encoded (20% of
    /// encoding a page of slots); and the loops copy one reference per field, not the names.
    nonisolated(unsafe) let codings: UnsafeBufferPointer<FieldCoding<Message>>
    /// `fieldIndexByNumber[n]` is the index of field `n`, or -1. Dense because our field
    /// numbers are small; numbers past the table fall back to a linear search.
    private let fieldIndexByNumber: [Int]
    /// Both the lowerCamelCase JSON name and the original proto name, as proto3 JSON parsers accept either.
    private let fieldIndexByJSONKey: [String: Int]

    public init(_ fields: [ProtoField<Message>]) {
        let sorted = fields.sorted { $0.number < $1.number }
        self.fields = sorted
        let codings = UnsafeMutableBufferPointer<FieldCoding<Message>>.allocate(capacity: sorted.count)
        _ = codings.initialize(from: sorted.map(\.coding))
        self.codings = UnsafeBufferPointer(codings)
        let denseLimit = min(sorted.last?.number ?? 0, 1024)
        var byNumber = [Int](repeating: -1, count: denseLimit + 1)
        var byKey: [String: Int] = [:]
        for (index, field) in sorted.enumerated() {
            if field.number <= denseLimit { byNumber[field.number] = index }
            byKey[field.name] = index
            byKey[field.jsonName] = index
        }
        self.fieldIndexByNumber = byNumber
        self.fieldIndexByJSONKey = byKey
    }

    deinit {
        UnsafeMutableBufferPointer(mutating: self.codings).deinitialize()
        UnsafeMutableBufferPointer(mutating: self.codings).deallocate()
    }

    public convenience init(arrayLiteral fields: ProtoField<Message>...) {
        self.init(fields)
    }

    /// The index of field `number` in `fields` and `codings`, or nil for an unknown field.
    @inline(__always)
    func fieldIndex(number: Int) -> Int? {
        if number < self.fieldIndexByNumber.count {
            let index = self.fieldIndexByNumber[number]
            return index < 0 ? nil : index
        }
        return self.fields.firstIndex { $0.number == number }
    }

    func fieldIndex(jsonKey: String) -> Int? {
        self.fieldIndexByJSONKey[jsonKey]
    }

    /// Problems a hand-written schema can have; tests assert this is empty for every message.
    public var declarationProblems: [String] {
        var problems: [String] = []
        for (index, field) in self.fields.enumerated() {
            if field.number < 1 || field.number > maxFieldNumber {
                problems.append("\(Message.protoName).\(field.name): field number \(field.number) out of range")
            }
            if index > 0 && self.fields[index - 1].number == field.number {
                problems.append("\(Message.protoName): field number \(field.number) used twice")
            }
        }
        if Set(self.fields.map(\.name)).count != self.fields.count {
            problems.append("\(Message.protoName): a field name is used twice")
        }
        return problems
    }
}
