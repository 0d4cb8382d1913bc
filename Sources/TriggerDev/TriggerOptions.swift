import OutboundHTTP
public import Foundation

/// The `options` of a trigger request that the booking service uses (providers.md §6; the
/// API's `TriggerTaskRequestBody.options`). Unset fields are left out of the JSON.
public struct TriggerOptions: Sendable, Hashable {
    /// Runs with the same key (per task and environment) are one run: the API answers with the
    /// existing run's id. Trigger.dev keeps a key for 30 days, also after the run was cancelled,
    /// so a key must name everything that makes a delivery distinct (see `ReminderPlan`).
    public var idempotencyKey: String?
    /// When the run may start: sent as an ISO 8601 UTC date-time, the form that does not
    /// depend on when the request arrives. The run waits in `DELAYED` until then.
    public var delay: Date?
    /// A run not started within this long is expired and never runs; sent as whole seconds
    /// (at least 1).
    public var ttl: Duration?
    /// At most 10 tags of under 128 characters each, for filtering runs in the dashboard.
    public var tags: [String]

    public static let maximumTags = 10
    public static let maximumTagLength = 127

    public init(idempotencyKey: String? = nil, delay: Date? = nil, ttl: Duration? = nil, tags: [String] = []) {
        self.idempotencyKey = idempotencyKey
        self.delay = delay
        self.ttl = ttl
        self.tags = tags
    }

    /// Refuses what the API would answer 400 to, before anything is sent.
    func validated() throws(ProviderError) -> Wire {
        guard self.tags.count <= Self.maximumTags else {
            throw ProviderError(.triggerDev, .invalidArgument, "a run takes at most \(Self.maximumTags) tags, got \(self.tags.count)")
        }
        if let long = self.tags.first(where: { $0.count > Self.maximumTagLength || $0.isEmpty }) {
            throw ProviderError(.triggerDev, .invalidArgument, "a tag must have 1 to \(Self.maximumTagLength) characters, got \(long.count)")
        }
        if let key = self.idempotencyKey, key.isEmpty {
            throw ProviderError(.triggerDev, .invalidArgument, "an idempotency key must not be empty")
        }
        var ttlSeconds: Int64?
        if let ttl = self.ttl {
            let seconds = ttl.components.seconds
            guard seconds >= 1 else { throw ProviderError(.triggerDev, .invalidArgument, "ttl must be at least one second") }
            ttlSeconds = seconds
        }
        return Wire(
            idempotencyKey: self.idempotencyKey,
            delay: self.delay.map { $0.formatted(Self.delayFormat) },
            ttl: ttlSeconds,
            tags: self.tags.isEmpty ? nil : self.tags)
    }

    /// "2030-01-06T09:00:00Z": whole seconds, UTC.
    private static let delayFormat = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    /// The JSON object; `nil` fields are omitted by the synthesized `Encodable`.
    struct Wire: Encodable, Sendable {
        var idempotencyKey: String?
        var delay: String?
        var ttl: Int64?
        var tags: [String]?
    }
}

/// A run the API created, or found by its idempotency key.
public struct TriggeredRun: Sendable, Hashable {
    /// `run_…`: what `cancel(runID:)` takes.
    public var id: String
    /// `true` when the idempotency key named an existing run and nothing new was queued.
    public var isCached: Bool

    public init(id: String, isCached: Bool) {
        self.id = id
        self.isCached = isCached
    }
}

/// What `cancel(runID:)` found.
public enum RunCancellation: Sendable, Hashable {
    /// The run is cancelled now, or had already finished (the API then does nothing).
    case cancelled
    /// The API knows no such run in this environment (404): nothing will be delivered by it.
    case notFound
}
