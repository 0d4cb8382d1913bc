import Crypto
import Foundation

/// The JWKS keys we hold, until when we trust them, and when we last asked for them: a state
/// machine with time passed in, no I/O. `JWKSKeySource` runs it behind a lock and performs the
/// fetches it asks for.
///
/// **Expiry by age.** A fetched JWKS is trusted for the lifetime its answer states
/// (`Cache-Control: max-age` less `Age`), else for `defaultLifetime`, never less than the
/// minimum refresh interval (`no-cache`, `no-store` and `max-age=0` get that floor, so the JWKS
/// is not fetched per token) and never more than `maximumLifetime`. Once that has passed, the
/// next lookup waits for a refetch before it trusts any key, and a successful fetch replaces
/// every key: a key Clerk has removed (rotated out or revoked) stops verifying within the
/// lifetime, without a restart. Meanwhile a `kid` we hold keeps verifying with its key while
/// the refetch runs (`useAndRefresh`): only a token whose key we lack waits for the network,
/// so a replica's sign-ins do not stall once per lifetime.
///
/// **Unknown `kid`** (providers.md 5.3): a lookup of a `kid` we do not hold refetches too.
/// Whatever the reason, at most one fetch starts per minimum interval (the first ever always
/// may), and lookups that arrive while it runs wait for it rather than start another.
///
/// **A failed refetch** (no answer, a status other than 200, no usable key) keeps the keys we
/// had: they stay in use for up to `staleGrace` past their expiry, with a new attempt at most
/// once per minimum interval, so a short outage at Clerk or in our egress does not sign every
/// user out. Past the grace every token is refused (`keySourceUnavailable`) until a fetch
/// succeeds: keys nobody has vouched for in that long are not trusted. The price, bounded by
/// the grace: whoever can block our fetches keeps a removed key alive that much longer.
struct JWKSCache: Sendable {
    enum OnLookup: Equatable {
        /// A key we trust now.
        case use(RSAPublicKey)
        /// The key we hold (expired, within the grace): use it, and start a fetch without
        /// waiting for it.
        case useAndRefresh(RSAPublicKey)
        /// Start a fetch, then ask `held(_:at:)`.
        case fetch
        /// A fetch is under way: wait for it, then ask `held(_:at:)`.
        case wait
        case reject(AuthError)

        static func == (lhs: OnLookup, rhs: OnLookup) -> Bool {
            switch (lhs, rhs) {
            case (.use(let a), .use(let b)), (.useAndRefresh(let a), .useAndRefresh(let b)): a === b
            case (.fetch, .fetch), (.wait, .wait): true
            case (.reject(let a), .reject(let b)): a == b
            default: false
            }
        }
    }

    /// Without a stated lifetime: an hour, so a removed key goes within the hour.
    static let defaultLifetime: TimeInterval = 3600
    /// A stated lifetime longer than a day is cut to a day.
    static let maximumLifetime: TimeInterval = 86_400
    /// How long expired keys stay in use while refetches fail.
    static let defaultStaleGrace: TimeInterval = 3600

    private(set) var keys: [String: RSAPublicKey] = [:]
    /// When the keys stop being fresh; nil until a fetch has succeeded.
    private(set) var expiresAt: Date?
    private(set) var lastFetchStarted: Date?
    private(set) var lastFetchFailed = false
    /// A fetch started (at `lastFetchStarted`) and its outcome not recorded yet.
    private var fetchInFlight = false
    let minimumRefreshInterval: TimeInterval
    let staleGrace: TimeInterval

    init(minimumRefreshInterval: TimeInterval, staleGrace: TimeInterval = Self.defaultStaleGrace) {
        self.minimumRefreshInterval = minimumRefreshInterval
        self.staleGrace = staleGrace
    }

    /// Called for every token with a `kid`.
    mutating func lookup(_ kid: String, at now: Date) -> OnLookup {
        if let expiresAt = self.expiresAt, now < expiresAt, let key = self.keys[kid] {
            return .use(key)
        }
        let held = self.held(kid, at: now)
        if self.fetchInFlight {
            if case .success(let key) = held { return .use(key) }
            return .wait
        }
        if let last = self.lastFetchStarted, now.timeIntervalSince(last) < self.minimumRefreshInterval {
            return OnLookup(held)
        }
        self.lastFetchStarted = now
        self.fetchInFlight = true
        if case .success(let key) = held { return .useAndRefresh(key) }
        return .fetch
    }

    /// What the keys we hold answer, without fetching: after a fetch, or when none may start.
    /// An expired key still serves within the grace (its fetch just failed, or may not be
    /// retried yet).
    func held(_ kid: String, at now: Date) -> Result<RSAPublicKey, AuthError> {
        if let expiresAt = self.expiresAt, now >= expiresAt.addingTimeInterval(self.staleGrace) {
            return .failure(AuthError(.keySourceUnavailable, "the JWKS could not be refreshed and the keys held are too old"))
        }
        guard let key = self.keys[kid] else { return .failure(self.rejection) }
        return .success(key)
    }

    /// The fetch asked for answered `keys`, fresh for `statedLifetime` seconds from when it
    /// started (nil: the answer stated none).
    mutating func fetchSucceeded(_ keys: [String: RSAPublicKey], statedLifetime: TimeInterval?) {
        guard self.fetchInFlight, let startedAt = self.lastFetchStarted else { return }
        let lifetime = min(max(statedLifetime ?? Self.defaultLifetime, self.minimumRefreshInterval), Self.maximumLifetime)
        self.keys = keys
        self.expiresAt = startedAt.addingTimeInterval(lifetime)
        self.lastFetchFailed = false
        self.fetchInFlight = false
    }

    /// The fetch asked for failed: the keys we had stay, with their expiry.
    mutating func fetchFailed() {
        guard self.fetchInFlight else { return }
        self.lastFetchFailed = true
        self.fetchInFlight = false
    }

    /// For a `kid` we do not hold after the latest fetch.
    private var rejection: AuthError {
        self.lastFetchFailed
            ? AuthError(.keySourceUnavailable, "the JWKS could not be fetched")
            : AuthError(.unknownKey, "no JWKS key has the token's kid")
    }
}

extension JWKSCache.OnLookup {
    init(_ held: Result<RSAPublicKey, AuthError>) {
        switch held {
        case .success(let key): self = .use(key)
        case .failure(let error): self = .reject(error)
        }
    }
}
