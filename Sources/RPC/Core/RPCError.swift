/// A failed RPC: a gRPC status code and a message for the client. The `cause` is for logs
/// only and never leaves the process.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// The canonical status codes (google/rpc/code.proto). A struct, not an enum, so that a
    /// code received from elsewhere is never unrepresentable.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let ok = Code(rawValue: 0)
        public static let cancelled = Code(rawValue: 1)
        public static let unknown = Code(rawValue: 2)
        public static let invalidArgument = Code(rawValue: 3)
        public static let deadlineExceeded = Code(rawValue: 4)
        public static let notFound = Code(rawValue: 5)
        public static let alreadyExists = Code(rawValue: 6)
        public static let permissionDenied = Code(rawValue: 7)
        public static let resourceExhausted = Code(rawValue: 8)
        public static let failedPrecondition = Code(rawValue: 9)
        public static let aborted = Code(rawValue: 10)
        public static let outOfRange = Code(rawValue: 11)
        public static let unimplemented = Code(rawValue: 12)
        public static let `internal` = Code(rawValue: 13)
        public static let unavailable = Code(rawValue: 14)
        public static let dataLoss = Code(rawValue: 15)
        public static let unauthenticated = Code(rawValue: 16)

        private static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
            "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
            "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED",
        ]

        public var description: String {
            Self.names.indices.contains(self.rawValue) ? Self.names[self.rawValue] : "CODE_\(self.rawValue)"
        }
    }

    public var code: Code
    public var message: String
    public var cause: (any Error)?
    /// Seconds after which trying again can succeed (a rate limit): REST answers it as
    /// `Retry-After`, gRPC as `retry-after` trailing metadata.
    public var retryAfterSeconds: Int?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(self.code): \(self.message)" }
}

/// Errors of other layers that know their status adopt this, so the mapping to RPC status
/// lives next to each error type rather than in a catch-all switch.
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}

extension RPCError {
    /// What a client is told about any error a handler throws. Errors that do not know their
    /// status become UNKNOWN without their text, which could leak internals.
    public init(from error: any Error) {
        switch error {
        case let error as RPCError: self = error
        case let error as any RPCErrorConvertible: self = error.rpcError
        case is CancellationError: self = RPCError(.cancelled, "the call was cancelled")
        default: self = RPCError(.unknown, "internal error", cause: error)
        }
    }
}
