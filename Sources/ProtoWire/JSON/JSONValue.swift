/// A parsed JSON document.
///
/// Numbers keep their literal text: an int64 such as `9007199254740993` would not survive a
/// trip through `Double`, and the proto3 mapping decides per field how to read them.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The literal as written, already checked against RFC 8259's number grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order with unique keys: a repeated key keeps its first position
    /// and its last value ("last wins", like Python's `json.loads`).
    case object([JSONMember])

    /// "a string", "an object"…, for error messages.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue

    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// Options for writing proto3 JSON.
public struct JSONEncodingOptions: Sendable {
    /// Print fields without presence at their defaults (`0`, `""`, `false`, the enum's zero
    /// name, `[]`, `{}`) and unset singular message fields as `null`, as Go's protojson
    /// `EmitUnpopulated` and grpc-gateway's default marshaler do, so JavaScript needs no guards.
    /// Unset proto3 `optional` fields are still omitted: their absence is their meaning.
    public var emitUnpopulatedFields: Bool

    public init(emitUnpopulatedFields: Bool = false) {
        self.emitUnpopulatedFields = emitUnpopulatedFields
    }
}

/// Options for reading proto3 JSON.
public struct JSONDecodingOptions: Sendable {
    /// Skip object keys that name no field (and enum names this build does not know) instead
    /// of failing: the proto3 JSON "ignore unknown fields" option.
    public var ignoreUnknownFields: Bool
    /// The object was assembled from a URL query (google.api.http's mapping), where every value
    /// is a string and a repeated field is given once per element: a repeated field takes a
    /// single value as a one-element list, and a bool takes "true" or "false".
    public var fromQueryParameters = false
    /// Message levels still allowed below the current one. Python's json_format allows 100
    /// messages in all, counting the top one; its binary parser allows 100 *below* the top.
    var remainingDepth = protoRecursionLimit - 1

    public init(ignoreUnknownFields: Bool = false) {
        self.ignoreUnknownFields = ignoreUnknownFields
    }

    /// The options for a message one level deeper.
    func nested() throws(WireError) -> JSONDecodingOptions {
        guard self.remainingDepth > 0 else {
            throw WireError(.recursionLimit, "messages nested deeper than \(protoRecursionLimit)")
        }
        var copy = self
        copy.remainingDepth -= 1
        return copy
    }
}
