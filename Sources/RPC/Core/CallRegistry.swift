import Synchronization

/// Counts the calls whose handlers are running, so that shutdown can wait for them. Calls
/// are cancelled through their connections (a closed connection cancels its requests), so
/// this needs no per-call bookkeeping: an atomic counter on every call's path.
public final class CallRegistry: Sendable {
    private let running = Atomic<Int>(0)
    private let waiters = Mutex<[CheckedContinuation<Void, Never>]>([])

    public init() {}

    public var count: Int { self.running.load(ordering: .relaxed) }

    /// Runs `body` in a new task, counted until it returns.
    func start(_ body: sending @escaping @isolated(any) () async -> Void) -> Task<Void, Never> {
        self.running.add(1, ordering: .relaxed)
        return Task {
            await body()
            self.finished()
        }
    }

    private func finished() {
        guard self.running.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
        let waiters = self.waiters.withLock { waiters in
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no call is running.
    public func waitUntilIdle() async {
        await withCheckedContinuation { continuation in
            let idle = self.waiters.withLock { waiters -> Bool in
                if self.running.load(ordering: .acquiring) == 0 { return true }
                waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
