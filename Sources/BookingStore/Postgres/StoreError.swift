/// The one error type of the store layer, as postgres-nio's `PSQLError`: a struct with an
/// extensible `Code` (a private enum behind static lets), so adding a code breaks no `switch`
/// outside this module. It conforms to nothing from RPC: `CallBookingApp/Errors+Status.swift`
/// maps codes to statuses in one place (unique and exclusion violations → ALREADY_EXISTS,
/// serialization failure → ABORTED once retries are spent, unavailable/connection lost →
/// UNAVAILABLE, query cancelled → DEADLINE_EXCEEDED).
///
/// `message`, `detail` and `constraint` come from the server and are for logs: they may quote
/// row values, so the app never sends them to a client.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case uniqueViolation, exclusionViolation, checkViolation, foreignKeyViolation
            case notNullViolation, dataException
            case serializationFailure, deadlockDetected
            case queryCanceled, connectionLost, unavailable
            case ruleViolation
            case unexpectedResult, other
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// 23505: a UNIQUE constraint or index (email, request id, Calendly invitee…).
        public static let uniqueViolation = Code(.uniqueViolation)
        /// 23P01: an EXCLUDE constraint, e.g. `calls_expert_no_overlap` (double booking).
        public static let exclusionViolation = Code(.exclusionViolation)
        /// 23514: a CHECK constraint (start before end, known state…).
        public static let checkViolation = Code(.checkViolation)
        /// 23503: a row names a parent that does not exist (unknown expert id…).
        public static let foreignKeyViolation = Code(.foreignKeyViolation)
        /// 23502.
        public static let notNullViolation = Code(.notNullViolation)
        /// SQLSTATE class 22 (malformed uuid, out-of-range number…), or a parameter the server
        /// cannot receive (text with a NUL byte): the input was bad, not the store.
        public static let dataException = Code(.dataException)
        /// 40001. `PGPool.withTransaction` retries these before giving up.
        public static let serializationFailure = Code(.serializationFailure)
        /// 40P01. Retried like a serialization failure.
        public static let deadlockDetected = Code(.deadlockDetected)
        /// 57014: `statement_timeout` fired (or the statement was cancelled).
        public static let queryCanceled = Code(.queryCanceled)
        /// SQLSTATE class CB, raised by this schema's own triggers: a scheduling rule the database
        /// enforces refused the write, named by `constraint` (`expert_day_cap`,
        /// `expert_week_cap`, `slot_held`), or a hold that cannot be converted (`hold_not_found`,
        /// `hold_released`, `hold_converted`, `hold_mismatch`, raised by `CallRepository`). The
        /// app answers FAILED_PRECONDITION naming the rule.
        public static let ruleViolation = Code(.ruleViolation)
        /// The connection died under a statement (server restart, terminated backend, network).
        /// The statement may or may not have run.
        public static let connectionLost = Code(.connectionLost)
        /// No connection could be had: the server refused or timed out, the pool had none free
        /// within its lease timeout, or the pool is shut down. Nothing ran.
        public static let unavailable = Code(.unavailable)
        /// The server answered something this code cannot read (a NULL where a value must be, a
        /// column that is missing, text that is not the type asked for).
        public static let unexpectedResult = Code(.unexpectedResult)
        /// Any other SQLSTATE; look at `sqlState`.
        public static let other = Code(.other)

        public var description: String { self.base.rawValue }
    }

    public var code: Code
    /// The five-character SQLSTATE when the server sent one.
    public var sqlState: String?
    /// The primary message (libpq's or the server's).
    public var message: String
    /// The server's DETAIL, for logs (it may quote row values).
    public var detail: String?
    /// The violated constraint's name for 23xxx errors, so callers can tell which unique key hit.
    public var constraint: String?

    public init(
        code: Code, sqlState: String? = nil, message: String, detail: String? = nil,
        constraint: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    /// Serialization failures and deadlocks succeed when the whole transaction runs again.
    public var isRetryableTransactionFailure: Bool {
        self.code == .serializationFailure || self.code == .deadlockDetected
    }

    public var description: String {
        var text = "StoreError(\(self.code)"
        if let sqlState { text += ", \(sqlState)" }
        text += "): \(self.message)"
        if let constraint { text += " [constraint \(constraint)]" }
        return text
    }

    /// The code for a server SQLSTATE. Class 08 (connection exception) and the 57P0x shutdown
    /// states mean the connection is gone.
    static func code(forSQLState state: String) -> Code {
        switch state {
        case "23505": return .uniqueViolation
        case "23P01": return .exclusionViolation
        case "23514": return .checkViolation
        case "23503": return .foreignKeyViolation
        case "23502": return .notNullViolation
        case "40001": return .serializationFailure
        case "40P01": return .deadlockDetected
        case "57014": return .queryCanceled
        case "57P01", "57P02", "57P03": return .connectionLost
        default:
            if state.hasPrefix("08") { return .connectionLost }
            if state.hasPrefix("22") { return .dataException }
            if state.hasPrefix("CB") { return .ruleViolation }
            return .other
        }
    }
}

extension StoreError {
    static func unavailable(_ message: String) -> StoreError {
        StoreError(code: .unavailable, message: message)
    }

    static func unexpectedResult(_ message: String) -> StoreError {
        StoreError(code: .unexpectedResult, message: message)
    }

    /// A rule refusal raised in Swift, shaped like the ones the schema's triggers raise.
    static func rule(_ name: String, _ message: String) -> StoreError {
        StoreError(code: .ruleViolation, sqlState: "CB001", message: message, constraint: name)
    }
}
