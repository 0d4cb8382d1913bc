import Logging
import NIOCore
import NIOHTTP1

/// Serves HTTP/1.1 requests parsed by NIOHTTP1. `HTTPServerPipelineHandler` sits before it,
/// so pipelined requests arrive one at a time, after the previous response has ended, and a
/// quiescing server closes the connection once the response in flight is done.
final class HTTP1ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private struct Exchange {
        let id: Int32
        let keepAlive: Bool
        /// Nil while the responder is still being asked: it may answer at once, from inside
        /// `makeRequestHandler` (404, 405, 415), and that answer must find its exchange.
        var handler: (any RequestHandler)?
        var headSent = false
    }

    private let responder: any HTTPResponder
    private var context: ChannelHandlerContext?
    private var sink: HTTP1ResponseSink?
    private var exchange: Exchange?
    /// Numbers requests so that a late write for an earlier request is recognised and dropped.
    private var nextExchangeID: Int32 = 1

    init(responder: any HTTPResponder) {
        self.responder = responder
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.sink = HTTP1ResponseSink(handler: self, eventLoop: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelExchange()
        self.context = nil
        // The sink holds this handler: breaking the cycle frees both with the connection.
        self.sink = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            guard let sink = self.sink else { return }
            var fields = HTTPFields()
            for (name, value) in head.headers { fields.append(name.lowercased(), value) }
            let request = RequestHead(
                version: .http1_1, method: head.method.rawValue, path: head.uri,
                authority: head.headers.first(name: "host"), headers: fields)
            let id = self.nextExchangeID
            self.nextExchangeID &+= 1
            self.exchange = Exchange(id: id, keepAlive: head.isKeepAlive)
            let handler = self.responder.makeRequestHandler(head: request, writer: ResponseWriter(sink: sink, streamID: id))
            if self.exchange?.id == id { self.exchange?.handler = handler }
        case .body(let buffer):
            self.exchange?.handler?.receiveBody(buffer)
        case .end:
            self.exchange?.handler?.receiveEnd()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelExchange()
        context.fireChannelInactive()
    }

    private func cancelExchange() {
        guard let exchange = self.exchange else { return }
        self.exchange = nil
        exchange.handler?.cancel()
    }

    // MARK: responses

    func write(_ parts: [ResponsePart], exchangeID: Int32) {
        guard let context = self.context, var exchange = self.exchange, exchange.id == exchangeID else { return }
        for (offset, part) in parts.enumerated() {
            switch part {
            case .head(let head):
                guard !exchange.headSent else { continue }
                exchange.headSent = true
                var headers = HTTPHeaders()
                for field in head.headers { headers.add(name: field.name, value: field.value) }
                // A whole response in one batch gets a Content-Length; otherwise the encoder
                // falls back to chunked transfer encoding.
                if headers["content-length"].isEmpty, let length = Self.bodyLength(parts[(offset + 1)...]) {
                    headers.add(name: "content-length", value: String(length))
                }
                if !exchange.keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
                let status = HTTPResponseStatus(statusCode: head.status)
                context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            case .body(let buffer):
                context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            case .end:
                // HTTP/1.1 trailers would need chunked encoding; no client of ours reads them.
                self.exchange = nil
                let keepAlive = exchange.keepAlive
                let written = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
                if !keepAlive {
                    let channel = context.channel
                    written.whenComplete { _ in channel.close(promise: nil) }
                }
                return
            }
        }
        self.exchange = exchange
        context.flush()
    }

    /// HTTP/1.1 cannot reset one request: the connection goes.
    func reset(exchangeID: Int32) {
        guard let context = self.context, self.exchange?.id == exchangeID else { return }
        self.cancelExchange()
        context.close(promise: nil)
    }

    private static func bodyLength(_ parts: ArraySlice<ResponsePart>) -> Int? {
        var length = 0
        for part in parts {
            switch part {
            case .head: return nil
            case .body(let buffer): length += buffer.readableBytes
            case .end: return length
            }
        }
        return nil
    }
}

@available(*, unavailable)
extension HTTP1ConnectionHandler: Sendable {}

/// Carries response parts from any thread to the connection's event loop.
struct HTTP1ResponseSink: ResponseSink {
    private let handler: NIOLoopBound<HTTP1ConnectionHandler>
    private let eventLoop: any EventLoop

    init(handler: HTTP1ConnectionHandler, eventLoop: any EventLoop) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.eventLoop = eventLoop
    }

    func write(_ parts: [ResponsePart], streamID: Int32) {
        if self.eventLoop.inEventLoop {
            self.handler.value.write(parts, exchangeID: streamID)
        } else {
            self.eventLoop.execute { self.handler.value.write(parts, exchangeID: streamID) }
        }
    }

    func reset(streamID: Int32, reason: StreamResetReason) {
        if self.eventLoop.inEventLoop {
            self.handler.value.reset(exchangeID: streamID)
        } else {
            self.eventLoop.execute { self.handler.value.reset(exchangeID: streamID) }
        }
    }
}
