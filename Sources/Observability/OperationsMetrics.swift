import CoreMetrics

/// The service's own metrics besides RPCs, one function per event, so that the code reporting
/// an event names it once and the names live here (and in the README's alerting guide).
/// Everything goes through swift-metrics: without a bootstrapped backend it costs nothing.
///
/// Labels take values from small fixed sets (providers, outcomes, reasons, job kinds): never an
/// id, an email or an error message, which would mint one series per value.
public enum OperationsMetrics {
    public static let webhookDeliveries = "webhook_deliveries_total"
    public static let callTokenErrors = "call_token_errors_total"
    public static let sessionTokenRejections = "session_token_rejections_total"
    public static let jobQueueDepth = "job_queue_depth"
    public static let jobFailures = "job_failures_total"
    public static let jobDeadLetters = "job_dead_letters_total"
    public static let callsBooked = "calls_booked_total"
    public static let callsFinished = "calls_finished_total"
    public static let callDuration = "call_duration_seconds"

    /// Buckets of `call_duration_seconds`: consultations last minutes to hours, far beyond the
    /// RPC latency buckets every other duration uses.
    public static let callDurationBuckets: [Duration] = [
        .seconds(60), .seconds(300), .seconds(600), .seconds(900), .seconds(1200), .seconds(1800), .seconds(2700),
        .seconds(3600), .seconds(5400), .seconds(7200), .seconds(10800), .seconds(14400),
    ]

    /// What became of one webhook delivery.
    public enum WebhookOutcome: String, Sendable, CaseIterable {
        /// Verified, stored and its effect committed.
        case applied
        /// Already seen (the delivery ledger's duplicate); acknowledged without effect.
        case duplicate
        /// Verified but of a type we do not act on; acknowledged.
        case ignored
        /// Bad or missing signature, stale timestamp: refused (401/400).
        case rejected
        /// Verified but unreadable (malformed JSON, missing fields): refused (400).
        case invalid
        /// Our failure (database down, a bug): answered 5xx so the provider retries.
        case failed
    }

    /// `webhook_deliveries_total{provider, outcome}`; provider `calendly` or `stream`.
    public static func webhookProcessed(provider: String, outcome: WebhookOutcome) {
        Counter(label: Self.webhookDeliveries, dimensions: [("provider", provider), ("outcome", outcome.rawValue)])
            .increment()
    }

    /// `call_token_errors_total{reason}`: a video call token could not be issued
    /// (reason e.g. `signing`, `provider_unavailable`, `provider_error`).
    public static func callTokenFailed(reason: String) {
        Counter(label: Self.callTokenErrors, dimensions: [("reason", reason)]).increment()
    }

    /// `session_token_rejections_total{reason}`: a Clerk session token was refused (expired,
    /// bad signature, …). Some are normal; a jump means a key or clock problem.
    public static func sessionTokenRejected(reason: String) {
        Counter(label: Self.sessionTokenRejections, dimensions: [("reason", reason)]).increment()
    }

    /// `job_queue_depth{state}`: jobs waiting (`pending`), running, or dead (`dead`), as the
    /// job worker last counted them.
    public static func jobQueueDepth(_ depth: Int, state: String = "pending") {
        Gauge(label: Self.jobQueueDepth, dimensions: [("state", state)]).record(depth)
    }

    /// `job_failures_total{kind}` for every failed attempt, and `job_dead_letters_total{kind}`
    /// too when the job has used up its attempts (`JOB_MAX_ATTEMPTS`) and stops being retried.
    public static func jobFailed(kind: String, deadLettered: Bool) {
        Counter(label: Self.jobFailures, dimensions: [("kind", kind)]).increment()
        if deadLettered { Counter(label: Self.jobDeadLetters, dimensions: [("kind", kind)]).increment() }
    }

    /// `calls_booked_total{source}`: a call was booked (`api` or `calendly`), counted once its
    /// transaction committed.
    public static func callBooked(source: String) {
        Counter(label: Self.callsBooked, dimensions: [("source", source)]).increment()
    }

    /// `calls_finished_total{state, no_show_party}`: a live call ended in `completed`,
    /// `cancelled` or `no_show`; `no_show_party` is `customer`, `expert` or `both` for a no-show
    /// and `none` otherwise.
    public static func callFinished(state: String, noShowParty: String) {
        Counter(label: Self.callsFinished, dimensions: [("state", state), ("no_show_party", noShowParty)]).increment()
    }

    /// `call_duration_seconds`: how long a completed call's session lasted, from its start to
    /// its end (`callDurationBuckets`).
    public static func callLasted(seconds: Double) {
        Timer(label: Self.callDuration).recordSeconds(seconds)
    }
}
