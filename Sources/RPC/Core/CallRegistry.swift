import Synchronization
import Transport

/// Counts the calls whose handlers are running, so that shutdown can wait for them, and tells
/// each call's connection when its work starts and ends (`ResponseWriter.workStarted`), so a
/// connection's limits count handlers still running for requests the client abandoned. Calls
/// are cancelled through their connections (a closed connection cancels its requests), so
/// this needs no per-call bookkeeping: an atomic counter on every call's path.
public final class CallRegistry: Sendable {
    private let running = Atomic<Int>(0)

    public init() {}

    public var count: Int { self.running.load(ordering: .relaxed) }

    /// Runs `body` in a new task, counted (here and on the request's connection) until it
    /// returns. On the connection's event loop.
    func start(for writer: ResponseWriter, _ body: sending @escaping @isolated(any) () async -> Void) -> Task<Void, Never> {
        self.enter(writer)
        return Task(executorPreference: EventLoopTaskExecutor.current) {
            await body()
            self.leave(writer)
        }
    }

    /// Counts a call that the caller runs itself; it must call `leave(_:)` exactly once.
    /// (The hot gRPC path uses this to spare a closure per call.) On the connection's event
    /// loop: the connection starts counting the request's work at once.
    func enter(_ writer: ResponseWriter) {
        self.running.add(1, ordering: .relaxed)
        writer.workStarted()
    }

    func leave(_ writer: ResponseWriter) {
        writer.workFinished()
        self.running.subtract(1, ordering: .releasing)
    }

    /// Returns once no call is running, or when `deadline` passes (true: idle). Polls: it runs
    /// only at shutdown and in tests, and a poll cannot miss a wake-up or be woken early.
    @discardableResult
    public func waitUntilIdle(until deadline: ContinuousClock.Instant = .now + .seconds(3600)) async -> Bool {
        while self.running.load(ordering: .acquiring) > 0 {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
