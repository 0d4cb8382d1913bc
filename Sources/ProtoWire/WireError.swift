/// The one error type of ProtoWire: every way binary or JSON input can be rejected.
///
/// Shaped like postgres-nio's `PSQLError`: a small `Code` that callers can match on, plus a
/// human-readable detail. When a failure happens inside a field, each enclosing message adds
/// its `Message.field(number)` to `path`, so the description names exactly where input went
/// wrong without building any string on the success path.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of input was rejected. Extensible: new codes are new static lets.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case truncated = "truncated input"
            case overlongVarint = "varint longer than 10 bytes"
            case lengthPastEnd = "length past end of input"
            case invalidWireType = "invalid wire type"
            case unmatchedEndGroup = "unmatched end-group"
            case invalidFieldNumber = "invalid field number"
            case wrongWireType = "wrong wire type for field"
            case invalidUTF8 = "invalid UTF-8 in string field"
            case recursionLimit = "recursion deeper than the limit"
            case invalidJSON = "invalid JSON"
            case invalidJSONValue = "invalid JSON value for field"
            case unknownJSONField = "unknown JSON field"
            case valueOutOfRange = "value out of range"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        public static let truncated = Code(.truncated)
        public static let overlongVarint = Code(.overlongVarint)
        public static let lengthPastEnd = Code(.lengthPastEnd)
        /// Wire types 6 and 7, or a tag that does not fit 32 bits.
        public static let invalidWireType = Code(.invalidWireType)
        public static let unmatchedEndGroup = Code(.unmatchedEndGroup)
        public static let invalidFieldNumber = Code(.invalidFieldNumber)
        /// A known field arrived with a wire type its declaration does not allow.
        public static let wrongWireType = Code(.wrongWireType)
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// Nested messages (or unknown groups) deeper than `recursionLimit`.
        public static let recursionLimit = Code(.recursionLimit)
        /// The text is not RFC 8259 JSON (or nests too deep).
        public static let invalidJSON = Code(.invalidJSON)
        /// Well-formed JSON whose value does not fit the field's type.
        public static let invalidJSONValue = Code(.invalidJSONValue)
        public static let unknownJSONField = Code(.unknownJSONField)
        /// A value the proto3 mapping cannot represent, e.g. a Timestamp after year 9999.
        public static let valueOutOfRange = Code(.valueOutOfRange)

        public var description: String { self.base.rawValue }
    }

    public var code: Code
    /// What exactly was wrong, e.g. `"expected string, got number"`; may be empty.
    public var detail: String
    /// Outermost first: `["loop.callbooking.v1.Call.customer(6)", "loop.callbooking.v1.Customer.email(2)"]`.
    public var path: [String]

    public init(_ code: Code, _ detail: String = "", path: [String] = []) {
        self.code = code
        self.detail = detail
        self.path = path
    }

    public var description: String {
        var text = self.code.description
        if !self.detail.isEmpty { text += ": " + self.detail }
        if !self.path.isEmpty { text += " (at " + self.path.joined(separator: " > ") + ")" }
        return text
    }

    /// Called while unwinding, innermost field first.
    func prefixed(by component: String) -> WireError {
        var copy = self
        copy.path.insert(component, at: 0)
        return copy
    }
}

/// Maximum nesting of messages (and of unknown groups) accepted on input, as in Google's parsers.
public let protoRecursionLimit = 100
