public import ProtoWire

// grpc.reflection.v1 (proto/grpc/reflection/v1/reflection.proto). grpc.reflection.v1alpha has
// the same messages and field numbers under another package, so one codec serves both: the
// `protoName`s here are v1's, and neither name ever reaches the wire.

/// One question about the server's services and their .proto files.
public struct ServerReflectionRequest: ProtoMessage {
    /// The `message_request` oneof: at most one question per request.
    public enum Question: Sendable, Equatable {
        case fileByFilename(String)
        case fileContainingSymbol(String)
        case fileContainingExtension(ExtensionRequest)
        case allExtensionNumbersOfType(String)
        /// The value is ignored.
        case listServices(String)
    }

    public var host = ""
    public var question: Question?

    public init() {}

    public static let protoName = "grpc.reflection.v1.ServerReflectionRequest"
    public static let schema: MessageSchema<ServerReflectionRequest> = [
        .string(1, "host", \.host),
        .string(3, "file_by_filename", \.fileByFilename),
        .string(4, "file_containing_symbol", \.fileContainingSymbol),
        .message(5, "file_containing_extension", \.fileContainingExtension),
        .string(6, "all_extension_numbers_of_type", \.allExtensionNumbersOfType),
        .string(7, "list_services", \.listServices),
    ]

    // One optional view of the oneof per member, for the schema (see `assignOneofMember`).

    var fileByFilename: String? {
        get { if case .fileByFilename(let value) = self.question { value } else { nil } }
        set { assignOneofMember(newValue, as: Question.fileByFilename, to: &self.question, memberIsSet: self.fileByFilename != nil) }
    }

    var fileContainingSymbol: String? {
        get { if case .fileContainingSymbol(let value) = self.question { value } else { nil } }
        set { assignOneofMember(newValue, as: Question.fileContainingSymbol, to: &self.question, memberIsSet: self.fileContainingSymbol != nil) }
    }

    var fileContainingExtension: ExtensionRequest? {
        get { if case .fileContainingExtension(let value) = self.question { value } else { nil } }
        set { assignOneofMember(newValue, as: Question.fileContainingExtension, to: &self.question, memberIsSet: self.fileContainingExtension != nil) }
    }

    var allExtensionNumbersOfType: String? {
        get { if case .allExtensionNumbersOfType(let value) = self.question { value } else { nil } }
        set { assignOneofMember(newValue, as: Question.allExtensionNumbersOfType, to: &self.question, memberIsSet: self.allExtensionNumbersOfType != nil) }
    }

    var listServices: String? {
        get { if case .listServices(let value) = self.question { value } else { nil } }
        set { assignOneofMember(newValue, as: Question.listServices, to: &self.question, memberIsSet: self.listServices != nil) }
    }
}

/// An extension of `containingType` with number `extensionNumber`.
public struct ExtensionRequest: ProtoMessage {
    public var containingType = ""
    public var extensionNumber: Int32 = 0

    public init() {}

    public static let protoName = "grpc.reflection.v1.ExtensionRequest"
    public static let schema: MessageSchema<ExtensionRequest> = [
        .string(1, "containing_type", \.containingType),
        .int32(2, "extension_number", \.extensionNumber),
    ]
}
