import BookingDomain
import BookingStore
import RPC
import Synchronization

/// `MAX_WATCH_CALL_STREAMS` [1000] and `MAX_WATCH_CALL_STREAMS_PER_CALLER` [10]: open WatchCall
/// streams (gRPC or server-sent events) in this process, in all and per signed-in user.
public struct CallWatchLimits: Sendable {
    public var total: Int
    public var perCaller: Int

    public init(total: Int, perCaller: Int) {
        self.total = total
        self.perCaller = perCaller
    }
}

/// Fans the process's one `CallChangeFeed` out to its WatchCall streams, by call id, and
/// bounds how many are open.
///
/// A watcher holds one `AsyncStream<Void>` that buffers at most one element: "the call may
/// have changed". However many notifications arrive while it reads, it reads once more, so its
/// memory stays constant and bursts coalesce. `.resynchronize` (the feed reconnected) wakes
/// every watcher.
final class CallWatchHub: Sendable {
    typealias Changes = AsyncStream<Void>

    private struct Watcher {
        let callID: CallID
        let caller: String
        let continuation: Changes.Continuation
    }

    private struct State {
        var watchers: [UInt64: Watcher] = [:]
        var byCall: [CallID: Set<UInt64>] = [:]
        var perCaller: [String: Int] = [:]
        var nextID: UInt64 = 0
        var shutDown = false
    }

    let limits: CallWatchLimits
    private let state = Mutex(State())

    init(limits: CallWatchLimits) {
        self.limits = limits
    }

    var openWatches: Int { self.state.withLock { $0.watchers.count } }

    /// From the feed's thread: wakes the watchers the change concerns. Never blocks.
    func receive(_ change: CallChangeFeed.Event) {
        self.state.withLock { state in
            switch change {
            case .changed(let callID):
                for id in state.byCall[callID] ?? [] { state.watchers[id]?.continuation.yield() }
            case .resynchronize:
                for watcher in state.watchers.values { watcher.continuation.yield() }
            case .interrupted:
                break  // the watchers are woken when the feed listens again
            }
        }
    }

    /// Runs `body` with the changes of `callID` while holding one of the caller's watches,
    /// released however it ends. The stream is registered before `body` runs, so a change
    /// committed after `body`'s first read is never missed; it ends at shutdown.
    /// RESOURCE_EXHAUSTED over a limit, UNAVAILABLE once shutting down.
    func withChanges(of callID: CallID, by caller: String, _ body: (Changes) async throws -> Void) async throws {
        let (changes, continuation) = Changes.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = try self.register(Watcher(callID: callID, caller: caller, continuation: continuation))
        defer { self.unregister(id) }
        try await body(changes)
    }

    /// Every watch ends (its stream finishes) and new ones are refused.
    func shutDown() {
        let continuations = self.state.withLock { state -> [Changes.Continuation] in
            state.shutDown = true
            return state.watchers.values.map(\.continuation)
        }
        for continuation in continuations { continuation.finish() }
    }

    private func register(_ watcher: Watcher) throws(RPCError) -> UInt64 {
        let outcome = self.state.withLock { state -> Result<UInt64, RPCError> in
            if state.shutDown { return .failure(RPCError(.unavailable, "the server is shutting down")) }
            guard state.watchers.count < self.limits.total else {
                return .failure(
                    RPCError(.resourceExhausted, "the server has \(self.limits.total) WatchCall streams open, its limit"))
            }
            let callerWatches = state.perCaller[watcher.caller, default: 0]
            guard callerWatches < self.limits.perCaller else {
                return .failure(
                    RPCError(.resourceExhausted, "you have \(self.limits.perCaller) WatchCall streams open, the limit per user"))
            }
            state.nextID &+= 1
            let id = state.nextID
            state.watchers[id] = watcher
            state.byCall[watcher.callID, default: []].insert(id)
            state.perCaller[watcher.caller] = callerWatches + 1
            return .success(id)
        }
        return try outcome.get()
    }

    private func unregister(_ id: UInt64) {
        let removed = self.state.withLock { state -> Watcher? in
            guard let watcher = state.watchers.removeValue(forKey: id) else { return nil }
            state.byCall[watcher.callID]?.remove(id)
            if state.byCall[watcher.callID]?.isEmpty == true { state.byCall[watcher.callID] = nil }
            let remaining = state.perCaller[watcher.caller, default: 1] - 1
            state.perCaller[watcher.caller] = remaining > 0 ? remaining : nil
            return watcher
        }
        removed?.continuation.finish()
    }
}
