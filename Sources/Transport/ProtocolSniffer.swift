import Logging
import NIOCore
import NIOHTTP1
import TLS

/// Chooses the HTTP version of a new connection from its first bytes: the HTTP/2 client
/// preface (prior knowledge, what gRPC clients and `curl --http2-prior-knowledge` send)
/// selects nghttp2, an HTTP/1.x request line NIOHTTP1, anything else is closed. It then
/// replaces itself with that pipeline and replays what it has read. A client that sends nothing, or part of a preface, is closed
/// once the header timeout has passed since the accept (behind TLS, the handshake included).
/// A TLS client that chose `h2` through ALPN must then send the preface: HTTP/1.1 is not
/// taken from it.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let http2Preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    enum Decision: Equatable {
        case needMoreBytes
        case http2
        case http1
        /// Neither: the first line is not an HTTP/1.x request line (or is too long to be one).
        /// The connection is closed without an answer, since there is no protocol to answer in
        /// (RFC 9113 §3.4: an invalid preface is a connection error; h2spec 3.5/2).
        case neither
    }

    /// The longest first line waited for: longer request lines are not served anyway.
    static let maxRequestLine = 8 << 10

    /// HTTP/2 once all 24 preface bytes match. Otherwise HTTP/1.1 once a whole first line has
    /// arrived and ends in ` HTTP/1.0` or ` HTTP/1.1` (NIOHTTP1 then parses the rest).
    static func decide(_ bytes: ByteBuffer, http2Only: Bool = false) -> Decision {
        bytes.withUnsafeReadableBytes { raw in
            let count = min(raw.count, Self.http2Preface.count)
            if raw.prefix(count).elementsEqual(Self.http2Preface.prefix(count)) {
                return count == Self.http2Preface.count ? .http2 : .needMoreBytes
            }
            if http2Only { return .neither }
            guard let newline = raw.prefix(Self.maxRequestLine).firstIndex(of: UInt8(ascii: "\n")) else {
                return raw.count >= Self.maxRequestLine ? .neither : .needMoreBytes
            }
            var line = raw[..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            return Self.isHTTP1Version(line.suffix(9)) ? .http1 : .neither
        }
    }

    private static let http1VersionPrefix = Array(" HTTP/1.".utf8)

    private let responder: any HTTPResponder
    private let settings: HTTP2Settings
    private let connection: AcceptedConnection
    private let logger: Logger
    private var buffered: ByteBuffer?
    private var prefaceTimeout: Scheduled<Void>?
    /// ALPN chose `h2` (`TLSHandshakeCompleted`).
    private var http2Only = false

    init(responder: any HTTPResponder, settings: HTTP2Settings, connection: AcceptedConnection, logger: Logger) {
        self.responder = responder
        self.settings = settings
        self.connection = connection
        self.logger = logger
    }

    private static func isHTTP1Version(_ tail: Slice<UnsafeRawBufferPointer>) -> Bool {
        tail.count == 9 && tail.prefix(8).elementsEqual(Self.http1VersionPrefix)
            && (tail.last == UInt8(ascii: "0") || tail.last == UInt8(ascii: "1"))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let deadline = self.connection.acceptedAt + self.connection.limits.headerTimeout
        self.prefaceTimeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            TransportMetrics.timedOut(.header)
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.prefaceTimeout?.cancel()
        self.prefaceTimeout = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = self.unwrapInboundIn(data)
        if var buffered = self.buffered {
            buffered.writeBuffer(&incoming)
            self.buffered = buffered
        } else {
            self.buffered = incoming
        }
        guard let bytes = self.buffered else { return }
        let decision = Self.decide(bytes, http2Only: self.http2Only)
        switch decision {
        case .needMoreBytes:
            return
        case .neither:
            self.buffered = nil
            context.close(promise: nil)
            return
        case .http1, .http2:
            break
        }
        do {
            let pipeline = context.pipeline.syncOperations
            switch decision {
            case .http2:
                try Self.useHTTP2Reads(on: context.channel)
                try pipeline.addHandler(
                    HTTP2ConnectionHandler(
                        responder: self.responder, settings: self.settings, connection: self.connection,
                        logger: self.logger),
                    position: .after(self))
            case .http1, .needMoreBytes, .neither:
                try self.addHTTP1Handlers(to: pipeline)
            }
        } catch {
            self.logger.error("could not configure the connection", metadata: ["error": "\(error)"])
            context.close(promise: nil)
            return
        }
        self.buffered = nil
        context.fireChannelRead(self.wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let handshake = event as? TLSHandshakeCompleted {
            self.http2Only = handshake.applicationProtocol == .http2
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// NIOHTTP1's server pipeline, with its header limit set to HTTP/2's (16 KiB, as
    /// advertised in SETTINGS_MAX_HEADER_LIST_SIZE) rather than NIOHTTP1's 80 KiB.
    /// HTTP/1.1 (and every connection until the sniffer decides) reads at most 16 KiB at a time,
    /// one read per event-loop turn: `HTTP1ReadGate` holds what the parser has not asked for.
    static let http1ReadAllocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 16 << 10)

    /// HTTP/2 reads in bursts (up to 16 reads of up to 64 KiB per event-loop turn): nghttp2 takes
    /// whole frames, and its flow control bounds what a client may send ahead.
    private static func useHTTP2Reads(on channel: any Channel) throws {
        try channel.syncOptions?.setOption(.maxMessagesPerRead, value: 16)
        try channel.syncOptions?.setOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator())
    }

    private func addHTTP1Handlers(to pipeline: ChannelPipeline.SynchronousOperations) throws {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = Int(self.settings.maxHeaderListSize)
        limits.maxHeaderFieldSize = Int(self.settings.maxHeaderListSize)
        let connectionHandler = HTTP1ConnectionHandler(
            responder: self.responder, connection: self.connection, logger: self.logger)
        try pipeline.addHandler(connectionHandler, position: .after(self))
        try pipeline.configureHTTPServerPipeline(
            position: .after(self), withPipeliningAssistance: true, withServerUpgrade: nil, withErrorHandling: true,
            withOutboundHeaderValidation: true, withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
        // First, so that it sees bytes before the parser does.
        try pipeline.addHandler(HTTP1ReadGate(notifying: connectionHandler), position: .after(self))
    }
}

@available(*, unavailable)
extension ProtocolSniffer: Sendable {}
