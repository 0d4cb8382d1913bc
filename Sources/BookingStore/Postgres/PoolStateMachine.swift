/// The pool's bookkeeping, without I/O, locks or time: which connections are idle, how many are
/// leased (or being opened for a lease), who waits. `PGPool` holds it in a `Mutex` and executes
/// the returned actions outside the lock (`PGPool+Actions`). Generic over the connection and
/// waiter types so tests drive it with plain values.
///
/// Invariants: `idle.count + leased <= maxConnections`; there are never idle connections and
/// waiters at the same time (a returned connection goes straight to the first waiter).
struct PoolStateMachine<Connection, Waiter> {
    let maxConnections: Int
    private var idle: [Connection] = []
    /// Connections handed out plus connect permits (a caller opening a connection for itself).
    private var leased = 0
    private var waiters: [(id: Int, waiter: Waiter)] = []
    private var state: State = .running

    private enum State { case running, shuttingDown, shutDown }

    init(maxConnections: Int) {
        self.maxConnections = max(1, maxConnections)
    }

    var idleCount: Int { self.idle.count }
    var leasedCount: Int { self.leased }
    var waiterCount: Int { self.waiters.count }
    var isShutDown: Bool { self.state == .shutDown }

    // MARK: Leasing

    enum OnLease {
        /// Run on this idle connection (check that it is still alive first).
        case use(Connection)
        /// The caller holds a permit: open a new connection, then report `connectFailed` if that
        /// fails or release the connection when done.
        case connect
        /// Queued; the waiter is resumed by a release, a failed connect, a timeout or shutdown.
        case wait
        /// The pool is shutting down.
        case fail
    }

    /// `id` names the waiter for `waiterLeft` should it be queued; the caller makes it unique.
    mutating func leaseRequested(_ waiter: Waiter, id: Int) -> OnLease {
        guard self.state == .running else { return .fail }
        if let connection = self.idle.popLast() {  // LIFO: the warmest connection first
            self.leased += 1
            return .use(connection)
        }
        if self.leased < self.maxConnections {
            self.leased += 1
            return .connect
        }
        self.waiters.append((id, waiter))
        return .wait
    }

    /// Removes and returns the queued waiters `expired` says have waited too long, first come
    /// first.
    mutating func waitersExpired(_ expired: (Waiter) -> Bool) -> [Waiter] {
        guard self.waiters.contains(where: { expired($0.waiter) }) else { return [] }
        var gone: [Waiter] = []
        self.waiters.removeAll { entry in
            guard expired(entry.waiter) else { return false }
            gone.append(entry.waiter)
            return true
        }
        return gone
    }

    /// A waiter's lease timeout fired or its task was cancelled: the waiter to fail, or nil when
    /// it was served in the meantime.
    mutating func waiterLeft(id: Int) -> Waiter? {
        guard let index = self.waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return self.waiters.remove(at: index).waiter
    }

    // MARK: Returning

    enum OnRelease {
        /// Parked as idle; nothing to do.
        case none
        /// Resume this waiter with this connection (still counted as leased).
        case handOver(Waiter, Connection)
        /// Close the connection; if a waiter is given, it now holds a connect permit.
        case close(Connection, connectFor: Waiter?)
        /// Close the connection; it was the last one out during shutdown.
        case closeAndFinishShutdown(Connection)
    }

    mutating func connectionReleased(_ connection: Connection, broken: Bool) -> OnRelease {
        switch self.state {
        case .running:
            if broken {
                // The slot frees up; the first waiter may open a fresh connection in it.
                if self.waiters.isEmpty {
                    self.leased -= 1
                    return .close(connection, connectFor: nil)
                }
                return .close(connection, connectFor: self.waiters.removeFirst().waiter)
            }
            if !self.waiters.isEmpty {
                return .handOver(self.waiters.removeFirst().waiter, connection)
            }
            self.leased -= 1
            self.idle.append(connection)
            return .none
        case .shuttingDown:
            self.leased -= 1
            if self.leased == 0 {
                self.state = .shutDown
                return .closeAndFinishShutdown(connection)
            }
            return .close(connection, connectFor: nil)
        case .shutDown:
            // Unreachable while leases are counted; close it anyway.
            return .close(connection, connectFor: nil)
        }
    }

    enum OnPermitReturned {
        case none
        /// The first waiter now holds the permit and opens a connection.
        case connectFor(Waiter)
        case finishShutdown
    }

    /// A caller gives back a connect permit it did not use (its task was cancelled before the
    /// pool thread ran it).
    mutating func connectPermitReturned() -> OnPermitReturned {
        switch self.state {
        case .running:
            if self.waiters.isEmpty {
                self.leased -= 1
                return .none
            }
            return .connectFor(self.waiters.removeFirst().waiter)
        case .shuttingDown:
            self.leased -= 1
            if self.leased == 0 {
                self.state = .shutDown
                return .finishShutdown
            }
            return .none
        case .shutDown:
            return .none
        }
    }

    enum OnConnectFailed {
        case none
        /// No connection is open or opening: the server is down as far as the pool can tell, so
        /// fail the queue now (fast UNAVAILABLE) rather than let each waiter time out.
        case failWaiters([Waiter])
        case finishShutdown
    }

    mutating func connectFailed() -> OnConnectFailed {
        self.leased -= 1
        switch self.state {
        case .running:
            guard self.leased == 0, !self.waiters.isEmpty else { return .none }
            let failed = self.waiters.map(\.waiter)
            self.waiters.removeAll()
            return .failWaiters(failed)
        case .shuttingDown:
            if self.leased == 0 {
                self.state = .shutDown
                return .finishShutdown
            }
            return .none
        case .shutDown:
            return .none
        }
    }

    // MARK: Shutdown

    struct OnShutdown {
        var close: [Connection]
        var fail: [Waiter]
        /// True when nothing is leased: shutdown is complete now; otherwise the last release
        /// finishes it.
        var finished: Bool
    }

    mutating func shutdownRequested() -> OnShutdown {
        guard self.state == .running else { return OnShutdown(close: [], fail: [], finished: self.state == .shutDown) }
        let action = OnShutdown(close: self.idle, fail: self.waiters.map(\.waiter), finished: self.leased == 0)
        self.idle.removeAll()
        self.waiters.removeAll()
        self.state = self.leased == 0 ? .shutDown : .shuttingDown
        return action
    }
}

// Equatable for the transcript tests (`#expect(machine.event() == .action)`).
extension PoolStateMachine.OnLease: Equatable where Connection: Equatable {}
extension PoolStateMachine.OnRelease: Equatable where Connection: Equatable, Waiter: Equatable {}
extension PoolStateMachine.OnConnectFailed: Equatable where Waiter: Equatable {}
extension PoolStateMachine.OnPermitReturned: Equatable where Waiter: Equatable {}
