public import Logging
public import NIOCore
import NIOConcurrencyHelpers
import NIOPosix
import Synchronization
public import TLS

/// Numbers connections across every server in the process (`RequestHead.connectionID`).
private let connectionIDs = Atomic<UInt64>(0)

/// Listens on one port for both HTTP/2 with prior knowledge and HTTP/1.1, in cleartext or
/// behind TLS, and hands every request to one `HTTPResponder`.
public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var http2: HTTP2Settings
        public var limits: ConnectionLimits
        /// Nil: cleartext. Otherwise every connection is TLS, started with the context current
        /// when it is accepted.
        public var tls: ReloadableTLSContext?

        public init(
            host: String = "0.0.0.0", port: Int = 3003, http2: HTTP2Settings = HTTP2Settings(),
            limits: ConnectionLimits = ConnectionLimits(), tls: ReloadableTLSContext? = nil
        ) {
            self.host = host
            self.port = port
            self.http2 = http2
            self.limits = limits
            self.tls = tls
        }
    }

    private let listener: any Channel
    private let connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>
    private let admission: ConnectionAdmission
    private let logger: Logger

    /// The address actually bound (useful with port 0 in tests).
    public var localAddress: SocketAddress? { self.listener.localAddress }

    /// Connections counted against `maxConnections`: open, or closed with handlers still running.
    public var openConnections: Int { self.admission.openConnections }

    private init(
        listener: any Channel, connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>,
        admission: ConnectionAdmission, logger: Logger
    ) {
        self.listener = listener
        self.connections = connections
        self.admission = admission
        self.logger = logger
    }

    public static func start(
        configuration: Configuration, responder: any HTTPResponder, group: any EventLoopGroup, logger: Logger
    ) async throws -> HTTPServer {
        let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let limits = configuration.limits
        let admission = ConnectionAdmission(
            maxConnections: limits.maxConnections, maxPerPeer: limits.maxConnectionsPerPeer)
        let settings = configuration.http2
        let tls = configuration.tls
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // Small reads until the protocol is known (`ProtocolSniffer` sets HTTP/2's): what is
            // read before the sniffer decides is held whole.
            .childChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelOption(.recvAllocator, value: ProtocolSniffer.http1ReadAllocator)
            .childChannelOption(.writeBufferWaterMark, value: limits.writeBufferWaterMark)
            .childChannelInitializer { channel in
                let acceptedAt = channel.eventLoop.now
                let slot: ConnectionSlot
                switch admission.admit(PeerKey(channel.remoteAddress)) {
                case .success(let admitted):
                    slot = admitted
                case .failure(let refused):
                    logger.debug("refused a connection", metadata: [
                        "reason": "\(refused.refusal.rawValue)", "peer": "\(channel.remoteAddress?.description ?? "-")",
                    ])
                    return channel.eventLoop.makeFailedFuture(refused)
                }
                let id = ObjectIdentifier(channel)
                connections.withLockedValue { $0[id] = channel }
                channel.closeFuture.whenComplete { _ in
                    _ = connections.withLockedValue { $0.removeValue(forKey: id) }
                    slot.release()
                }
                let connection = AcceptedConnection(
                    id: connectionIDs.add(1, ordering: .relaxed).newValue, acceptedAt: acceptedAt, limits: limits,
                    slot: slot)
                return channel.eventLoop.makeCompletedFuture {
                    try Self.configure(
                        channel, responder: responder, settings: settings, tls: tls?.current, connection: connection,
                        logger: logger)
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        return HTTPServer(listener: listener, connections: connections, admission: admission, logger: logger)
    }

    /// Installs an accepted connection's handlers: TLS when configured (its handshake counts
    /// against the header timeout, which the sniffer keeps), reads stop while writes do not
    /// drain (`BackPressureHandler`, with the channel's write-buffer water mark), then the
    /// protocol sniffer picks HTTP/2 or HTTP/1.1. The one place a connection is built, tests
    /// included.
    static func configure(
        _ channel: any Channel, responder: any HTTPResponder, settings: HTTP2Settings, tls: TLSContext?,
        connection: AcceptedConnection, logger: Logger
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        if let tls { try pipeline.addHandler(try TLSHandler(context: tls, logger: logger)) }
        try pipeline.addHandler(BackPressureHandler())
        try pipeline.addHandler(
            ProtocolSniffer(responder: responder, settings: settings, connection: connection, logger: logger))
    }

    /// The same handlers on a channel that did not come through a listener (an
    /// `EmbeddedChannel` fed bytes by a fuzzer or a test), outside the connection caps.
    public static func installConnectionHandlers(
        on channel: any Channel, responder: any HTTPResponder, configuration: Configuration, logger: Logger
    ) throws {
        let connection = AcceptedConnection(
            id: connectionIDs.add(1, ordering: .relaxed).newValue, acceptedAt: channel.eventLoop.now,
            limits: configuration.limits, slot: nil)
        try Self.configure(
            channel, responder: responder, settings: configuration.http2, tls: configuration.tls?.current,
            connection: connection, logger: logger)
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
