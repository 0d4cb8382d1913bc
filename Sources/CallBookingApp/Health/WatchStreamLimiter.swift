import RPC
import Synchronization

/// `MAX_WATCH_STREAMS` and `MAX_WATCH_STREAMS_PER_CONNECTION`.
public struct WatchLimits: Sendable {
    public var total: Int
    public var perConnection: Int

    public init(total: Int, perConnection: Int) {
        self.total = total
        self.perConnection = perConnection
    }
}

/// Bounds open streams of one kind (health `Watch`, server reflection), per connection and in
/// all. Anyone may open one without a token, each holding a task and what it subscribes to or
/// has queued; over a limit the call ends RESOURCE_EXHAUSTED at once.
final class WatchStreamLimiter: Sendable {
    private struct State {
        var total = 0
        var perConnection: [UInt64: Int] = [:]
    }

    let limits: WatchLimits
    /// What the streams are, for refusals: "Watch", "reflection".
    private let kind: String
    private let state = Mutex(State())

    init(limits: WatchLimits, kind: String = "Watch") {
        self.limits = limits
        self.kind = kind
    }

    var openStreams: Int { self.state.withLock { $0.total } }

    /// Runs `body` while holding one of the streams, released however it ends.
    func withStream(on connection: UInt64, _ body: () async throws -> Void) async throws {
        try self.acquire(connection)
        defer { self.release(connection) }
        try await body()
    }

    private func acquire(_ connection: UInt64) throws(RPCError) {
        let refusal = self.state.withLock { state -> String? in
            guard state.total < self.limits.total else {
                return "the server has \(self.limits.total) \(self.kind) streams open, its limit"
            }
            let onConnection = state.perConnection[connection, default: 0]
            guard onConnection < self.limits.perConnection else {
                return "this connection has \(self.limits.perConnection) \(self.kind) streams open, its limit"
            }
            state.total += 1
            state.perConnection[connection] = onConnection + 1
            return nil
        }
        if let refusal { throw RPCError(.resourceExhausted, refusal) }
    }

    private func release(_ connection: UInt64) {
        self.state.withLock { state in
            state.total -= 1
            let remaining = state.perConnection[connection, default: 1] - 1
            state.perConnection[connection] = remaining > 0 ? remaining : nil
        }
    }
}
