import CNGHTTP2
import Logging
import NIOCore

/// Serves one HTTP/2 connection with nghttp2: one session per connection, confined to the
/// channel's event loop. Requests are handed to the `HTTPResponder`; responses come back
/// through `HTTP2ResponseSink`, possibly from other threads, and are submitted here. Deadlines
/// and the requests in progress are the `ConnectionStateMachine`'s; this class carries out
/// what it decides.
final class HTTP2ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let responder: any HTTPResponder
    private let settings: HTTP2Settings
    private let connection: AcceptedConnection
    private let logger: Logger
    private var session: NGHTTP2Session?
    private var context: ChannelHandlerContext?
    private var machine: ConnectionStateMachine
    private var timer = ConnectionTimer()
    private var credit: RequestBodyCredit
    private var requestHandlers = StreamTable<any RequestHandler>()
    private var sink: HTTP2ResponseSink?
    private var readInProgress = false
    /// Output submitted by handlers is drained once per event-loop tick.
    private var outputScheduled = false
    /// `NGHTTP2Session.sentResponseBytes` at the last drain, to see whether responses moved.
    private var sentResponseBytes = 0

    init(responder: any HTTPResponder, settings: HTTP2Settings, connection: AcceptedConnection, logger: Logger) {
        self.responder = responder
        self.settings = settings
        self.connection = connection
        self.logger = logger
        self.machine = ConnectionStateMachine(
            configuration: connection.machineConfiguration, acceptedAt: connection.acceptedAt)
        self.credit = RequestBodyCredit(budget: settings.maxBufferedRequestBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.sink = HTTP2ResponseSink(handler: self, eventLoop: context.eventLoop, slot: self.connection.slot)
        do {
            self.session = try NGHTTP2Session(settings: self.settings, allocator: context.channel.allocator)
        } catch {
            self.logger.error("could not create an HTTP/2 session", metadata: ["error": "\(error)"])
            context.close(promise: nil)
            return
        }
        self.arm(by: self.machine.nextDeadline)
        // The server connection preface (our SETTINGS) goes out before anything is read.
        self.writeOutput(context: context, flush: true)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.connectionClosed()
        self.context = nil
        self.session = nil
        // The sink holds this handler: breaking the cycle frees both once handlers let go.
        self.sink = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session = self.session else { return }
        self.readInProgress = true
        defer { self.readInProgress = false }
        do {
            try session.receive(self.unwrapInboundIn(data))
        } catch {
            self.logger.debug("HTTP/2 session failed", metadata: ["error": "\(error)"])
            session.terminate(after: error)
            self.process(session.takeEvents())
            self.writeOutput(context: context, flush: true)
            context.close(promise: nil)
            return
        }
        self.process(session.takeEvents())
        self.writeOutput(context: context, flush: false)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.writeOutput(context: context, flush: true)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connectionClosed()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            self.startGracefulShutdown(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: events from nghttp2

    private func process(_ events: [HTTP2SessionEvent]) {
        guard !events.isEmpty else { return }
        let now = self.now
        for event in events {
            switch event {
            case .prefaceReceived:
                self.arm(by: self.machine.prefaceReceived(now: now))
            case .headerBlockStarted:
                self.arm(by: self.machine.headerBlockStarted(now: now))
            case .requestHead(let streamID, var head):
                guard case .accept(let armBy) = self.machine.requestOpened(streamID, now: now), let sink = self.sink
                else {
                    self.refuse(streamID)
                    continue
                }
                self.arm(by: armBy)
                head.connectionID = self.connection.id
                let writer = ResponseWriter(sink: sink, streamID: streamID)
                self.requestHandlers[streamID] = self.responder.makeRequestHandler(head: head, writer: writer)
            case .requestHeadTooLarge(let streamID):
                guard case .accept = self.machine.requestOpened(streamID, now: now) else {
                    self.refuse(streamID)
                    continue
                }
                self.session?.submitHeadersOnlyResponse(streamID: streamID, head: ResponseHead(status: 431))
                self.machine.responseEnded(streamID)
            case .body(let streamID, let buffer):
                self.receive(buffer, on: streamID)
            case .requestEnded(let streamID):
                self.machine.requestEnded(streamID)
                self.requestHandlers[streamID]?.receiveEnd()
            case .streamClosed(let streamID, _):
                let handler = self.requestHandlers.removeValue(forKey: streamID)
                let outcome = self.machine.streamClosed(streamID, now: now)
                if outcome.cancelHandler { handler?.cancel() }
                self.apply(outcome, streamID: streamID)
            case .pingAcknowledged:
                if self.machine.state == .draining { self.session?.sendFinalGoAway() }
            }
        }
    }

    /// Over `maxRequestsPerConnection` (or draining): the client may retry the stream.
    private func refuse(_ streamID: Int32) {
        TransportMetrics.streamRefused()
        self.session?.resetStream(streamID: streamID, errorCode: NGHTTP2_REFUSED_STREAM.rawValue)
    }

    /// Body bytes go to their handler and are credited back to the client as the budget allows;
    /// bytes no handler keeps (refused or answered streams) are credited at once.
    private func receive(_ buffer: ByteBuffer, on streamID: Int32) {
        guard let handler = self.requestHandlers[streamID] else {
            self.session?.consume(streamID: streamID, count: buffer.readableBytes)
            return
        }
        if let grant = self.credit.received(buffer.readableBytes, on: streamID) {
            self.session?.consume(streamID: grant.streamID, count: grant.count)
        }
        handler.receiveBody(buffer)
    }

    private func apply(_ outcome: ConnectionStateMachine.Outcome, streamID: Int32) {
        if outcome.released {
            for grant in self.credit.released(streamID) {
                self.session?.consume(streamID: grant.streamID, count: grant.count)
            }
        }
        self.arm(by: outcome.armBy)
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
        guard let context = self.context, let session = self.session else { return }
        for action in self.machine.timerFired(now: self.now) {
            switch action {
            case .closeSlowHeaders:
                TransportMetrics.timedOut(.header)
                session.terminate(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
            case .closeIdle:
                TransportMetrics.timedOut(.idle)
                session.terminate(errorCode: NGHTTP2_NO_ERROR.rawValue)
            case .expireRequest(let streamID):
                // The reset's `streamClosed` cancels the handler, unless it has already answered
                // (a handler may end its response before the client ends its body).
                TransportMetrics.timedOut(.body)
                session.resetStream(streamID: streamID, errorCode: NGHTTP2_CANCEL.rawValue)
            case .closeStalledResponses:
                TransportMetrics.timedOut(.send)
                session.terminate(errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
            case .closeDrained:
                break  // nghttp2 ends the connection after the final GOAWAY once streams are done
            }
        }
        self.arm(by: self.machine.nextDeadline)
        self.writeOutput(context: context, flush: true)
    }

    // MARK: responses

    /// Submits what handlers wrote since the last batch. The output is sent at the end of
    /// this event-loop tick, so that everything submitted in the tick shares one write and one
    /// flush (inside `channelRead` the read's own flush covers it).
    func submit(_ commands: [HTTP2ResponseSink.Command]) {
        for command in commands {
            switch command {
            case .write(let parts, let streamID):
                guard let session = self.session else { continue }
                self.submit(parts, streamID: streamID, to: session)
            case .reset(let streamID, let reason):
                self.session?.resetStream(streamID: streamID, errorCode: reason.http2ErrorCode)
            case .workFinished(let streamID):
                self.apply(self.machine.workFinished(streamID, now: self.now), streamID: streamID)
            }
        }
        self.scheduleOutput()
    }

    /// A handler started work in a task (on the loop, inside `receiveEnd`).
    func workStarted(streamID: Int32) {
        self.machine.workStarted(streamID)
    }

    private func scheduleOutput() {
        guard !self.readInProgress, !self.outputScheduled, let context = self.context else { return }
        self.outputScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.outputScheduled = false
            guard let context = self.context else { return }
            self.writeOutput(context: context, flush: true)
        }
    }

    private func submit(_ parts: [ResponsePart], streamID: Int32, to session: NGHTTP2Session) {
        var index = parts.startIndex
        while index < parts.endIndex {
            switch parts[index] {
            case .head(let head):
                let next = parts.index(after: index)
                if next < parts.endIndex, case .end(let trailers) = parts[next] {
                    // Nothing between head and end: one HEADERS frame with END_STREAM.
                    var merged = head
                    if let trailers { merged.headers.append(contentsOf: trailers) }
                    session.submitHeadersOnlyResponse(streamID: streamID, head: merged)
                    self.machine.responseEnded(streamID)
                    index = parts.index(after: next)
                    continue
                }
                session.submitResponse(streamID: streamID, head: head)
            case .body(let buffer):
                session.enqueueBody(streamID: streamID, buffer)
            case .end(let trailers):
                session.finishResponse(streamID: streamID, trailers: trailers)
                self.machine.responseEnded(streamID)
            }
            index = parts.index(after: index)
        }
    }

    /// Drains nghttp2 into one buffer and writes it. Draining can close streams (their
    /// events are processed here) and can end the connection.
    private func writeOutput(context: ChannelHandlerContext, flush: Bool) {
        guard let session = self.session else { return }
        // Room for a burst of small responses without regrowing.
        var buffer = context.channel.allocator.buffer(capacity: 4096)
        do {
            try session.drainOutput(into: &buffer)
        } catch {
            self.logger.debug("HTTP/2 session failed while sending", metadata: ["error": "\(error)"])
            context.close(promise: nil)
            return
        }
        self.process(session.takeEvents())
        self.trackResponseProgress(session)
        if buffer.readableBytes > 0 {
            context.write(self.wrapOutboundOut(buffer), promise: nil)
        }
        if flush || !session.isActive { context.flush() }
        if !session.isActive { context.close(promise: nil) }
    }

    /// Response data a client's closed flow-control windows hold back must move within the body
    /// timeout (`ConnectionStateMachine.responseWaiting`): a client that never opens them would
    /// otherwise keep its answers, and their streams, for as long as it likes.
    private func trackResponseProgress(_ session: NGHTTP2Session) {
        let progressed = session.sentResponseBytes != self.sentResponseBytes
        self.sentResponseBytes = session.sentResponseBytes
        if session.queuedResponseBytes > 0 {
            self.arm(by: self.machine.responseWaiting(progressed: progressed, now: self.now))
        } else {
            self.machine.responsesDrained()
        }
    }

    // MARK: shutdown

    private func startGracefulShutdown(context: ChannelHandlerContext) {
        guard self.machine.state != .draining, let session = self.session else { return }
        _ = self.machine.quiesce()
        session.startGracefulShutdown()
        self.writeOutput(context: context, flush: true)
        // A client that never answers the PING still gets the final GOAWAY.
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) {
            self.session?.sendFinalGoAway()
            if let context = self.context { self.writeOutput(context: context, flush: true) }
        }
    }

    /// The socket is gone: handlers whose responses had not ended are cancelled; the state
    /// machine keeps counting those still running until they return.
    private func connectionClosed() {
        self.timer.cancel()
        guard self.machine.state != .closed else { return }
        let cancelled = self.machine.connectionClosed()
        let handlers = self.requestHandlers
        self.requestHandlers = StreamTable()
        for streamID in cancelled { handlers[streamID]?.cancel() }
    }
}

@available(*, unavailable)
extension HTTP2ConnectionHandler: Sendable {}

extension StreamResetReason {
    var http2ErrorCode: UInt32 {
        switch self {
        case .cancel: NGHTTP2_CANCEL.rawValue
        case .internalError: NGHTTP2_INTERNAL_ERROR.rawValue
        }
    }
}
