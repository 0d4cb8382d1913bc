import Logging
import NIOCore
import NIOHTTP1

/// Chooses the HTTP version of a new connection from its first bytes: the HTTP/2 client
/// preface (prior knowledge, what gRPC clients and `curl --http2-prior-knowledge` send)
/// selects nghttp2, anything else NIOHTTP1. It then replaces itself with that pipeline and
/// replays what it has read.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let http2Preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    enum Decision: Equatable {
        case needMoreBytes
        case http2
        case http1
    }

    private let responder: any HTTPResponder
    private let settings: HTTP2Settings
    private let logger: Logger
    private var buffered: ByteBuffer?

    init(responder: any HTTPResponder, settings: HTTP2Settings, logger: Logger) {
        self.responder = responder
        self.settings = settings
        self.logger = logger
    }

    /// HTTP/2 only once all 24 preface bytes match; HTTP/1.1 as soon as one byte differs.
    static func decide(_ bytes: ByteBuffer) -> Decision {
        let count = min(bytes.readableBytes, Self.http2Preface.count)
        let matches = bytes.withUnsafeReadableBytes { raw in
            zip(raw.prefix(count), Self.http2Preface.prefix(count)).allSatisfy { $0 == $1 }
        }
        if !matches { return .http1 }
        return count == Self.http2Preface.count ? .http2 : .needMoreBytes
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
        let decision = Self.decide(bytes)
        guard decision != .needMoreBytes else { return }
        do {
            let pipeline = context.pipeline.syncOperations
            switch decision {
            case .http2:
                try pipeline.addHandler(
                    HTTP2ConnectionHandler(responder: self.responder, settings: self.settings, logger: self.logger),
                    position: .after(self))
            case .http1, .needMoreBytes:
                try pipeline.addHandler(
                    HTTP1ConnectionHandler(responder: self.responder), position: .after(self))
                try pipeline.configureHTTPServerPipeline(
                    position: .after(self), withPipeliningAssistance: true, withErrorHandling: true)
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
}

@available(*, unavailable)
extension ProtocolSniffer: Sendable {}
