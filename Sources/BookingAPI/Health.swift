public import ProtoWire

// grpc.health.v1, the standard health-checking protocol (proto/grpc/health/v1/health.proto).

public struct HealthCheckRequest: ProtoMessage {
    /// The fully-qualified service name, or "" for the whole server.
    public var service = ""

    public init() {}

    public static let protoName = "grpc.health.v1.HealthCheckRequest"
    public static let schema: MessageSchema<HealthCheckRequest> = [
        .string(1, "service", \.service),
    ]
}

public struct HealthCheckResponse: ProtoMessage {
    /// Whether the service is able to take requests.
    public struct ServingStatus: ProtoEnum {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let unknown = ServingStatus(rawValue: 0)
        public static let serving = ServingStatus(rawValue: 1)
        public static let notServing = ServingStatus(rawValue: 2)
        /// Only used by Watch, for a service the server does not know.
        public static let serviceUnknown = ServingStatus(rawValue: 3)

        public static let protoName = "grpc.health.v1.HealthCheckResponse.ServingStatus"
        public static let names: ProtoEnumNames = [0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"]
    }

    public var status = ServingStatus.unknown

    public init() {}

    public init(status: ServingStatus) {
        self.status = status
    }

    public static let protoName = "grpc.health.v1.HealthCheckResponse"
    public static let schema: MessageSchema<HealthCheckResponse> = [
        .enum(1, "status", \.status),
    ]
}

public struct HealthListRequest: ProtoMessage {
    public init() {}

    public static let protoName = "grpc.health.v1.HealthListRequest"
    public static let schema: MessageSchema<HealthListRequest> = []
}

public struct HealthListResponse: ProtoMessage {
    /// Every registered service (and "") with its status.
    public var statuses: [String: HealthCheckResponse] = [:]

    public init() {}

    public static let protoName = "grpc.health.v1.HealthListResponse"
    public static let schema: MessageSchema<HealthListResponse> = [
        .map(1, "statuses", \.statuses),
    ]
}
