import BookingStore
import Clerk
import Foundation
public import Logging
import NIOCore
import NIOPosix
import Observability
import RPC
import StreamVideo
import TLS
import Transport

/// Runs what `Components` builds: migrates, serves the router and REST table, runs the
/// probe and the job workers (which run the Calendly sync and retention rounds too), and shuts
/// them down in reverse order.
public final class Application: Sendable {
    private let config: AppConfig
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let server: HTTPServer
    /// The certificate new connections get, reloaded on SIGHUP; nil: cleartext.
    private let tls: ReloadableTLSContext?
    private let rpc: RPCServer
    private let health: HealthStatusBoard
    private let pool: PGPool
    /// The one LISTEN connection of the process, feeding `callWatches`.
    private let callChanges: CallChangeFeed
    private let callWatches: CallWatchHub
    private let probe: Task<Void, Never>
    /// The jobs outbox workers (room setup…, and the recurring rounds), cancelled on shutdown
    /// before the pool closes.
    private let jobs: [Task<Void, Never>]

    /// The port actually bound (PORT=0 picks a free one).
    public var port: Int? { self.server.localAddress?.port }

    /// Connects to PostgreSQL and applies the migrations (several replicas may do so at
    /// once: the migrator holds an advisory lock), then listens.
    public static func start(config: AppConfig, logger: Logger) async throws -> Application {
        // Before anything makes a metric: handles made earlier would stay with the no-op backend.
        PrometheusExposition.bootstrap()
        let pool = PGPool(configuration: config.database, logger: logger)
        let health = HealthStatusBoard(services: ["", CallServiceMethods.service, ExpertServiceMethods.service])
        let components: Components
        let callChanges: CallChangeFeed
        do {
            try await Migrator(pool: pool, logger: logger).migrate()
            components = try Components(
                config: config, pool: pool, health: health, logger: logger,
                httpClient: { ProviderHTTP.client(for: $0, logger: logger) })
            var listener = config.database
            listener.applicationName += "-listener"
            callChanges = try CallChangeFeed(configuration: listener, logger: logger)
        } catch {
            await pool.shutdown()
            throw error
        }
        let callWatches = components.callWatches
        let joinableCalls = components.joinableCalls
        callChanges.start { change in
            callWatches.receive(change)
            joinableCalls.receive(change)
        }
        var limits = RPCServer.Limits()
        limits.eventStreamHeartbeat = config.eventStreamHeartbeat
        let rpc = RPCServer(
            router: components.router, rest: components.rest, limits: limits,
            credentials: components.credentials.check, cors: config.cors, calls: components.calls, logger: logger)
        let probe = Task { await DatabaseProbe(pool: pool, board: health, interval: .seconds(2), logger: logger).run() }
        let jobs = components.jobWorkers.map { worker in Task { await worker.run() } }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: config.eventLoopThreads)
        do {
            let tls = try config.tls.map { files throws(TLSContextError) in try ReloadableTLSContext(files: files) }
            let server = try await HTTPServer.start(
                configuration: HTTPServer.Configuration(
                    host: config.host, port: config.port, limits: config.connectionLimits, tls: tls),
                responder: rpc, group: group, logger: logger)
            return Application(
                config: config, logger: logger, group: group, server: server, tls: tls, rpc: rpc, health: health, pool: pool,
                callChanges: callChanges, callWatches: callWatches, probe: probe, jobs: jobs)
        } catch {
            probe.cancel()
            for job in jobs { job.cancel() }
            for job in jobs { await job.value }
            try? await group.shutdownGracefully()
            await callChanges.shutdown()
            await pool.shutdown()
            throw error
        }
    }

    private init(
        config: AppConfig, logger: Logger, group: MultiThreadedEventLoopGroup, server: HTTPServer,
        tls: ReloadableTLSContext?, rpc: RPCServer,
        health: HealthStatusBoard, pool: PGPool, callChanges: CallChangeFeed, callWatches: CallWatchHub,
        probe: Task<Void, Never>, jobs: [Task<Void, Never>]
    ) {
        self.config = config
        self.logger = logger
        self.group = group
        self.server = server
        self.tls = tls
        self.rpc = rpc
        self.health = health
        self.pool = pool
        self.callChanges = callChanges
        self.callWatches = callWatches
        self.probe = probe
        self.jobs = jobs
    }

    /// Serves until SIGTERM or SIGINT (caught since `signals` was installed), then shuts down
    /// gracefully. Meanwhile each SIGHUP reloads the TLS certificate.
    public func runUntilSignalled(_ signals: ProcessSignals) async {
        let reloads = Task { for await _ in signals.reloads { self.reloadCertificate() } }
        let signal = await signals.shutdownRequested()
        reloads.cancel()
        self.logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await self.shutDown()
    }

    /// Re-reads `TLS_CERT_FILE` and `TLS_KEY_FILE`: connections accepted from now on get the
    /// new certificate, open ones keep theirs. Files that fail to load leave the current
    /// certificate in use.
    func reloadCertificate() {
        guard let tls = self.tls else {
            self.logger.info("SIGHUP: nothing to reload (no TLS)")
            return
        }
        do {
            try tls.reload()
            self.logger.info("reloaded the TLS certificate", metadata: ["file": "\(tls.files.certificateChain)"])
        } catch {
            self.logger.error("kept the current TLS certificate: the files do not load", metadata: ["error": "\(error)"])
        }
    }

    /// CONTRACT.md "Health": health goes NOT_SERVING and Watch and WatchCall streams end, connections get
    /// GOAWAY and refuse new work, calls in flight get `SHUTDOWN_GRACE_SECONDS` to finish and
    /// are cancelled after that.
    public func shutDown() async {
        // Clients first: health NOT_SERVING, Watch streams end, GOAWAY. Then the background
        // work, whose cancellation reaches into provider and database clients.
        self.health.shutDown()
        self.callWatches.shutDown()
        await self.server.beginGracefulShutdown()
        self.probe.cancel()
        // A job cut short keeps its lease, which ends: it runs again. A sync round stops between
        // experts.
        for job in self.jobs { job.cancel() }
        let calls = self.rpc.calls
        let finishedInTime = await calls.waitUntilIdle(until: .now + self.config.shutdownGrace)
        if finishedInTime {
            // Responses just written still need a moment to leave through their connections.
            try? await Task.sleep(for: .milliseconds(50))
        } else {
            self.logger.warning("cancelling calls still running after the grace period", metadata: ["calls": "\(calls.count)"])
        }
        // Closing a connection cancels the calls still running on it; a handler that ignores
        // cancellation gets a few seconds more, not forever.
        await self.server.closeAllConnections()
        if !(await calls.waitUntilIdle(until: .now + .seconds(5))) {
            self.logger.error("calls still running after cancellation", metadata: ["calls": "\(calls.count)"])
        }
        try? await self.group.shutdownGracefully()
        for job in self.jobs { await job.value }
        await self.callChanges.shutdown()
        await self.pool.shutdown()
        self.logger.info("stopped")
    }
}
