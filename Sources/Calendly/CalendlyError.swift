/// Everything the Calendly target can refuse or fail at, as one type (like Clerk's `AuthError`):
/// an extensible `Reason` behind static lets, so a new reason breaks no `switch` elsewhere.
///
/// The app maps the signature reasons to 401, `malformedPayload` to 400, and the API reasons to
/// its own retry or 502-style handling. `detail` is fixed text written here, plus at most a field
/// name or Calendly's own error message: it never quotes the signing key, the API key or a MAC.
public struct CalendlyError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case missingSignature, malformedSignature, staleSignature, signatureMismatch
            case malformedPayload
            case apiStatus, apiUnreachable, malformedResponse, invalidArgument, invalidConfiguration
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No `Calendly-Webhook-Signature` header, or an empty one.
        public static let missingSignature = Reason(.missingSignature)
        /// The header has no usable `t` (digits) or no usable `v1` (64 hex digits), or two `t`s.
        public static let malformedSignature = Reason(.malformedSignature)
        /// `|now − t|` is over the tolerance: a replay, or a clock far off.
        public static let staleSignature = Reason(.staleSignature)
        /// No `v1` equals HMAC-SHA256(key, "<t>.<body>"): wrong key or altered body.
        public static let signatureMismatch = Reason(.signatureMismatch)
        /// The (verified) body is not JSON, or lacks a required field, or one has the wrong type.
        public static let malformedPayload = Reason(.malformedPayload)
        /// The API answered outside 2xx; `status` and Calendly's `message` are kept.
        public static let apiStatus = Reason(.apiStatus)
        /// No HTTP response at all (DNS, connect, timeout).
        public static let apiUnreachable = Reason(.apiUnreachable)
        /// A 2xx whose body is not the documented shape.
        public static let malformedResponse = Reason(.malformedResponse)
        /// A caller passed something the client cannot send (an event URI without a UUID, an
        /// empty signing key, an end before its start).
        public static let invalidArgument = Reason(.invalidArgument)
        /// A `CALENDLY_*` setting is missing or unreadable; `detail` names the variable.
        public static let invalidConfiguration = Reason(.invalidConfiguration)

        public var description: String { self.base.rawValue }
    }

    public var reason: Reason
    public var detail: String
    /// The HTTP status, for `apiStatus`.
    public var status: Int?

    public init(_ reason: Reason, _ detail: String, status: Int? = nil) {
        self.reason = reason
        self.detail = detail
        self.status = status
    }

    public var description: String {
        if let status { return "CalendlyError(\(self.reason), HTTP \(status)): \(self.detail)" }
        return "CalendlyError(\(self.reason)): \(self.detail)"
    }
}
