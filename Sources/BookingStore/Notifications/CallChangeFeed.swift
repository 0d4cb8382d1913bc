public import BookingDomain
import Foundation
public import Logging
import NIOPosix
import Synchronization

/// The calls' change feed of this process: one dedicated PostgreSQL connection that LISTENs on
/// `call_changed` (announced by a trigger on `calls.calls`, migration 11), however many
/// watchers the process has.
///
/// libpq blocks, so the connection lives on a thread of its own (a one-thread `NIOThreadPool`),
/// never on an event loop, and waits in `poll` on its socket beside a `StopPipe` that
/// `shutdown()` writes to. A lost connection is opened again with exponential backoff, and each
/// new LISTEN is reported as `.resynchronize`. Every `keepAliveInterval` without traffic the
/// connection runs `SELECT 1`, so a peer that vanished without closing the socket is noticed.
public final class CallChangeFeed: Sendable {
    public static let channel = "call_changed"

    /// What the feed reports.
    public enum Event: Sendable, Equatable {
        /// A call was inserted or updated, and the change committed, by any process using the
        /// database.
        case changed(CallID)
        /// The feed has just started listening, the first time or after losing its connection:
        /// changes committed while it was not listening were missed, so whatever depends on
        /// calls must read them again.
        case resynchronize
        /// The listening connection was lost: until the next `.resynchronize`, changes go
        /// unreported.
        case interrupted
    }

    public struct Timing: Sendable {
        /// The first wait after a failed connect; each further failure doubles it up to `maxRetryDelay`.
        public var minRetryDelay: Duration = .milliseconds(100)
        public var maxRetryDelay: Duration = .seconds(5)
        public var keepAliveInterval: Duration = .seconds(30)
        public init() {}
    }

    private let configuration: PGConfiguration
    private let timing: Timing
    private let logger: Logger
    private let threadPool = NIOThreadPool(numberOfThreads: 1)
    private let stop: StopPipe
    private let stopped = Atomic<Bool>(false)
    private let loop = Mutex<Task<Void, Never>?>(nil)

    /// `configuration` is the pool's; only its URL and timeouts are used. Its `applicationName`
    /// names the connection in `pg_stat_activity`.
    public init(configuration: PGConfiguration, timing: Timing = Timing(), logger: Logger) throws(StoreError) {
        self.configuration = configuration
        self.timing = timing
        self.logger = logger
        self.stop = try StopPipe()
    }

    /// Starts listening. `deliver` runs on the feed's thread for each change, in order, so it
    /// must return quickly and never block. Call once.
    public func start(_ deliver: @escaping @Sendable (Event) -> Void) {
        self.threadPool.start()
        let task = Task<Void, Never> {
            // Only fails once the pool is shut down, which is `shutdown()`'s doing.
            try? await self.threadPool.runIfActive { self.run(deliver) }
        }
        self.loop.withLock { $0 = task }
    }

    /// Stops listening and closes the connection; `deliver` is not called after it returns.
    public func shutdown() async {
        self.stopped.store(true, ordering: .releasing)
        self.stop.signal()
        await self.loop.withLock { $0 }?.value
        try? await self.threadPool.shutdownGracefully()
    }

    private var isStopped: Bool { self.stopped.load(ordering: .acquiring) }

    // MARK: The feed's thread

    private func run(_ deliver: @Sendable (Event) -> Void) {
        var retryDelay = self.timing.minRetryDelay
        var failures = 0
        while !self.isStopped {
            do {
                let connection = try self.listeningConnection()
                if failures > 0 {
                    self.logger.info("listening for call changes again", metadata: ["failed_attempts": "\(failures)"])
                }
                retryDelay = self.timing.minRetryDelay
                failures = 0
                deliver(.resynchronize)
                do {
                    try self.receive(on: connection, deliver)
                } catch {
                    deliver(.interrupted)
                    throw error
                }
            } catch {
                failures += 1
                // The first failure of an outage is worth a warning; its retries are not.
                self.logger.log(
                    level: failures == 1 ? .warning : .debug, "not listening for call changes",
                    metadata: ["error": "\(error)", "retry_in": "\(retryDelay)"])
                if self.stop.wait(socket: nil, timeout: retryDelay) == .stopped { return }
                retryDelay = min(retryDelay * 2, self.timing.maxRetryDelay)
            }
        }
    }

    @available(*, noasync)
    private func listeningConnection() throws(StoreError) -> PGConnection {
        let connection = try PGConnection.connect(self.configuration)
        try connection.simpleQuery("LISTEN \(Self.channel)")
        return connection
    }

    /// Returns when stopped; throws when the connection is lost.
    private func receive(on connection: PGConnection, _ deliver: @Sendable (Event) -> Void) throws(StoreError) {
        while true {
            guard let socket = connection.socket else {
                throw StoreError(code: .connectionLost, message: "the listening connection has no socket")
            }
            switch self.stop.wait(socket: socket, timeout: self.timing.keepAliveInterval) {
            case .stopped:
                return
            case .timedOut:
                try connection.simpleQuery("SELECT 1")
            case .socketReadable:
                break
            }
            for notification in try connection.receiveNotifications() where notification.channel == Self.channel {
                if let id = UUID(uuidString: notification.payload) {
                    deliver(.changed(CallID(id)))
                } else {
                    self.logger.warning(
                        "ignored a call change without a call id", metadata: ["payload": "\(notification.payload.prefix(64))"])
                }
            }
        }
    }
}
