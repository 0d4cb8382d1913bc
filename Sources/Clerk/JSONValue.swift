import Foundation

/// Untyped JSON for token headers, claims and JWKS documents, decoded with JSONDecoder.
///
/// Not JSONSerialization: its `Any` bridges `true` to the number 1 on Darwin, so `"exp": true`
/// would read as a timestamp. JSONDecoder keeps booleans, numbers and strings apart, and
/// `Bool` is tried first.
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The members of a top-level object, or nil when `bytes` is not a JSON object.
    static func object(from bytes: [UInt8]) -> [String: JSONValue]? {
        guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            return nil
        }
        return members
    }

    /// The members of a top-level object in which no object repeats a member name, else nil.
    ///
    /// RFC 7515 §5.2 and RFC 7519 §4: a JWS header or claims set that repeats a name must be
    /// refused, or read with the last value, as ECMAScript reads it. JSONDecoder keeps the
    /// first without a word, so `{"sub":"a","sub":"b"}` would be user a here and user b to
    /// any other reader of the same token: such a document is refused.
    static func objectWithUniqueNames(from bytes: [UInt8]) -> [String: JSONValue]? {
        guard let members = self.object(from: bytes), JSONMemberNames.areUnique(in: bytes) else { return nil }
        return members
    }

    /// Follows `path` through nested objects: ["metadata", "role"] reads `metadata.role`.
    static func lookup(_ path: [String], in object: [String: JSONValue]) -> JSONValue? {
        guard let first = path.first, let value = object[first] else { return nil }
        if path.count == 1 { return value }
        guard case .object(let nested) = value else { return nil }
        return lookup(Array(path.dropFirst()), in: nested)
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }
}
