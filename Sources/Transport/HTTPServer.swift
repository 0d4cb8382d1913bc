public import Logging
public import NIOCore
import NIOConcurrencyHelpers
import NIOPosix

/// Listens on one port for both HTTP/2 with prior knowledge and HTTP/1.1, and hands every
/// request to one `HTTPResponder`.
public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var http2: HTTP2Settings

        public init(host: String = "0.0.0.0", port: Int = 3003, http2: HTTP2Settings = HTTP2Settings()) {
            self.host = host
            self.port = port
            self.http2 = http2
        }
    }

    private let listener: any Channel
    private let connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>
    private let logger: Logger

    /// The address actually bound (useful with port 0 in tests).
    public var localAddress: SocketAddress? { self.listener.localAddress }

    private init(listener: any Channel, connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>, logger: Logger) {
        self.listener = listener
        self.connections = connections
        self.logger = logger
    }

    public static func start(
        configuration: Configuration, responder: any HTTPResponder, group: any EventLoopGroup, logger: Logger
    ) async throws -> HTTPServer {
        let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let settings = configuration.http2
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                let id = ObjectIdentifier(channel)
                connections.withLockedValue { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in
                    _ = connections.withLockedValue { $0.removeValue(forKey: id) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ProtocolSniffer(responder: responder, settings: settings, logger: logger))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        return HTTPServer(listener: listener, connections: connections, logger: logger)
    }

    /// Stops accepting connections and asks every open one to finish: HTTP/2 sends GOAWAY and
    /// lets open streams complete, HTTP/1.1 closes after the response in flight.
    public func beginGracefulShutdown() async {
        try? await self.listener.close()
        for channel in self.connections.withLockedValue({ Array($0.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Closes whatever connections are still open.
    public func closeAllConnections() async {
        for channel in self.connections.withLockedValue({ Array($0.values) }) {
            try? await channel.close()
        }
    }
}
