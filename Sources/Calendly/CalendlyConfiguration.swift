public import OutboundHTTP
public import Foundation

/// The `CALENDLY_*` settings (CONTRACT.md: configuration and "Settings").
public struct CalendlyConfiguration: Sendable, Equatable {
    /// `CALENDLY_API_KEY` (required): a personal access token, sent as a Bearer token.
    public var apiKey: String
    /// `CALENDLY_WEBHOOK_SECRET` (required): the subscription's signing key.
    public var webhookSecret: String
    /// `CALENDLY_BASE_URL` [`https://api.calendly.com`]: tests point it at a loopback fake.
    public var baseURL: URL
    /// `CALENDLY_SIGNATURE_TOLERANCE_SECONDS` [180].
    public var signatureTolerance: Duration
    /// `CALENDLY_TOPIC_QUESTION` [unset: the event name]: the booking question whose answer is
    /// the call's topic.
    public var topicQuestion: String?
    /// `CALENDLY_SYNC_INTERVAL_SECONDS` [900]: how often availability is synced.
    public var syncInterval: Duration

    /// Longest accepted tolerance: a window of hours would make replay protection meaningless.
    public static let maximumSignatureToleranceSeconds = 3600

    public init(
        apiKey: String, webhookSecret: String, baseURL: URL = CalendlyClient.defaultBaseURL,
        signatureTolerance: Duration = .seconds(180), topicQuestion: String? = nil, syncInterval: Duration = .seconds(900)
    ) {
        self.apiKey = apiKey
        self.webhookSecret = webhookSecret
        self.baseURL = baseURL
        self.signatureTolerance = signatureTolerance
        self.topicQuestion = topicQuestion
        self.syncInterval = syncInterval
    }

    /// Reads the settings; an empty value counts as unset, and every error names its variable
    /// (never its value, since two of them are secrets).
    public init(environment: [String: String]) throws(ProviderError) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        func required(_ name: String) throws(ProviderError) -> String {
            guard let text = value(name) else { throw ProviderError(.calendly, .invalidConfiguration, "\(name) is not set") }
            return text
        }
        func seconds(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(ProviderError) -> Duration {
            guard let text = value(name) else { return .seconds(fallback) }
            guard let number = Int(text), range.contains(number) else {
                throw ProviderError(.calendly, 
                    .invalidConfiguration,
                    "\(name) must be a whole number of seconds from \(range.lowerBound) to \(range.upperBound), not \(text.debugDescription)")
            }
            return .seconds(number)
        }

        var baseURL = CalendlyClient.defaultBaseURL
        if let text = value("CALENDLY_BASE_URL") {
            baseURL = try ProviderBaseURL.parse(text, variable: "CALENDLY_BASE_URL", provider: .calendly)
        }
        self.init(
            apiKey: try required("CALENDLY_API_KEY"),
            webhookSecret: try required("CALENDLY_WEBHOOK_SECRET"),
            baseURL: baseURL,
            signatureTolerance: try seconds(
                "CALENDLY_SIGNATURE_TOLERANCE_SECONDS", default: 180, range: 1...Self.maximumSignatureToleranceSeconds),
            topicQuestion: value("CALENDLY_TOPIC_QUESTION"),
            syncInterval: try seconds("CALENDLY_SYNC_INTERVAL_SECONDS", default: 900, range: 10...86_400))
    }
}
