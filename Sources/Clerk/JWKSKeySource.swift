import OutboundHTTP
import Crypto
import Foundation
import Synchronization

/// The JWKS keys of one URL: a `JWKSCache` behind a lock, plus the fetch in flight.
///
/// A lock, not an actor (as the pool's state machine): the common case, a fresh key for the
/// `kid`, is one dictionary read with no suspension. Concurrent lookups share one fetch: the
/// lookup the cache tells to fetch (or to use a held key and refresh) starts it as a `Task`
/// stored here, and every lookup told to fetch or wait awaits that task. The task records its result in the cache itself, so the
/// result lands once even if every waiter is cancelled.
final class JWKSKeySource: Sendable {
    private struct State: Sendable {
        var cache: JWKSCache
        var inFlight: Task<Void, Never>?
    }

    private enum Step {
        case answer(Result<RSAPublicKey, AuthError>)
        case wait(Task<Void, Never>)
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

    /// The key with this `kid`, fetching the JWKS first when the cache asks (see `JWKSCache`).
    func key(for kid: String, now: Date) async throws(AuthError) -> RSAPublicKey {
        let step = self.state.withLock { state -> Step in
            switch state.cache.lookup(kid, at: now) {
            case .use(let key):
                return .answer(.success(key))
            case .useAndRefresh(let key):
                state.inFlight = Task { await self.fetch() }
                return .answer(.success(key))
            case .reject(let error):
                return .answer(.failure(error))
            case .fetch:
                let task = Task { await self.fetch() }
                state.inFlight = task
                return .wait(task)
            case .wait:
                // Always set: the cache's fetch in flight and `inFlight` change together.
                guard let task = state.inFlight else { return .answer(state.cache.held(kid, at: now)) }
                return .wait(task)
            }
        }
        switch step {
        case .answer(let result):
            return try result.get()
        case .wait(let task):
            await task.value
            return try self.state.withLock { $0.cache.held(kid, at: now) }.get()
        }
    }

    /// One GET of the JWKS; records the outcome and clears `inFlight`. Any failure (no
    /// response, a status other than 200, a body that is not a usable JWKS) counts the same.
    private func fetch() async {
        var fetched: (keys: [String: RSAPublicKey], statedLifetime: TimeInterval?)?
        if let response = try? await self.client.get(self.url, headers: self.headers), response.status == 200,
           let keys = JWKSDocument.keys(from: response.body)
        {
            fetched = (keys, response.statedFreshnessLifetime)
        }
        self.state.withLock { state in
            if let fetched {
                state.cache.fetchSucceeded(fetched.keys, statedLifetime: fetched.statedLifetime)
            } else {
                state.cache.fetchFailed()
            }
            state.inFlight = nil
        }
    }
}
