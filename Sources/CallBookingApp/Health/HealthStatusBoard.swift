import BookingAPI
import Synchronization

/// The serving status of each service, as `grpc.health.v1.Health` reports it, and the
/// watchers waiting for changes. Exact names only; `""` stands for the whole server.
final class HealthStatusBoard: Sendable {
    typealias Status = HealthCheckResponse.ServingStatus

    private struct Watcher {
        let service: String
        let continuation: AsyncStream<Status>.Continuation
    }

    private struct State {
        var statuses: [String: Status]
        var watchers: [UInt64: Watcher] = [:]
        var nextWatcherID: UInt64 = 0
        var shutDown = false
        var databaseUp = true
    }

    private let state: Mutex<State>

    init(services: [String]) {
        self.state = Mutex(State(statuses: Dictionary(uniqueKeysWithValues: services.map { ($0, .serving) })))
    }

    /// Nil for a service the server does not know (Check answers NOT_FOUND).
    func status(of service: String) -> Status? {
        self.state.withLock { $0.statuses[service] }
    }

    var allStatuses: [String: Status] { self.state.withLock { $0.statuses } }

    var isShutDown: Bool { self.state.withLock { $0.shutDown } }
    var databaseUp: Bool { self.state.withLock { $0.databaseUp } }

    /// The database probe's verdict: every service goes NOT_SERVING while PostgreSQL is down.
    func setDatabase(up: Bool) {
        let changed = self.state.withLock { state -> Bool in
            defer { state.databaseUp = up }
            return state.databaseUp != up
        }
        guard changed else { return }
        self.set(up ? .serving : .notServing, for: Array(self.allStatuses.keys))
    }

    /// Changes the status of known services and tells their watchers; repeats are not sent.
    func set(_ status: Status, for services: [String]) {
        self.state.withLock { state in
            guard !state.shutDown else { return }
            for service in services where state.statuses[service] != nil && state.statuses[service] != status {
                state.statuses[service] = status
                for watcher in state.watchers.values where watcher.service == service {
                    watcher.continuation.yield(status)
                }
            }
        }
    }

    /// The current status at once, then every change; SERVICE_UNKNOWN (and an open stream)
    /// for a service the server does not know. Ends at shutdown.
    func updates(for service: String) -> AsyncStream<Status> {
        let (stream, continuation) = AsyncStream.makeStream(of: Status.self, bufferingPolicy: .bufferingNewest(1))
        let id = self.state.withLock { state -> UInt64? in
            continuation.yield(state.statuses[service] ?? .serviceUnknown)
            if state.shutDown {
                continuation.finish()
                return nil
            }
            state.nextWatcherID &+= 1
            state.watchers[state.nextWatcherID] = Watcher(service: service, continuation: continuation)
            return state.nextWatcherID
        }
        if let id {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    /// Every service becomes NOT_SERVING, watchers are told so, and their streams end.
    func shutDown() {
        let watchers = self.state.withLock { state -> [Watcher] in
            state.shutDown = true
            for service in state.statuses.keys { state.statuses[service] = .notServing }
            defer { state.watchers.removeAll() }
            return Array(state.watchers.values)
        }
        for watcher in watchers {
            watcher.continuation.yield(.notServing)
            watcher.continuation.finish()
        }
    }
}
