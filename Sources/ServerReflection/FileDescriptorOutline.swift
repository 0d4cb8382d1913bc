import ProtoWire

// The parts of google/protobuf/descriptor.proto that name things, decoded with ProtoWire to
// index the files reflection serves. Every other field (options, types, source info) is
// skipped as unknown; the files are served as the bytes protoc wrote, never re-encoded.

/// `FileDescriptorProto`: a .proto file's path, package, imports and top-level definitions.
struct FileDescriptorOutline: ProtoMessage {
    var name = ""
    var package = ""
    var dependencies: [String] = []
    var messages: [MessageOutline] = []
    var enums: [EnumOutline] = []
    var services: [ServiceOutline] = []
    var extensions: [FieldOutline] = []

    static let protoName = "google.protobuf.FileDescriptorProto"
    static let schema: MessageSchema<FileDescriptorOutline> = [
        .string(1, "name", \.name),
        .string(2, "package", \.package),
        .string(3, "dependency", \.dependencies),
        .message(4, "message_type", \.messages),
        .message(5, "enum_type", \.enums),
        .message(6, "service", \.services),
        .message(7, "extension", \.extensions),
    ]
}

/// `DescriptorProto`: a message, with what is declared inside it.
struct MessageOutline: ProtoMessage {
    var name = ""
    var fields: [FieldOutline] = []
    var nestedMessages: [MessageOutline] = []
    var enums: [EnumOutline] = []
    var extensions: [FieldOutline] = []
    var oneofs: [NamedOutline] = []

    static let protoName = "google.protobuf.DescriptorProto"
    static let schema: MessageSchema<MessageOutline> = [
        .string(1, "name", \.name),
        .message(2, "field", \.fields),
        .message(3, "nested_type", \.nestedMessages),
        .message(4, "enum_type", \.enums),
        .message(6, "extension", \.extensions),
        .message(8, "oneof_decl", \.oneofs),
    ]
}

/// `FieldDescriptorProto`: a field, or an extension (which names the message it extends).
struct FieldOutline: ProtoMessage {
    var name = ""
    /// Fully qualified with a leading dot (`.google.protobuf.MethodOptions`); extensions only.
    var extendee = ""
    var number: Int32 = 0

    static let protoName = "google.protobuf.FieldDescriptorProto"
    static let schema: MessageSchema<FieldOutline> = [
        .string(1, "name", \.name),
        .string(2, "extendee", \.extendee),
        .int32(3, "number", \.number),
    ]
}

/// `EnumDescriptorProto`.
struct EnumOutline: ProtoMessage {
    var name = ""
    var values: [NamedOutline] = []

    static let protoName = "google.protobuf.EnumDescriptorProto"
    static let schema: MessageSchema<EnumOutline> = [
        .string(1, "name", \.name),
        .message(2, "value", \.values),
    ]
}

/// `ServiceDescriptorProto`.
struct ServiceOutline: ProtoMessage {
    var name = ""
    var methods: [NamedOutline] = []

    static let protoName = "google.protobuf.ServiceDescriptorProto"
    static let schema: MessageSchema<ServiceOutline> = [
        .string(1, "name", \.name),
        .message(2, "method", \.methods),
    ]
}

/// Any descriptor read for its name alone: a method, an enum value, a oneof (each has its
/// name in field 1).
struct NamedOutline: ProtoMessage {
    var name = ""

    static let protoName = "google.protobuf.NamedDescriptor"
    static let schema: MessageSchema<NamedOutline> = [
        .string(1, "name", \.name),
    ]
}
