/// The one error of the domain layer.
///
/// Each case is named after the gRPC status the app answers with, so that the mapping in
/// `Errors+Status.swift` is a plain switch and stays the only place that knows about RPC.
/// The message is sent to the client as is: it names the field or rule at fault and never
/// carries internal detail (SQL, stack, provider responses).
public enum BookingError: Error, Hashable, Sendable {
    /// The request itself is malformed: a bad UUID, an unknown timezone, end before start.
    case invalidArgument(String)
    /// A named call, expert or hold does not exist (or is not visible to the caller).
    case notFound(String)
    /// The request is well formed but the current state forbids it: an illegal transition,
    /// a booking outside the expert's hours, no expert free.
    case failedPrecondition(String)
    /// The thing to create exists already, or the slot is taken by another call.
    case alreadyExists(String)
    /// The caller is known but may not do this.
    case permissionDenied(String)

    /// The client-facing text.
    public var message: String {
        switch self {
        case .invalidArgument(let message), .notFound(let message), .failedPrecondition(let message),
            .alreadyExists(let message), .permissionDenied(let message):
            return message
        }
    }
}

extension BookingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidArgument(let message): return "INVALID_ARGUMENT: \(message)"
        case .notFound(let message): return "NOT_FOUND: \(message)"
        case .failedPrecondition(let message): return "FAILED_PRECONDITION: \(message)"
        case .alreadyExists(let message): return "ALREADY_EXISTS: \(message)"
        case .permissionDenied(let message): return "PERMISSION_DENIED: \(message)"
        }
    }
}
