// The scalar field factories. Each proto scalar type has three overloads, chosen by the key
// path's value type: `T` (implicit presence), `T?` (proto3 `optional`) and `[T]` (repeated;
// packed for numeric types). Swift types: int32/sint32/sfixed32 → Int32, int64/sint64/sfixed64 →
// Int64, uint32/fixed32 → UInt32, uint64/fixed64 → UInt64, bytes → [UInt8].

extension ProtoField {
    public static func int32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int32>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, Int32Codec>(number: number, keyPath: keyPath))
    }
    public static func int32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int32?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, Int32Codec>(number: number, keyPath: keyPath))
    }
    public static func int32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [Int32]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, Int32Codec>(number: number, keyPath: keyPath))
    }

    public static func int64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int64>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, Int64Codec>(number: number, keyPath: keyPath))
    }
    public static func int64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int64?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, Int64Codec>(number: number, keyPath: keyPath))
    }
    public static func int64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [Int64]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, Int64Codec>(number: number, keyPath: keyPath))
    }

    public static func uint32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, UInt32>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, UInt32Codec>(number: number, keyPath: keyPath))
    }
    public static func uint32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, UInt32?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, UInt32Codec>(number: number, keyPath: keyPath))
    }
    public static func uint32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [UInt32]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, UInt32Codec>(number: number, keyPath: keyPath))
    }

    public static func uint64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, UInt64>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, UInt64Codec>(number: number, keyPath: keyPath))
    }
    public static func uint64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, UInt64?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, UInt64Codec>(number: number, keyPath: keyPath))
    }
    public static func uint64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [UInt64]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, UInt64Codec>(number: number, keyPath: keyPath))
    }

    public static func sint32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int32>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, SInt32Codec>(number: number, keyPath: keyPath))
    }
    public static func sint32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int32?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, SInt32Codec>(number: number, keyPath: keyPath))
    }
    public static func sint32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [Int32]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, SInt32Codec>(number: number, keyPath: keyPath))
    }

    public static func sint64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int64>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, SInt64Codec>(number: number, keyPath: keyPath))
    }
    public static func sint64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int64?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, SInt64Codec>(number: number, keyPath: keyPath))
    }
    public static func sint64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [Int64]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, SInt64Codec>(number: number, keyPath: keyPath))
    }

    public static func fixed32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, UInt32>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, Fixed32Codec>(number: number, keyPath: keyPath))
    }
    public static func fixed32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, UInt32?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, Fixed32Codec>(number: number, keyPath: keyPath))
    }
    public static func fixed32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [UInt32]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, Fixed32Codec>(number: number, keyPath: keyPath))
    }

    public static func fixed64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, UInt64>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, Fixed64Codec>(number: number, keyPath: keyPath))
    }
    public static func fixed64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, UInt64?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, Fixed64Codec>(number: number, keyPath: keyPath))
    }
    public static func fixed64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [UInt64]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, Fixed64Codec>(number: number, keyPath: keyPath))
    }

    public static func sfixed32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int32>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, SFixed32Codec>(number: number, keyPath: keyPath))
    }
    public static func sfixed32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int32?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, SFixed32Codec>(number: number, keyPath: keyPath))
    }
    public static func sfixed32(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [Int32]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, SFixed32Codec>(number: number, keyPath: keyPath))
    }

    public static func sfixed64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int64>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, SFixed64Codec>(number: number, keyPath: keyPath))
    }
    public static func sfixed64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Int64?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, SFixed64Codec>(number: number, keyPath: keyPath))
    }
    public static func sfixed64(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [Int64]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, SFixed64Codec>(number: number, keyPath: keyPath))
    }

    public static func float(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Float>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, FloatCodec>(number: number, keyPath: keyPath))
    }
    public static func float(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Float?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, FloatCodec>(number: number, keyPath: keyPath))
    }
    public static func float(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [Float]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, FloatCodec>(number: number, keyPath: keyPath))
    }

    public static func double(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Double>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, DoubleCodec>(number: number, keyPath: keyPath))
    }
    public static func double(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Double?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, DoubleCodec>(number: number, keyPath: keyPath))
    }
    public static func double(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [Double]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, DoubleCodec>(number: number, keyPath: keyPath))
    }

    public static func bool(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Bool>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, BoolCodec>(number: number, keyPath: keyPath))
    }
    public static func bool(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, Bool?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, BoolCodec>(number: number, keyPath: keyPath))
    }
    public static func bool(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [Bool]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, BoolCodec>(number: number, keyPath: keyPath))
    }

    public static func string(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, String>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, StringCodec>(number: number, keyPath: keyPath))
    }
    public static func string(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, String?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, StringCodec>(number: number, keyPath: keyPath))
    }
    public static func string(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [String]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, StringCodec>(number: number, keyPath: keyPath))
    }

    public static func bytes(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [UInt8]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: SingularField<Message, BytesCodec>(number: number, keyPath: keyPath))
    }
    public static func bytes(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [UInt8]?>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: OptionalField<Message, BytesCodec>(number: number, keyPath: keyPath))
    }
    public static func bytes(_ number: Int, _ name: String, _ keyPath: FieldKeyPath<Message, [[UInt8]]>, jsonName: String? = nil) -> Self {
        Self(number: number, name: name, jsonName: jsonName, coding: RepeatedField<Message, BytesCodec>(number: number, keyPath: keyPath))
    }
}
