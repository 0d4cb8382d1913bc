import OutboundHTTP
import Crypto
import Foundation
import Synchronization

/// The JWKS keys of one URL: a `JWKSCache` behind a lock, plus the fetch in flight.
///
/// A lock, not an actor (as the pool's state machine): the common case, a known `kid`, is one
/// dictionary read with no suspension. Concurrent lookups of an unknown `kid` share one fetch:
/// whoever finds no fetch in flight (and the interval passed) starts it as a `Task` stored here,
/// and everyone awaits that task. The task records its result in the cache itself, so the result
/// lands once even if every waiter is cancelled.
final class JWKSKeySource: Sendable {
    private struct State: Sendable {
        var cache: JWKSCache
        var inFlight: Task<Void, Never>?
    }

    private enum Step {
        case found(RSAPublicKey)
        case wait(Task<Void, Never>)
        case reject(AuthError)
    }

    let url: URL
    private let headers: [String: String]
    private let client: any HTTPClient
    private let state: Mutex<State>

    init(url: URL, headers: [String: String], client: any HTTPClient, minimumRefreshInterval: TimeInterval) {
        self.url = url
        self.headers = headers
        self.client = client
        self.state = Mutex(State(cache: JWKSCache(minimumRefreshInterval: minimumRefreshInterval)))
    }

    /// The key with this `kid`, fetching the JWKS first when the cache allows (see `JWKSCache`).
    func key(for kid: String, now: Date) async throws(AuthError) -> RSAPublicKey {
        let step = self.state.withLock { state -> Step in
            if let key = state.cache.key(for: kid) { return .found(key) }
            if let task = state.inFlight { return .wait(task) }
            switch state.cache.unknownKey(at: now) {
            case .reject(let error):
                return .reject(error)
            case .fetch:
                let task = Task { await self.fetch() }
                state.inFlight = task
                return .wait(task)
            }
        }
        switch step {
        case .found(let key):
            return key
        case .reject(let error):
            throw error
        case .wait(let task):
            await task.value
            let result: Result<RSAPublicKey, AuthError> = self.state.withLock { state in
                if let key = state.cache.key(for: kid) { return .success(key) }
                return .failure(state.cache.rejection)
            }
            return try result.get()
        }
    }

    /// One GET of the JWKS; records the outcome and clears `inFlight`. Any failure (no
    /// response, a status other than 200, a body that is not a usable JWKS) counts the same.
    private func fetch() async {
        var keys: [String: RSAPublicKey]? = nil
        if let response = try? await self.client.get(self.url, headers: self.headers), response.status == 200 {
            keys = JWKSDocument.keys(from: response.body)
        }
        self.state.withLock { state in
            if let keys {
                state.cache.fetchSucceeded(keys)
            } else {
                state.cache.fetchFailed()
            }
            state.inFlight = nil
        }
    }
}
