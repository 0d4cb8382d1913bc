import Transport

/// The protocols that frame each message with gRPC's 5-byte prefix and differ only in their
/// headers and in where the status goes: gRPC (HTTP/2 trailers), gRPC-Web (a last frame in
/// the body, `GRPCWebResponseSink`) and Connect streaming (an end-of-stream message,
/// `ConnectStreamResponseSink`). One request handler serves all three.
enum FramedDialect: Sendable {
    case grpc
    case grpcWeb
    case connect

    var wireProtocol: WireProtocol {
        switch self {
        case .grpc: .grpc
        case .grpcWeb: .grpcWeb
        case .connect: .connect
        }
    }

    /// The header naming how flagged messages are compressed.
    var messageEncodingHeader: String {
        self == .connect ? "connect-content-encoding" : "grpc-encoding"
    }

    /// The client's deadline: `grpc-timeout`, or Connect's `connect-timeout-ms` (at most ten
    /// digits). Nil without one; throws for a malformed value.
    func timeout(_ headers: HTTPFields) throws(RPCError) -> Duration? {
        switch self {
        case .grpc, .grpcWeb:
            guard let text = headers["grpc-timeout"] else { return nil }
            guard let duration = GRPCTimeout.parse(text) else {
                throw RPCError(.internal, "malformed grpc-timeout: \(ClientText.quoted(text))")
            }
            return duration
        case .connect:
            guard let text = headers["connect-timeout-ms"] else { return nil }
            guard (1...10).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }),
                let milliseconds = Int64(text)
            else {
                throw RPCError(.invalidArgument, "malformed connect-timeout-ms: \(ClientText.quoted(text))")
            }
            return .milliseconds(milliseconds)
        }
    }
}
