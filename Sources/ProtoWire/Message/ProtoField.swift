/// One field of a message: number, names, and how its value is coded.
///
/// Created through the static factories (`.string(1, "user_id", \.userID)`, `.message(…)`,
/// `.enum(…)`, `.map(…)`), whose overloads pick singular, `optional` (`T?`) or repeated
/// (`[T]`) handling from the key path's value type.
public struct ProtoField<Message: ProtoMessage>: Sendable {
    public let number: Int
    /// The name in the .proto file (`user_id`).
    public let name: String
    /// The proto3 JSON key (`userId`): lowerCamelCase of `name` unless the .proto sets `json_name`.
    public let jsonName: String
    let coding: any FieldCoding<Message>

    init(number: Int, name: String, jsonName: String?, coding: any FieldCoding<Message>) {
        self.number = number
        self.name = name
        self.jsonName = jsonName ?? Self.lowerCamelCase(name)
        self.coding = coding
    }

    /// protoc's `ToJsonName`: drop each `_` and upper-case the letter after it.
    static func lowerCamelCase(_ name: String) -> String {
        var result = ""
        var capitalizeNext = false
        for character in name {
            if character == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                result += character.uppercased()
                capitalizeNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// The key path of a field: writable so decoding can fill it, `Sendable` so schemas can be
/// `static let`s shared across threads.
public typealias FieldKeyPath<Root, Value> = any WritableKeyPath<Root, Value> & Sendable

/// How one kind of field (singular scalar, optional, repeated, message, map) reads and writes
/// its value inside a message. Internal: the public surface is `ProtoField`'s factories.
protocol FieldCoding<Message>: Sendable {
    associatedtype Message: ProtoMessage

    /// Bytes this field adds to the message, tags included; appends nested lengths to `cache`
    /// in the order `encode` will take them.
    func size(of message: Message, cache: inout SizeCache) -> Int
    func encode(_ message: Message, to writer: inout WireWriter)
    /// Called with the tag already read; `depth` is the nesting level of `message`.
    func decode(into message: inout Message, wireType: WireType, from reader: inout WireReader, depth: Int) throws(WireError)

    /// Whether proto3 JSON prints this field (implicit presence: not at default).
    func isPresentInJSON(_ message: Message) -> Bool
    func writeJSONValue(of message: Message, to writer: inout JSONWriter) throws(WireError)
    /// `value` is never `.null`: null means "unset" and is handled by `clear`.
    func mergeJSON(_ value: JSONValue, into message: inout Message, options: JSONDecodingOptions) throws(WireError)
    func clear(in message: inout Message)
}
