public import BookingStore
public import RPC

/// The one place where database failures become RPC statuses. Constraint names pick the
/// message a client can act on; everything else is logged by the RPC layer and not shown.
extension StoreError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self.code {
        case .ruleViolation:
            switch self.constraint {
            case "expert_day_cap": return RPCError(.failedPrecondition, "the expert's daily cap is reached", cause: self)
            case "expert_week_cap": return RPCError(.failedPrecondition, "the expert's weekly cap is reached", cause: self)
            case "slot_held": return RPCError(.failedPrecondition, "the slot is held by someone else", cause: self)
            case "hold_not_found": return RPCError(.notFound, "no such hold", cause: self)
            case "hold_released", "hold_converted":
                return RPCError(.failedPrecondition, "the hold was already released or booked", cause: self)
            case "hold_mismatch":
                return RPCError(.failedPrecondition, "the hold is for another expert, customer or time", cause: self)
            default: return RPCError(.failedPrecondition, "a scheduling rule refused the change", cause: self)
            }
        case .exclusionViolation:
            switch self.constraint {
            case "calls_expert_no_overlap", "expert_occupancy_no_overlap":
                return RPCError(.alreadyExists, "the expert already has a call or hold at that time", cause: self)
            default:
                return RPCError(.invalidArgument, "overlapping ranges are not allowed", cause: self)
            }
        case .uniqueViolation:
            switch self.constraint {
            case "experts_email_key": return RPCError(.alreadyExists, "an expert with that email exists", cause: self)
            case "experts_clerk_user_id_key":
                return RPCError(.alreadyExists, "an expert with that clerk_user_id exists", cause: self)
            case "experts_calendly_user_uri_key":
                return RPCError(.alreadyExists, "an expert with that calendly_user_uri exists", cause: self)
            default: return RPCError(.alreadyExists, "already exists", cause: self)
            }
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
