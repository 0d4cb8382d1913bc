import Crypto
import Foundation

/// The JWKS keys we hold and when we last asked for them: a state machine with time passed in,
/// no I/O. `JWKSKeySource` runs it behind a lock and performs the fetches it asks for.
///
/// Refetch policy (providers.md 5.3: "refetch when an unknown kid shows up"): a lookup of an
/// unknown `kid` may start a fetch only when none was started within the minimum interval; the
/// first lookup ever always may. A successful fetch replaces every key (rotated-out keys go); a
/// failed one keeps what we had, since a stale key is still Clerk's key.
struct JWKSCache: Sendable {
    enum OnUnknownKey: Equatable {
        /// Fetch now, then look again.
        case fetch
        /// Too soon after the last fetch: refuse, with the reason the last fetch left behind.
        case reject(AuthError)
    }

    private(set) var keys: [String: RSAPublicKey] = [:]
    private(set) var lastFetchStarted: Date?
    private(set) var lastFetchFailed = false
    let minimumRefreshInterval: TimeInterval

    init(minimumRefreshInterval: TimeInterval) {
        self.minimumRefreshInterval = minimumRefreshInterval
    }

    func key(for kid: String) -> RSAPublicKey? { self.keys[kid] }

    /// Called when `kid` is not in `keys` and no fetch is under way.
    mutating func unknownKey(at now: Date) -> OnUnknownKey {
        if let last = self.lastFetchStarted, now.timeIntervalSince(last) < self.minimumRefreshInterval {
            return .reject(self.rejection)
        }
        self.lastFetchStarted = now
        return .fetch
    }

    mutating func fetchSucceeded(_ keys: [String: RSAPublicKey]) {
        self.keys = keys
        self.lastFetchFailed = false
    }

    mutating func fetchFailed() {
        self.lastFetchFailed = true
    }

    /// For a `kid` still unknown after the latest fetch.
    var rejection: AuthError {
        self.lastFetchFailed
            ? AuthError(.keySourceUnavailable, "the JWKS could not be fetched")
            : AuthError(.unknownKey, "no JWKS key has the token's kid")
    }
}
