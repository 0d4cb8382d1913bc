public import ProtoWire

/// The answer to one `ServerReflectionRequest` (grpc.reflection.v1 and v1alpha alike).
public struct ServerReflectionResponse: ProtoMessage {
    /// The `message_response` oneof.
    public enum Answer: Sendable, Equatable {
        case fileDescriptorResponse(FileDescriptorResponse)
        case allExtensionNumbersResponse(ExtensionNumberResponse)
        case listServicesResponse(ListServiceResponse)
        case errorResponse(ErrorResponse)
    }

    public var validHost = ""
    public var originalRequest: ServerReflectionRequest?
    public var answer: Answer?

    public init() {}

    public static let protoName = "grpc.reflection.v1.ServerReflectionResponse"
    public static let schema: MessageSchema<ServerReflectionResponse> = [
        .string(1, "valid_host", \.validHost),
        .message(2, "original_request", \.originalRequest),
        .message(4, "file_descriptor_response", \.fileDescriptorResponse),
        .message(5, "all_extension_numbers_response", \.allExtensionNumbersResponse),
        .message(6, "list_services_response", \.listServicesResponse),
        .message(7, "error_response", \.errorResponse),
    ]

    // One optional view of the oneof per member, for the schema (see `assignOneofMember`).

    var fileDescriptorResponse: FileDescriptorResponse? {
        get { if case .fileDescriptorResponse(let value) = self.answer { value } else { nil } }
        set { assignOneofMember(newValue, as: Answer.fileDescriptorResponse, to: &self.answer, memberIsSet: self.fileDescriptorResponse != nil) }
    }

    var allExtensionNumbersResponse: ExtensionNumberResponse? {
        get { if case .allExtensionNumbersResponse(let value) = self.answer { value } else { nil } }
        set { assignOneofMember(newValue, as: Answer.allExtensionNumbersResponse, to: &self.answer, memberIsSet: self.allExtensionNumbersResponse != nil) }
    }

    var listServicesResponse: ListServiceResponse? {
        get { if case .listServicesResponse(let value) = self.answer { value } else { nil } }
        set { assignOneofMember(newValue, as: Answer.listServicesResponse, to: &self.answer, memberIsSet: self.listServicesResponse != nil) }
    }

    var errorResponse: ErrorResponse? {
        get { if case .errorResponse(let value) = self.answer { value } else { nil } }
        set { assignOneofMember(newValue, as: Answer.errorResponse, to: &self.answer, memberIsSet: self.errorResponse != nil) }
    }
}

/// Serialized `google.protobuf.FileDescriptorProto`s: the file asked for, then its imports.
public struct FileDescriptorResponse: ProtoMessage {
    public var fileDescriptorProto: [[UInt8]] = []

    public init() {}

    public static let protoName = "grpc.reflection.v1.FileDescriptorResponse"
    public static let schema: MessageSchema<FileDescriptorResponse> = [
        .bytes(1, "file_descriptor_proto", \.fileDescriptorProto),
    ]
}

/// The extension numbers of one message type.
public struct ExtensionNumberResponse: ProtoMessage {
    public var baseTypeName = ""
    public var extensionNumber: [Int32] = []

    public init() {}

    public static let protoName = "grpc.reflection.v1.ExtensionNumberResponse"
    public static let schema: MessageSchema<ExtensionNumberResponse> = [
        .string(1, "base_type_name", \.baseTypeName),
        .int32(2, "extension_number", \.extensionNumber),
    ]
}

/// Every service the server exposes.
public struct ListServiceResponse: ProtoMessage {
    public var service: [ServiceResponse] = []

    public init() {}

    public static let protoName = "grpc.reflection.v1.ListServiceResponse"
    public static let schema: MessageSchema<ListServiceResponse> = [
        .message(1, "service", \.service),
    ]
}

/// One service, by its fully-qualified name.
public struct ServiceResponse: ProtoMessage {
    public var name = ""

    public init() {}

    public init(name: String) {
        self.name = name
    }

    public static let protoName = "grpc.reflection.v1.ServiceResponse"
    public static let schema: MessageSchema<ServiceResponse> = [
        .string(1, "name", \.name),
    ]
}

/// Why a request could not be answered: a gRPC status code and a message.
public struct ErrorResponse: ProtoMessage {
    public var errorCode: Int32 = 0
    public var errorMessage = ""

    public init() {}

    public static let protoName = "grpc.reflection.v1.ErrorResponse"
    public static let schema: MessageSchema<ErrorResponse> = [
        .int32(1, "error_code", \.errorCode),
        .string(2, "error_message", \.errorMessage),
    ]
}
