public import Logging

/// Which framing a call arrived in. Handlers rarely care; metrics and logs do.
public enum WireProtocol: String, Sendable, CaseIterable {
    case grpc
    case grpcWeb = "grpc_web"
    case connect
    case rest

    /// A dense index, for tables with one slot per protocol.
    var index: Int {
        switch self {
        case .grpc: 0
        case .grpcWeb: 1
        case .connect: 2
        case .rest: 3
        }
    }
}

/// What a handler knows about the call besides its request message. (A struct on purpose:
/// as a class it cost an allocation and a cross-thread release per call, measured slower.)
public struct RPCContext: Sendable {
    public let method: MethodDescriptor
    public let metadata: RPCMetadata
    /// When the client stops waiting (`grpc-timeout`); the call is cancelled then.
    public let deadline: ContinuousClock.Instant?
    public let wireProtocol: WireProtocol
    /// The request's `x-request-id`: the client's, or one made for it (see `RequestID`).
    public let requestID: String
    /// The connection the request came on (`RequestHead.connectionID`), for per-connection limits.
    public let connectionID: UInt64
    private let serverLogger: Logger

    public init(
        method: MethodDescriptor, metadata: RPCMetadata, deadline: ContinuousClock.Instant?,
        wireProtocol: WireProtocol, logger: Logger, requestID: String = "", connectionID: UInt64 = 0
    ) {
        self.connectionID = connectionID
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.wireProtocol = wireProtocol
        self.serverLogger = logger
        self.requestID = requestID
    }

    /// The server's logger with this request's `request_id` and `method`; handlers add their
    /// own metadata. Made when asked for, so calls that log nothing pay nothing.
    public var logger: Logger {
        var logger = self.serverLogger
        logger[metadataKey: "request_id"] = "\(self.requestID)"
        logger[metadataKey: "method"] = "\(self.method)"
        return logger
    }

    /// The status a client gets for `error`. Errors that do not carry a status are logged
    /// here with their cause, since the client only sees UNKNOWN.
    func status(for error: any Error) -> RPCError {
        let status = RPCError(from: error)
        if status.code == .unknown || status.code == .internal {
            self.logger.error(
                "call failed", metadata: ["error": "\(status.cause.map { "\($0)" } ?? status.message)"])
        }
        return status
    }
}
