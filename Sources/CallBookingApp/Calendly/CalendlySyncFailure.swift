import OutboundHTTP
import Calendly
import RPC

/// Why one expert's sync failed. The expert's stored availability is then untouched (the sync
/// writes nothing until everything was fetched and checked). `message` is safe to log and to
/// show an admin: it never holds the API key, and database details stay in the log.
struct CalendlySyncFailure: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        /// No answer, a 429 or a 5xx: worth trying again later.
        case calendlyUnavailable
        /// Calendly refused (401, 403, 404 for an unknown user…) or answered what we cannot read.
        case calendlyRefused
        /// A schedule we cannot turn into hours (no default, unknown zone, over the limits).
        case unusableSchedule
        /// The expert has no `calendly_user_uri` (any more).
        case notLinked
        /// The database failed; the cause is logged, not shown.
        case database
    }

    let kind: Kind
    let message: String
    /// Calendly's rate limit was hit (429) and it said when it resets: the sync may wait this
    /// long and try the expert again.
    let rateLimitReset: Duration?

    init(_ kind: Kind, _ message: String, rateLimitReset: Duration? = nil) {
        self.kind = kind
        self.message = message
        self.rateLimitReset = rateLimitReset
    }

    init(_ error: ProviderError) {
        switch error.reason {
        case .apiUnreachable: self.init(.calendlyUnavailable, error.detail)
        case .apiStatus where error.isRetryable:
            self.init(
                .calendlyUnavailable, "Calendly answered HTTP \(error.status ?? 0): \(error.detail)",
                rateLimitReset: error.status == 429 ? error.retryAfter : nil)
        case .apiStatus: self.init(.calendlyRefused, "Calendly answered HTTP \(error.status ?? 0): \(error.detail)")
        default: self.init(.calendlyRefused, error.detail)
        }
    }

    var description: String { self.message }

    /// The status a caller of the on-demand sync gets for one expert.
    var rpcError: RPCError {
        switch self.kind {
        case .calendlyUnavailable:
            RPCError(
                .unavailable, "Calendly sync failed: \(self.message)",
                retryAfterSeconds: self.rateLimitReset.map { Int($0.components.seconds) + ($0.components.attoseconds > 0 ? 1 : 0) })
        case .calendlyRefused, .unusableSchedule, .notLinked:
            RPCError(.failedPrecondition, "Calendly sync failed: \(self.message)")
        case .database: RPCError(.unavailable, "Calendly sync failed: \(self.message)")
        }
    }
}
