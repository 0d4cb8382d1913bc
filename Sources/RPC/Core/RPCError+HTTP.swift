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

extension RPCError.Code {
    /// The code a REST endpoint's HTTP status stands for, so that webhooks and health are
    /// counted with the same `code` label as RPCs: the table above read backwards (400 is
    /// INVALID_ARGUMENT, 409 ALREADY_EXISTS), other 2xx/3xx OK, other 4xx FAILED_PRECONDITION,
    /// other 5xx INTERNAL.
    public init(httpStatus: Int) {
        switch httpStatus {
        case 200..<400: self = .ok
        case 400: self = .invalidArgument
        case 401: self = .unauthenticated
        case 403: self = .permissionDenied
        case 404: self = .notFound
        case 405: self = .unimplemented
        case 409: self = .alreadyExists
        case 413, 429: self = .resourceExhausted
        case 501: self = .unimplemented
        case 503: self = .unavailable
        case 504: self = .deadlineExceeded
        case 400..<500: self = .failedPrecondition
        default: self = .internal
        }
    }
}
