/// Everything the Trigger.dev target can refuse or fail at, as one type (like `CalendlyError`):
/// an extensible `Reason` behind static lets, so a new reason breaks no `switch` elsewhere.
///
/// `isRetryable` is what a job worker needs: a trigger carries an idempotency key, so sending
/// it again after a timeout, a 5xx or a 429 can never queue a second run. `detail` is text
/// written here plus at most a variable name or Trigger.dev's own `error` message: it never
/// quotes the secret key.
public struct TriggerDevError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration, invalidArgument, rejected, unavailable, unreachable, malformedResponse
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A `TRIGGER_*` or lifecycle setting is unreadable; `detail` names the variable.
        public static let invalidConfiguration = Reason(.invalidConfiguration)
        /// The caller passed something the API cannot take (a task id that is not a path
        /// segment, more than 10 tags…). Nothing was sent.
        public static let invalidArgument = Reason(.invalidArgument)
        /// A 4xx other than 408 and 429: a wrong key (401), an unknown task or run (404), a
        /// body the API refused (400, 422). Sending it again gives the same answer.
        public static let rejected = Reason(.rejected)
        /// 408, 429 or 5xx: the API could not take it now; try again later.
        public static let unavailable = Reason(.unavailable)
        /// No HTTP response at all (refused, DNS, timeout, TLS). The run may or may not exist.
        public static let unreachable = Reason(.unreachable)
        /// A 2xx whose body is not `{"id": "run_…"}`. The run probably exists; retrying with
        /// the same idempotency key returns it.
        public static let malformedResponse = Reason(.malformedResponse)

        public var description: String { self.base.rawValue }
    }

    public var reason: Reason
    public var detail: String
    /// The HTTP status, for `rejected` and `unavailable`.
    public var status: Int?

    public init(_ reason: Reason, _ detail: String, status: Int? = nil) {
        self.reason = reason
        self.detail = detail
        self.status = status
    }

    /// Whether the same request may succeed later: `unavailable`, `unreachable` and
    /// `malformedResponse`. The others need a change (of configuration or of the call) first.
    public var isRetryable: Bool {
        self.reason == .unavailable || self.reason == .unreachable || self.reason == .malformedResponse
    }

    public var description: String {
        if let status { return "TriggerDevError(\(self.reason), HTTP \(status)): \(self.detail)" }
        return "TriggerDevError(\(self.reason)): \(self.detail)"
    }
}
