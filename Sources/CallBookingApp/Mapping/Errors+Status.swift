public import BookingDomain
public import RPC

/// The one place where the domain's errors become RPC statuses (STYLE.md "Errors").
extension BookingError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .invalidArgument(let message): RPCError(.invalidArgument, message)
        case .notFound(let message): RPCError(.notFound, message)
        case .failedPrecondition(let message): RPCError(.failedPrecondition, message)
        case .alreadyExists(let message): RPCError(.alreadyExists, message)
        case .permissionDenied(let message): RPCError(.permissionDenied, message)
        }
    }
}
