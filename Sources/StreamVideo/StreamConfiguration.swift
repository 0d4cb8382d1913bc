public import OutboundHTTP
public import Foundation

/// The `STREAM_*` settings (CONTRACT.md: configuration and "Settings").
public struct StreamConfiguration: Sendable, Equatable {
    /// `https://chat.stream-io-api.com`: the one host Stream's current server SDKs (stream-py's
    /// `BASE_URL`) send every product to, `/api/v2/video/…` and `/api/v2/chat/…` alike. Rooms
    /// need both (a call and its chat channel); `video.stream-io-api.com`, the host of the
    /// video docs' curl examples, is documented for video paths only.
    public static let defaultBaseURL = URL(string: "https://chat.stream-io-api.com")!

    /// `STREAM_API_KEY` (required): public, sent with every API call and in every token answer.
    public var apiKey: String
    /// `STREAM_SECRET_KEY` (required): signs user and server tokens and webhooks. Never logged.
    public var secret: String
    /// `STREAM_BASE_URL` [`https://chat.stream-io-api.com`]: tests point it at a loopback fake.
    public var baseURL: URL
    /// `STREAM_CALL_TYPE` [`default`]: the call type every room is created with.
    public var callType: String
    /// `STREAM_TOKEN_GRACE_MINUTES` [60]: a call token expires this long after the scheduled end.
    public var tokenGrace: Duration
    /// `STREAM_WEBHOOK_TOLERANCE_SECONDS` [300]: how far a delivery's `created_at` may be from
    /// now. The signature covers the body forever; this bounds how long a captured one can be
    /// replayed, beyond the delivery keys that `RETENTION_DAYS` keeps.
    public var webhookTolerance: Duration

    /// The largest tolerance: a year, for replaying a backlog by hand; anything more is a typo.
    public static let maximumWebhookToleranceSeconds = 31_536_000

    public init(
        apiKey: String, secret: String, baseURL: URL = StreamConfiguration.defaultBaseURL, callType: String = "default",
        tokenGrace: Duration = .seconds(3600), webhookTolerance: Duration = .seconds(300)
    ) {
        self.apiKey = apiKey
        self.secret = secret
        self.baseURL = baseURL
        self.callType = callType
        self.tokenGrace = tokenGrace
        self.webhookTolerance = webhookTolerance
    }

    /// Reads the settings; an empty value counts as unset, and every error's detail starts
    /// with its variable's name (never its value, since the secret is one of them).
    public init(environment: [String: String]) throws(ProviderError) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        func required(_ name: String) throws(ProviderError) -> String {
            guard let text = value(name) else { throw ProviderError(.stream, .invalidConfiguration, "\(name) is not set") }
            return text
        }
        var baseURL = Self.defaultBaseURL
        if let text = value("STREAM_BASE_URL") {
            baseURL = try ProviderBaseURL.parse(text, variable: "STREAM_BASE_URL", provider: .stream)
        }
        let callType = value("STREAM_CALL_TYPE") ?? "default"
        guard StreamIdentifier.isValid(callType) else {
            throw ProviderError(.stream, 
                .invalidConfiguration, "STREAM_CALL_TYPE must be letters, digits, - or _ (at most 64), not \(callType.debugDescription)")
        }
        var grace = 60
        if let text = value("STREAM_TOKEN_GRACE_MINUTES") {
            guard let minutes = Int(text), (0...10_080).contains(minutes) else {
                throw ProviderError(.stream, 
                    .invalidConfiguration, "STREAM_TOKEN_GRACE_MINUTES must be a whole number from 0 to 10080, not \(text.debugDescription)")
            }
            grace = minutes
        }
        var tolerance = 300
        if let text = value("STREAM_WEBHOOK_TOLERANCE_SECONDS") {
            guard let seconds = Int(text), (1...Self.maximumWebhookToleranceSeconds).contains(seconds) else {
                throw ProviderError(.stream, .invalidConfiguration,
                    "STREAM_WEBHOOK_TOLERANCE_SECONDS must be a whole number from 1 to \(Self.maximumWebhookToleranceSeconds), not \(text.debugDescription)")
            }
            tolerance = seconds
        }
        self.init(
            apiKey: try required("STREAM_API_KEY"), secret: try required("STREAM_SECRET_KEY"), baseURL: baseURL,
            callType: callType, tokenGrace: .seconds(60 * grace), webhookTolerance: .seconds(tolerance))
    }
}

/// Call types, call ids and user ids as Stream accepts them in paths and cids.
public enum StreamIdentifier {
    /// Letters, digits, `-` and `_`, 1 to 64 of them: what Stream allows for call ids and types,
    /// and nothing that needs escaping in a URL path or splits a cid (`type:id`).
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }
}
