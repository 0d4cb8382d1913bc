public import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A fixed-size pool of libpq connections, shared by the whole process.
///
/// A lock (`Mutex`) around `PoolStateMachine`, not an actor: leasing and returning are a few
/// field updates, and the machine stays testable without I/O. Every libpq call runs on the
/// pool's own `NIOThreadPool` (one thread per connection, so a leased connection never waits for
/// a thread), never on a NIO event loop and never on the cooperative pool of Swift Concurrency.
///
/// Failure is fast: a connect gives up after `connect_timeout` (2 s) with
/// `StoreError.unavailable`, and when no connection is open nor opening, waiters fail at once
/// instead of each running into the lease timeout.
public final class PGPool: Sendable {
    public let configuration: PGConfiguration
    let logger: Logger
    private let threadPool: NIOThreadPool
    private let state: Mutex<State>
    private let waiterIDs = Atomic<Int>(0)

    struct State: ~Copyable {
        var machine: PoolStateMachine<PooledConnection, Waiter>
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// A caller queued for a connection until `deadline`, when the sweep fails it.
    struct Waiter {
        let continuation: CheckedContinuation<Lease, any Error>
        let deadline: ContinuousClock.Instant
        let timeout: Duration
    }

    /// How often queued waiters are checked against their deadlines: a lease timeout fires up
    /// to this late. One loop for the pool, instead of a timer task per waiting caller (under
    /// load nearly every request waits for a connection).
    static let sweepInterval: Duration = .milliseconds(100)
    private let sweep = Mutex<Task<Void, Never>?>(nil)

    /// What a caller holds between leasing and returning.
    enum Lease: Sendable {
        case connection(PooledConnection)
        /// A slot without a connection yet: open one on the pool thread.
        case connectPermit
    }

    /// Starts the pool's threads; connections open lazily, on first use. Call `shutdown()` when done.
    public init(configuration: PGConfiguration, logger: Logger = Logger(label: "call-booking.store")) {
        self.configuration = configuration
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.poolSize)
        self.threadPool.start()
        self.state = Mutex(State(machine: PoolStateMachine(maxConnections: configuration.poolSize)))
        // Holds the pool only while sweeping: a pool dropped without `shutdown` ends its loop.
        self.sweep.withLock {
            $0 = Task { [weak self] in
                while (try? await Task.sleep(for: PGPool.sweepInterval)) != nil {
                    guard let self else { return }
                    self.failExpiredWaiters(at: .now)
                }
            }
        }
    }

    /// Fails the waiters whose lease timeout has passed.
    private func failExpiredWaiters(at now: ContinuousClock.Instant) {
        let expired = self.state.withLock { $0.machine.waitersExpired { $0.deadline <= now } }
        for waiter in expired {
            waiter.continuation.resume(throwing: StoreError.unavailable("no database connection free within \(waiter.timeout)"))
        }
    }

