import Logging
import NIOCore
import NIOHTTP1

/// Serves HTTP/1.1 requests parsed by NIOHTTP1. `HTTPServerPipelineHandler` sits before it,
/// so pipelined requests arrive one at a time, after the previous response has ended, and a
/// quiescing server closes the connection once the response in flight is done. Deadlines and
/// the requests in progress are the `ConnectionStateMachine`'s; this class carries out what it
/// decides.
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
    private let connection: AcceptedConnection
    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var sink: HTTP1ResponseSink?
    private var machine: ConnectionStateMachine
    private var timer = ConnectionTimer()
    private var exchange: Exchange?
    /// Numbers requests so that a late write for an earlier request is recognised and dropped.
    private var nextExchangeID: Int32 = 1

    init(responder: any HTTPResponder, connection: AcceptedConnection, logger: Logger) {
        self.responder = responder
        self.connection = connection
        self.logger = logger
        self.machine = ConnectionStateMachine(
            configuration: connection.machineConfiguration, acceptedAt: connection.acceptedAt)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.sink = HTTP1ResponseSink(handler: self, eventLoop: context.eventLoop, slot: self.connection.slot)
        self.arm(by: self.machine.nextDeadline)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.connectionClosed()
        self.context = nil
        // The sink holds this handler: breaking the cycle frees both once handlers let go.
        self.sink = nil
    }

    /// Bytes reached the socket (`HTTP1ReadGate`, before the parser): they may start the
    /// next request head, which must then be complete within the header timeout.
    func bytesArrived() {
        self.arm(by: self.machine.bytesArrived(now: self.now))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.receive(head, context: context)
        case .body(let buffer):
            self.exchange?.handler?.receiveBody(buffer)
        case .end:
            guard let exchange = self.exchange else { return }
            self.machine.requestEnded(exchange.id)
            exchange.handler?.receiveEnd()
        }
    }

    private func receive(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard let sink = self.sink else { return }
        // HTTP/1.1 cannot tell a client which pipelined requests were read: after a quiesce the
        // connection closes once the response in flight is out, and later ones are not served.
        guard self.machine.state != .draining else { return }
        let id = self.nextExchangeID
        self.nextExchangeID &+= 1
        guard case .accept(let armBy) = self.machine.requestOpened(id, now: self.now) else {
            // Over the requests in progress a connection may have (handlers still running after
            // their responses): this answer closes the connection.
            self.exchange = Exchange(id: id, keepAlive: false)
            self.write([.head(ResponseHead(status: 503)), .end(trailers: nil)], exchangeID: id)
            return
        }
        self.arm(by: armBy)
        var fields = HTTPFields()
        for (name, value) in head.headers { fields.append(name.lowercased(), value) }
        let request = RequestHead(
            version: .http1_1, method: head.method.rawValue, path: head.uri,
            authority: head.headers.first(name: "host"), headers: fields, connectionID: self.connection.id)
        self.exchange = Exchange(id: id, keepAlive: head.isKeepAlive)
        let handler = self.responder.makeRequestHandler(head: request, writer: ResponseWriter(sink: sink, streamID: id))
        if self.exchange?.id == id { self.exchange?.handler = handler }
    }

    /// Graceful shutdown (`ChannelShouldQuiesceEvent`, taken by `HTTP1ReadGate` before
    /// NIOHTTP1's pipeline handler sees it): an idle connection closes now, a busy one after its
    /// response, with `Connection: close`. NIOHTTP1's own quiescing asserts in debug builds when
    /// the parser reports a half-received head as the connection closes.
    func quiesce() {
        if self.machine.quiesce() == .closeDrained { self.context?.close(promise: nil) }
    }

    /// Answers the client does not read (the socket's buffer over its high water mark) must
    /// start moving again within the body timeout.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.machine.responsesDrained()
        } else {
            self.arm(by: self.machine.responseWaiting(progressed: false, now: self.now))
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connectionClosed()
        context.fireChannelInactive()
    }

    /// A request NIOHTTP1 could not parse: `HTTPServerProtocolErrorHandler` has answered 400
    /// with `Connection: close`; the connection goes, or a client that sent garbage could keep
    /// it open forever.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.debug("closing an HTTP/1.1 connection after an error", metadata: ["error": "\(error)"])
        self.cancelExchange()
        context.close(promise: nil)
    }

    // MARK: deadlines

    /// The loop's clock (tests move an `EmbeddedEventLoop`'s).
    private var now: NIODeadline { self.context?.eventLoop.now ?? .now() }

    private func arm(by deadline: NIODeadline?) {
        guard let context = self.context else { return }
        self.timer.arm(by: deadline, on: context.eventLoop) { [self] in self.timerFired() }
    }

    private func timerFired() {
        self.timer.fired()
        guard let context = self.context else { return }
        for action in self.machine.timerFired(now: self.now) {
            switch action {
            case .closeSlowHeaders, .closeIdle, .closeDrained, .closeStalledResponses:
                if action == .closeSlowHeaders { TransportMetrics.timedOut(.header) }
                if action == .closeIdle { TransportMetrics.timedOut(.idle) }
                if action == .closeStalledResponses { TransportMetrics.timedOut(.send) }
                self.cancelExchange()
                context.close(promise: nil)
                return
            case .expireRequest(let id):
                guard let exchange = self.exchange, exchange.id == id else { continue }
                TransportMetrics.timedOut(.body)
                self.cancelExchange()
                if !exchange.headSent {
                    let head = HTTPResponseHead(
                        version: .http1_1, status: .requestTimeout,
                        headers: ["connection": "close", "content-length": "0"])
                    context.write(self.wrapOutboundOut(.head(head)), promise: nil)
                    context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
                }
                context.close(promise: nil)
                return
            }
        }
        self.arm(by: self.machine.nextDeadline)
    }

    // MARK: the connection

    private func cancelExchange() {
        guard let exchange = self.exchange else { return }
        self.exchange = nil
        let outcome = self.machine.streamClosed(exchange.id, now: self.now)
        if outcome.cancelHandler { exchange.handler?.cancel() }
    }

    private func connectionClosed() {
        self.timer.cancel()
        guard self.machine.state != .closed else { return }
        let exchange = self.exchange
        self.exchange = nil
        let cancelled = self.machine.connectionClosed()
        if let exchange, cancelled.contains(exchange.id) { exchange.handler?.cancel() }
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
                if !exchange.keepAlive || self.machine.state == .draining {
                    headers.replaceOrAdd(name: "connection", value: "close")
                }
                let status = HTTPResponseStatus(statusCode: head.status)
                context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            case .body(let buffer):
                context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            case .end:
                // HTTP/1.1 trailers would need chunked encoding; no client of ours reads them.
                self.exchange = nil
                self.machine.responseEnded(exchange.id)
                let outcome = self.machine.streamClosed(exchange.id, now: self.now)
                let written = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
                self.arm(by: outcome.armBy)
                if !exchange.keepAlive || self.machine.state == .draining {
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

    func workStarted(exchangeID: Int32) {
        self.machine.workStarted(exchangeID)
    }

    func workFinished(exchangeID: Int32) {
        self.apply(self.machine.workFinished(exchangeID, now: self.now))
    }

    private func apply(_ outcome: ConnectionStateMachine.Outcome) {
        self.arm(by: outcome.armBy)
        if outcome.action == .closeDrained { self.context?.close(promise: nil) }
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

/// Sits before the HTTP/1.1 parser and hands it at most 4 KiB at a time, the next only when
/// the pipeline asks to read. NIOHTTP1 parses every pipelined request it is given at once and
/// queues them until their turn, so what it is given bounds that queue: a parsed request costs
/// a hundred times its bytes, and a client pipelining tiny requests without reading the answers
/// parked a whole socket read's worth per connection (the abuse suite saw ~2.5 MiB each). Also tells the connection handler
/// when bytes arrive, so a request head is timed from its first byte, and takes the shutdown's
/// quiesce event for it, which NIOHTTP1's pipeline handler then never sees.
final class HTTP1ReadGate: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = NIOAny

    static let chunkSize = 4 << 10

    private let connectionHandler: HTTP1ConnectionHandler
    /// Bytes read from the socket and not yet given to the parser.
    private var held: ByteBuffer?

    init(notifying connectionHandler: HTTP1ConnectionHandler) {
        self.connectionHandler = connectionHandler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.connectionHandler.bytesArrived()
        var incoming = self.unwrapInboundIn(data)
        if self.held == nil {
            self.held = incoming
        } else {
            self.held?.writeBuffer(&incoming)
        }
        self.forwardChunk(context: context)
    }

    /// The pipeline wants more: held bytes first, the socket once none are left. After a held
    /// chunk the read is asked for again from the tail, as the channel does after a socket
    /// read; NIOHTTP1's pipeline handler holds it while a request waits for its answer.
    func read(context: ChannelHandlerContext) {
        guard self.held == nil else {
            self.forwardChunk(context: context)
            context.fireChannelReadComplete()
            context.channel.read()
            return
        }
        context.read()
    }

    private func forwardChunk(context: ChannelHandlerContext) {
        guard var held = self.held else { return }
        let chunk = held.readSlice(length: min(Self.chunkSize, held.readableBytes))
        self.held = held.readableBytes > 0 ? held : nil
        if let chunk { context.fireChannelRead(self.wrapInboundOut(chunk)) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            self.connectionHandler.quiesce()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

@available(*, unavailable)
extension HTTP1ReadGate: Sendable {}

/// Carries response parts from any thread to the connection's event loop.
struct HTTP1ResponseSink: ResponseSink {
    private let handler: NIOLoopBound<HTTP1ConnectionHandler>
    private let eventLoop: any EventLoop
    private let slot: ConnectionSlot?

    init(handler: HTTP1ConnectionHandler, eventLoop: any EventLoop, slot: ConnectionSlot?) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.eventLoop = eventLoop
        self.slot = slot
    }

    func write(_ parts: [ResponsePart], streamID: Int32) {
        self.onLoop { $0.write(parts, exchangeID: streamID) }
    }

    func reset(streamID: Int32, reason: StreamResetReason) {
        self.onLoop { $0.reset(exchangeID: streamID) }
    }

    func workStarted(streamID: Int32) {
        self.slot?.retain()
        self.handler.value.workStarted(exchangeID: streamID)
    }

    func workFinished(streamID: Int32) {
        self.slot?.release()
        self.onLoop { $0.workFinished(exchangeID: streamID) }
    }

    private func onLoop(_ body: @escaping @Sendable (HTTP1ConnectionHandler) -> Void) {
        if self.eventLoop.inEventLoop {
            body(self.handler.value)
        } else {
            let handler = self.handler
            self.eventLoop.execute { body(handler.value) }
        }
    }
}
