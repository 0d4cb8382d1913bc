public import Logging
import Foundation
import NIOCore
import NIOPosix
import RPC
import Transport

/// Wires the services onto the RPC router and REST table, serves them, and shuts down
/// gracefully.
public final class Application: Sendable {
    private let config: AppConfig
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let server: HTTPServer
    private let rpc: RPCServer
    private let health: HealthStatusBoard

    /// The port actually bound (PORT=0 picks a free one).
    public var port: Int? { self.server.localAddress?.port }

    public static func start(config: AppConfig, logger: Logger) async throws -> Application {
        let health = HealthStatusBoard(services: ["", CallServiceMethods.service, ExpertServiceMethods.service])
        let router = Self.makeRouter(health: health)
        let rest = RESTRouter(RESTRoutes.rpcRoutes + [HealthService(board: health).restRoute])
        let rpc = RPCServer(router: router, rest: rest, logger: logger)

        let group = MultiThreadedEventLoopGroup(numberOfThreads: Int(ProcessInfo.processInfo.environment["EVENT_LOOP_THREADS"] ?? "") ?? System.coreCount)
        do {
            let server = try await HTTPServer.start(
                configuration: HTTPServer.Configuration(host: config.host, port: config.port),
                responder: rpc, group: group, logger: logger)
            return Application(config: config, logger: logger, group: group, server: server, rpc: rpc, health: health)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Every RPC this server answers, gRPC and REST alike.
    static func makeRouter(health: HealthStatusBoard) -> RPCRouter {
        var router = RPCRouter()
        HealthService(board: health).register(in: &router)
        PendingServices.register(in: &router)
        return router
    }

    private init(
        config: AppConfig, logger: Logger, group: MultiThreadedEventLoopGroup, server: HTTPServer, rpc: RPCServer,
        health: HealthStatusBoard
    ) {
        self.config = config
        self.logger = logger
        self.group = group
        self.server = server
        self.rpc = rpc
        self.health = health
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully.
    public func runUntilSignalled() async {
        let signal = await ShutdownSignal.wait()
        self.logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await self.shutDown()
    }

    /// CONTRACT.md "Health": health goes NOT_SERVING and Watch streams end, connections get
    /// GOAWAY and refuse new work, calls in flight get `SHUTDOWN_GRACE_SECONDS` to finish and
    /// are cancelled after that.
    public func shutDown() async {
        self.health.shutDown()
        await self.server.beginGracefulShutdown()
        let calls = self.rpc.calls
        let finishedInTime = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await calls.waitUntilIdle()
                return true
            }
            group.addTask { [grace = self.config.shutdownGrace] in
                try? await Task.sleep(for: grace)
                return false
            }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
        if finishedInTime {
            // Responses just written still need a moment to leave through their connections.
            try? await Task.sleep(for: .milliseconds(50))
        } else {
            self.logger.warning("cancelling calls still running after the grace period", metadata: ["calls": "\(calls.count)"])
        }
        // Closing a connection cancels the calls still running on it.
        await self.server.closeAllConnections()
        await calls.waitUntilIdle()
        try? await self.group.shutdownGracefully()
        self.logger.info("stopped")
    }
}
