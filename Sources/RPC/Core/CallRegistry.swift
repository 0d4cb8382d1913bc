import Synchronization

/// The calls whose handlers are running, so that shutdown can wait for them and then
/// cancel what is left. A lock around a dictionary: it is on every call's path.
public final class CallRegistry: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        /// An entry exists from just before its task starts until the task's body returns;
        /// the handle is filled in once `Task.init` has returned it.
        var running: [UInt64: Task<Void, Never>?] = [:]
        var cancelling = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var count: Int { self.state.withLock { $0.running.count } }

    /// Runs `body` in a new task and tracks it until it returns.
    @discardableResult
    func start(_ body: sending @escaping @isolated(any) () async -> Void) -> Task<Void, Never> {
        let id = self.state.withLock { state -> UInt64 in
            state.nextID &+= 1
            state.running[state.nextID] = .some(nil)
            return state.nextID
        }
        let task = Task {
            await body()
            self.finished(id)
        }
        let cancelNow = self.state.withLock { state -> Bool in
            if state.running[id] != nil { state.running[id] = task }
            return state.cancelling
        }
        if cancelNow { task.cancel() }
        return task
    }

    private func finished(_ id: UInt64) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running[id] = nil
            guard state.running.isEmpty else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no call is running.
    public func waitUntilIdle() async {
        await withCheckedContinuation { continuation in
            let idle = self.state.withLock { state -> Bool in
                if state.running.isEmpty { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Cancels every running call and every call started from now on (shutdown).
    public func cancelAll() {
        let tasks = self.state.withLock { state -> [Task<Void, Never>] in
            state.cancelling = true
            return state.running.values.compactMap { $0 }
        }
        for task in tasks { task.cancel() }
    }
}
