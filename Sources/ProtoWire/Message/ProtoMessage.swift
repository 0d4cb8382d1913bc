/// A protobuf message written by hand: its fields are described once, in `schema`, and that
/// description drives binary encoding, binary decoding and the proto3 JSON mapping.
///
/// We do not generate code (see STYLE.md); a message is a plain struct plus its schema:
/// ```swift
/// public struct Customer: ProtoMessage {
///     public var userID = ""
///     public var email = ""
///     public init() {}
///     public static let protoName = "loop.callbooking.v1.Customer"
///     public static let schema: MessageSchema<Customer> = [
///         .string(1, "user_id", \.userID),
///         .string(2, "email", \.email),
///     ]
/// }
/// ```
public protocol ProtoMessage: Sendable, Equatable {
    /// Every field at its default: proto3's empty message.
    init()
    /// Fully-qualified name, e.g. `"loop.callbooking.v1.Call"`, used in errors and registries.
    static var protoName: String { get }
    /// The fields, one entry each; order does not matter (it is sorted by number).
    static var schema: MessageSchema<Self> { get }

    /// Writes the proto3 JSON form. The default writes an object from `schema`; well-known
    /// types whose JSON is not an object (Timestamp: an RFC 3339 string) override it.
    func writeJSON(to writer: inout JSONWriter) throws(WireError)

    /// Merges a parsed JSON value into `self`; the counterpart of `writeJSON(to:)`.
    mutating func mergeJSON(_ value: JSONValue, options: JSONDecodingOptions) throws(WireError)
}

extension ProtoMessage {
    public func writeJSON(to writer: inout JSONWriter) throws(WireError) {
        try self.writeJSONObject(to: &writer)
    }

    public mutating func mergeJSON(_ value: JSONValue, options: JSONDecodingOptions) throws(WireError) {
        try self.mergeJSONObject(value, options: options)
    }

    /// Builds a message in one expression: `Customer.with { $0.email = "a@b.c" }`.
    public static func with(_ populate: (inout Self) throws -> Void) rethrows -> Self {
        var message = Self()
        try populate(&message)
        return message
    }
}
