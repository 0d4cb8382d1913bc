public import BookingStore
public import RPC

/// The one place where database failures become RPC statuses. A named refusal gets the message
/// a client can act on; everything else is logged by the RPC layer and not shown.
extension StoreError: RPCErrorConvertible {
    public var rpcError: RPCError {
        if let refusal = self.refusal { return refusal.rpcError(cause: self) }
        switch self.code {
        case .ruleViolation:
            return RPCError(.failedPrecondition, "a scheduling rule refused the change", cause: self)
        case .exclusionViolation:
            return RPCError(.invalidArgument, "overlapping ranges are not allowed", cause: self)
        case .uniqueViolation:
            return RPCError(.alreadyExists, "already exists", cause: self)
        case .checkViolation, .notNullViolation, .dataException, .foreignKeyViolation:
            return RPCError(.invalidArgument, "the request breaks a rule of the stored data", cause: self)
        case .serializationFailure, .deadlockDetected:
            return RPCError(.aborted, "the change collided with a concurrent one; retry", cause: self)
        case .queryCanceled:
            return RPCError(.unavailable, "the database did not answer in time", cause: self)
        case .connectionLost, .unavailable:
            return RPCError(.unavailable, "the database is unavailable", cause: self)
        default:
            return RPCError(.internal, "internal error", cause: self)
        }
    }
}

extension StoreRefusal {
    func rpcError(cause: StoreError) -> RPCError {
        switch self {
        case .expertBusy: RPCError(.alreadyExists, "the expert already has a call or hold at that time", cause: cause)
        case .slotHeld: RPCError(.failedPrecondition, "the slot is held by someone else", cause: cause)
        case .expertDayCap: RPCError(.failedPrecondition, "the expert's daily cap is reached", cause: cause)
        case .expertWeekCap: RPCError(.failedPrecondition, "the expert's weekly cap is reached", cause: cause)
        case .holdNotFound: RPCError(.notFound, "no such hold", cause: cause)
        case .holdUsed: RPCError(.failedPrecondition, "the hold was already released or booked", cause: cause)
        case .holdMismatch: RPCError(.failedPrecondition, "the hold is for another expert, customer or time", cause: cause)
        case .tooManyHolds:
            RPCError(.resourceExhausted, "you hold as many slots as you may (HOLDS_PER_CUSTOMER); release one first", cause: cause)
        case .duplicateExpertEmail: RPCError(.alreadyExists, "an expert with that email exists", cause: cause)
        case .duplicateExpertClerkUser: RPCError(.alreadyExists, "an expert with that clerk_user_id exists", cause: cause)
        case .duplicateExpertCalendlyUser:
            RPCError(.alreadyExists, "an expert with that calendly_user_uri exists", cause: cause)
        }
    }
}