    /// Leases a connection, runs `body` with it on a pool thread and returns the connection.
    ///
    /// `body` may block (it runs libpq statements) and must not keep the connection. A
    /// connection found dead is replaced once, transparently; one that breaks under `body` is
    /// discarded and `body`'s error (`StoreError.connectionLost`) is thrown. Throws
    /// `StoreError.unavailable` when no connection can be had within the lease timeout.
    @discardableResult
    ///
    /// `body` is `@escaping` because the thread pool holds it until its thread lets go, which
    /// may be a moment after the result is back (`withoutActuallyEscaping` would trap there).
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PGConnection) throws -> T
    ) async throws -> T {
        let lease = try await self.lease(timeout: self.configuration.leaseTimeout)
        return try await self.run(lease, body)
    }

    /// Checks that PostgreSQL answers (`SELECT 1`), waiting at most `timeout` for a connection.
    /// For health checks: throws `StoreError.unavailable` or `.connectionLost` when it does not.
    public func ping(timeout: Duration = .seconds(2)) async throws {
        let lease = try await self.lease(timeout: timeout)
        _ = try await self.run(lease) { connection in
            try connection.execute("SELECT 1").rowCount
        }
    }

    /// Fails waiters, closes idle connections, waits for leased ones to come back, then stops the
    /// threads. Calls after it fail with `StoreError.unavailable`.
    public func shutdown() async {
        self.sweep.withLock { $0?.cancel() }
        let action = self.state.withLock { $0.machine.shutdownRequested() }
        for waiter in action.fail {
            waiter.continuation.resume(throwing: StoreError.unavailable("the connection pool is shutting down"))
        }
        _ = consume action  // closes the idle connections (PQfinish in deinit)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = self.state.withLock { state in
                if state.machine.isShutDown { return true }
                state.shutdownWaiters.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
        try? await self.threadPool.shutdownGracefully()
    }

    // MARK: Leasing

    func lease(timeout: Duration) async throws -> Lease {
        // A call whose client left (reset, deadline) must not take a connection from live ones.
        try Task.checkCancellation()
        let id = self.waiterIDs.wrappingAdd(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let waiter = Waiter(continuation: continuation, deadline: .now + timeout, timeout: timeout)
                let action = self.state.withLock { $0.machine.leaseRequested(waiter, id: id) }
                switch action {
                case .use(let connection):
                    continuation.resume(returning: .connection(connection))
                case .connect:
                    continuation.resume(returning: .connectPermit)
                case .fail:
                    continuation.resume(throwing: StoreError.unavailable("the connection pool is shut down"))
                case .wait:
                    // A cancellation that ran before we queued found nothing to remove: check again.
                    if Task.isCancelled { self.waiterLeft(id: id, error: CancellationError()) }
                }
            }
        } onCancel: {
            self.waiterLeft(id: id, error: CancellationError())
        }
    }

    private func waiterLeft(id: Int, error: any Error) {
        guard let waiter = self.state.withLock({ $0.machine.waiterLeft(id: id) }) else { return }
        waiter.continuation.resume(throwing: error)
    }

    // MARK: Running on the thread pool

    private enum Outcome<T: Sendable>: Sendable {
        case ran(PooledConnection, Result<T, any Error>)
        case connectFailed(StoreError)
    }

    func run<T: Sendable>(_ lease: Lease, _ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        let configuration = self.configuration
        let outcome: Outcome<T>
        do {
            outcome = try await self.threadPool.runIfActive { () -> Outcome<T> in
                // A pool thread: blocking is what it is for.
                let pooled: PooledConnection
                switch lease {
                case .connection(let existing) where existing.connection.checkAlive():
                    pooled = existing
                case .connection, .connectPermit:
                    // No connection yet, or the idle one died (server restart, terminated
                    // backend): open a new one in the same slot.
                    do throws(StoreError) {
                        pooled = PooledConnection(try PGConnection.connect(configuration))
                    } catch {
                        return .connectFailed(error)
                    }
                }
                let result = Result { try body(pooled.connection) }
                pooled.connection.resetAfterLease()
                return .ran(pooled, result)
            }
        } catch {
            // The closure never ran (task cancelled, thread pool stopped): hand the lease back.
            self.giveBack(lease)
            throw error
        }
        switch outcome {
        case .connectFailed(let error):
            self.logger.warning("database connect failed", metadata: ["error": "\(error)"])
            self.connectFailed()
            throw error
        case .ran(let pooled, let result):
            self.release(pooled)
            return try result.get()
        }
    }

    // MARK: Returning

    private func release(_ pooled: PooledConnection) {
        let broken = pooled.connection.isBroken
        if broken { self.logger.info("discarding a broken database connection") }
        let action = self.state.withLock { $0.machine.connectionReleased(pooled, broken: broken) }
        switch action {
        case .none:
            break
        case .handOver(let waiter, let connection):
            waiter.continuation.resume(returning: .connection(connection))
        case .close(_, let waiter):
            if let waiter {
                    waiter.continuation.resume(returning: .connectPermit)
            }
        case .closeAndFinishShutdown:
            self.finishShutdown()
        }
    }

    private func connectFailed() {
        switch self.state.withLock({ $0.machine.connectFailed() }) {
        case .none:
            break
        case .failWaiters(let waiters):
            for waiter in waiters {
                    waiter.continuation.resume(throwing: StoreError.unavailable("the database is unreachable"))
            }
        case .finishShutdown:
            self.finishShutdown()
        }
    }

    private func giveBack(_ lease: Lease) {
        switch lease {
        case .connection(let pooled):
            self.release(pooled)
        case .connectPermit:
            switch self.state.withLock({ $0.machine.connectPermitReturned() }) {
            case .none:
                break
            case .connectFor(let waiter):
                    waiter.continuation.resume(returning: .connectPermit)
            case .finishShutdown:
                self.finishShutdown()
            }
        }
    }

    private func finishShutdown() {
        let waiters = self.state.withLock { state in
            defer { state.shutdownWaiters.removeAll() }
            return state.shutdownWaiters
        }
        waiters.forEach { $0.resume() }
    }
}

/// Carries a `PGConnection` across threads under a lease.
///
/// `@unchecked Sendable` invariant: exactly one party holds a `PooledConnection` at a time (the
/// pool's idle list, or one lease), and only the lease holder touches `connection`, only on a
/// pool thread; every hand-over goes through the pool's lock or a continuation resume, which
/// orders the accesses.
final class PooledConnection: @unchecked Sendable {
    let connection: PGConnection
    init(_ connection: PGConnection) { self.connection = connection }
}

extension PGPool {
    /// How the pool is used right now, for metrics read at scrape time.
    public struct Statistics: Sendable, Equatable {
        public var maxConnections: Int
        public var idle: Int
        public var leased: Int
        /// Callers queued for a connection.
        public var waiting: Int
    }

    public var statistics: Statistics {
        self.state.withLock { state in
            Statistics(
                maxConnections: self.configuration.poolSize, idle: state.machine.idleCount,
                leased: state.machine.leasedCount, waiting: state.machine.waiterCount)
        }
    }
}
