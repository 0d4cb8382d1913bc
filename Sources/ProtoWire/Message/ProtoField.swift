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
    let coding: FieldCoding<Message>

    init(number: Int, name: String, jsonName: String?, coding: FieldCoding<Message>) {
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
