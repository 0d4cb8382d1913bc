// Factories for enums, messages and maps. Like the scalar ones, the key path's value type picks
// singular (`E`), optional (`E?`) or repeated (`[E]`) handling.

extension ProtoField {
    public static func `enum`<E: ProtoEnum>(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, E>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, EnumCodec<E>>(number: number, keyPath: keyPath))
    }
    public static func `enum`<E: ProtoEnum>(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, E?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, EnumCodec<E>>(number: number, keyPath: keyPath))
    }
    public static func `enum`<E: ProtoEnum>(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [E]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, EnumCodec<E>>(number: number, keyPath: keyPath))
    }

    /// A singular message field; `nil` is "not set", which proto3 distinguishes from empty.
    public static func message<V: ProtoMessage>(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, V?>, jsonName: String? = nil) -> Self {
        let coding: MessageField<Message, V>
        if V.self == Timestamp.self {
            // V is Timestamp: the key path and the field are the same objects under their own types.
            let timestamp = unsafeBitCast(keyPath, to: FieldKeyPath<Message, Timestamp?>.self)
            coding = unsafeDowncast(TimestampField(number: number, keyPath: timestamp), to: MessageField<Message, V>.self)
        } else {
            coding = MessageField(number: number, keyPath: keyPath)
        }
        return Self(number: number, name: name, jsonName: jsonName, coding: coding)
    }
    /// A message member of a oneof, seen through an optional view of the oneof.
    public static func oneofMessage<V: ProtoMessage>(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, V?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: MessageField<Message, V>(number: number, keyPath: keyPath, isOneofMember: true))
    }
    public static func message<V: ProtoMessage>(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [V]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, MessageCodec<V>>(number: number, keyPath: keyPath))
    }

    /// `map<string, V>` with message values.
    public static func map<V: ProtoMessage>(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [String: V]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: MapField<Message, MessageCodec<V>>(number: number, keyPath: keyPath))
    }
    /// `map<string, E>` with enum values.
    public static func map<E: ProtoEnum>(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [String: E]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: MapField<Message, EnumCodec<E>>(number: number, keyPath: keyPath))
    }
    /// `map<string, string>`.
    public static func map(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [String: String]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: MapField<Message, StringCodec>(number: number, keyPath: keyPath))
    }
    /// `map<string, int32>`.
    public static func map(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [String: Int32]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: MapField<Message, Int32Codec>(number: number, keyPath: keyPath))
    }
    /// `map<string, int64>`.
    public static func map(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [String: Int64]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: MapField<Message, Int64Codec>(number: number, keyPath: keyPath))
    }
    /// `map<string, bool>`.
    public static func map(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [String: Bool]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: MapField<Message, BoolCodec>(number: number, keyPath: keyPath))
    }
    /// `map<string, double>`.
    public static func map(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [String: Double]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: MapField<Message, DoubleCodec>(number: number, keyPath: keyPath))
    }
}
