public import Foundation

/// A job's row as enqueued: `kind` picks its handler, `payload` is a JSON object as text.
struct NewJob: Sendable, Hashable {
    var kind: String
    var payload: String
    var runAt: Date?
    var dedupeKey: String?

    init(kind: String, payload: String = "{}", runAt: Date? = nil, dedupeKey: String? = nil) {
        self.kind = kind
        self.payload = payload
        self.runAt = runAt
        self.dedupeKey = dedupeKey
    }
}

/// A job a worker holds until `complete` or `fail`, or until its lease ends.
public struct ClaimedJob: Sendable, Hashable {
    public let id: Int64
    public let kind: String
    public let payload: String
    /// This claim's number, from 1: the attempt being made now.
    public let attempt: Int
    /// Proves the claim: `complete` and `fail` change the row only while it still holds this
    /// token, so a worker whose lease ran out cannot overwrite the next worker's attempt.
    public let leaseToken: UUID
}

/// A job's row, for operators and tests.
public struct JobStatus: Sendable, Hashable {
    public enum State: String, Sendable {
        case pending, running, done, dead
    }
    public let id: Int64
    public let kind: String
    public let state: State
    public let attempts: Int
    public let runAt: Date
    public let lastError: String?
}

/// How long a failed job waits before its next attempt: `base · 2^(attempt − 1)`, capped, then
/// shortened by up to `jitter` (a fraction) so that jobs failing together do not retry together.
public struct JobBackoff: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration
    public var jitter: Double

    public init(base: Duration = .seconds(5), cap: Duration = .seconds(3600), jitter: Double = 0.2) {
        self.base = base
        self.cap = cap
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay after failed attempt `attempt` (1-based), before jitter.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let delay = self.base * (1 << exponent)
        return min(delay, self.cap)
    }

    func jittered(afterAttempt attempt: Int) -> Duration {
        self.delay(afterAttempt: attempt) * (1 - Double.random(in: 0...self.jitter))
    }
}
