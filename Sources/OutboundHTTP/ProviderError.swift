/// Everything a provider's client or webhook verifier can refuse or fail at (Calendly, Stream,
/// Trigger.dev), as one type: an extensible `Reason` behind static lets, so a new reason breaks
/// no `switch` elsewhere, and one retry rule (`isRetryable`) for every job and caller.
///
/// `detail` is fixed text written by the client, plus at most a field or variable name or the
/// provider's own error message: never a key, a secret, a token or a signature.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Who answered (or failed to).
    public struct Provider: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { self.name }

        public static let calendly = Provider("Calendly")
        public static let stream = Provider("Stream")
        public static let triggerDev = Provider("Trigger.dev")
    }

    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case missingSignature, malformedSignature, staleSignature, signatureMismatch, apiKeyMismatch
            case unsupportedEncoding, malformedPayload
            case apiStatus, apiUnreachable, malformedResponse, invalidArgument, invalidConfiguration
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A webhook without its signature header, or an empty one.
        public static let missingSignature = Reason(.missingSignature)
        /// A signature header that cannot be read (no timestamp, not hex…).
        public static let malformedSignature = Reason(.malformedSignature)
        /// A signature too far from now: a replay, or a clock far off.
        public static let staleSignature = Reason(.staleSignature)
        /// The signature is not the body's under our key: wrong key or altered body.
        public static let signatureMismatch = Reason(.signatureMismatch)
        /// The webhook names another app's API key.
        public static let apiKeyMismatch = Reason(.apiKeyMismatch)
        /// A webhook body in a `Content-Encoding` that is not read (anything but identity and gzip).
        public static let unsupportedEncoding = Reason(.unsupportedEncoding)
        /// The (verified) body is not the documented shape.
        public static let malformedPayload = Reason(.malformedPayload)
        /// The API answered outside 2xx; `status` and the provider's message are kept.
        public static let apiStatus = Reason(.apiStatus)
        /// No HTTP response at all (DNS, connect, TLS, timeout).
        public static let apiUnreachable = Reason(.apiUnreachable)
        /// A 2xx whose body is not the documented shape.
        public static let malformedResponse = Reason(.malformedResponse)
        /// A caller passed something the client cannot send. Nothing was sent.
        public static let invalidArgument = Reason(.invalidArgument)
        /// A setting is missing or unreadable; `detail` starts with the variable's name.
        public static let invalidConfiguration = Reason(.invalidConfiguration)

        public var description: String { self.base.rawValue }
    }

    public var provider: Provider
    public var reason: Reason
    public var detail: String
    /// The HTTP status, for `apiStatus`.
    public var status: Int?
    /// The provider said retrying cannot help, whatever the status (Stream's `unrecoverable`).
    public var unrecoverable: Bool
    /// How long the provider asked us to wait before sending again (a 429's or 503's
    /// `Retry-After`, or the provider's own rate-limit reset header), read by the client that
    /// knows its provider's headers; nil when the answer said nothing.
    public var retryAfter: Duration?

    public init(
        _ provider: Provider, _ reason: Reason, _ detail: String, status: Int? = nil, unrecoverable: Bool = false,
        retryAfter: Duration? = nil
    ) {
        self.provider = provider
        self.reason = reason
        self.detail = detail
        self.status = status
        self.unrecoverable = unrecoverable
        self.retryAfter = retryAfter
    }

    /// The one retry rule: the same request may succeed later after no answer, a 408, a 429 or
    /// a 5xx, or a 2xx body that could not be read (requests carry idempotency keys, so sending
    /// again cannot do the work twice), unless the provider said it is unrecoverable. Anything
    /// else needs a change (of configuration, of the request) first.
    public var isRetryable: Bool {
        guard !self.unrecoverable else { return false }
        switch self.reason {
        case .apiUnreachable, .malformedResponse: return true
        case .apiStatus: return self.status.map(Self.isTransient(status:)) ?? false
        default: return false
        }
    }

    /// 408, 429 and 5xx: the provider could not take the request now.
    public static func isTransient(status: Int) -> Bool { status == 408 || status == 429 || status >= 500 }

    public var description: String {
        if let status { return "\(self.provider) error (\(self.reason), HTTP \(status)): \(self.detail)" }
        return "\(self.provider) error (\(self.reason)): \(self.detail)"
    }
}
