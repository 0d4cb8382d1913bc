extension RPCError.Code {
    /// The HTTP status of the contract's REST mapping (Google API conventions): one switch of
    /// literal numbers, easy to compare with the table in CONTRACT.md.
    public var httpStatus: Int {
        switch self.rawValue {
        case 0: return 200
        case 3, 9, 11: return 400  // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
        case 16: return 401  // UNAUTHENTICATED
        case 7: return 403  // PERMISSION_DENIED
        case 5: return 404  // NOT_FOUND
        case 6, 10: return 409  // ALREADY_EXISTS, ABORTED
        case 8: return 429  // RESOURCE_EXHAUSTED
        case 12: return 501  // UNIMPLEMENTED
        case 14: return 503  // UNAVAILABLE
        case 4: return 504  // DEADLINE_EXCEEDED
        default: return 500  // CANCELLED, UNKNOWN, INTERNAL, DATA_LOSS and anything else
        }
    }
}
