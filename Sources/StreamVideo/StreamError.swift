/// Everything the StreamVideo target can refuse or fail at, as one type (like `CalendlyError`):
/// an extensible `Reason` behind static lets, so a new reason breaks no `switch` elsewhere.
///
/// `detail` is fixed text written here, plus at most a field name or Stream's own error
/// message: it never quotes the API secret, a token or a signature.
public struct StreamError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case missingSignature, signatureMismatch, apiKeyMismatch, compressedPayload, malformedPayload
            case apiStatus, apiUnreachable, malformedResponse, invalidArgument, invalidConfiguration
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No `X-Signature` header, or not 64 hex digits.
        public static let missingSignature = Reason(.missingSignature)
        /// `X-Signature` is not HMAC-SHA256(secret, body): wrong secret or altered body.
        public static let signatureMismatch = Reason(.signatureMismatch)
        /// `X-Api-Key` is absent or another app's key.
        public static let apiKeyMismatch = Reason(.apiKeyMismatch)
        /// `Content-Encoding: gzip` (the app's webhook compression is on): not accepted.
        public static let compressedPayload = Reason(.compressedPayload)
        /// The (verified) body is not a JSON object with a string `type`, or a field the event
        /// needs is missing or has the wrong type.
        public static let malformedPayload = Reason(.malformedPayload)
        /// The API answered outside 2xx; `status`, Stream's `message` and `unrecoverable` are kept.
        public static let apiStatus = Reason(.apiStatus)
        /// No HTTP response at all (DNS, connect, timeout).
        public static let apiUnreachable = Reason(.apiUnreachable)
        /// A 2xx whose body is not the documented shape.
        public static let malformedResponse = Reason(.malformedResponse)
        /// A caller passed something the client cannot send (an id Stream would refuse…).
        public static let invalidArgument = Reason(.invalidArgument)
        /// A `STREAM_*` setting is missing or unreadable; `detail` starts with the variable.
        public static let invalidConfiguration = Reason(.invalidConfiguration)

        public var description: String { self.base.rawValue }
    }

    public var reason: Reason
    public var detail: String
    /// The HTTP status, for `apiStatus`.
    public var status: Int?
    /// Stream's `unrecoverable: true` (or a 4xx other than 408/429): retrying cannot help.
    public var isPermanent: Bool

    public init(_ reason: Reason, _ detail: String, status: Int? = nil, isPermanent: Bool = false) {
        self.reason = reason
        self.detail = detail
        self.status = status
        self.isPermanent = isPermanent
    }

    public var description: String {
        if let status { return "StreamError(\(self.reason), HTTP \(status)): \(self.detail)" }
        return "StreamError(\(self.reason)): \(self.detail)"
    }
}
