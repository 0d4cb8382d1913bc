import CNGHTTP2
import Logging
import NIOCore
import Synchronization

/// Serves one HTTP/2 connection with nghttp2: one session per connection, confined to the
/// channel's event loop. Requests are handed to the `HTTPResponder`; responses come back
/// through `HTTP2ResponseSink`, possibly from other threads, and are submitted here.
final class HTTP2ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let responder: any HTTPResponder
    private let settings: HTTP2Settings
    private let logger: Logger
    private var session: NGHTTP2Session?
    private var context: ChannelHandlerContext?
    private var requestHandlers: [Int32: any RequestHandler] = [:]
    /// Body bytes received per stream whose request has not ended, and their sum: the
    /// per-connection budget of `HTTP2Settings.maxBufferedRequestBytes`.
    private var unfinishedBodyBytes: [Int32: Int] = [:]
    private var bufferedRequestBytes = 0
    private var sink: HTTP2ResponseSink?
    private var readInProgress = false
    /// Output submitted by handlers is drained once per event-loop tick.
    private var outputScheduled = false
    private var draining = false

    init(responder: any HTTPResponder, settings: HTTP2Settings, logger: Logger) {
        self.responder = responder
        self.settings = settings
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.sink = HTTP2ResponseSink(handler: self, eventLoop: context.eventLoop)
        do {
            self.session = try NGHTTP2Session(settings: self.settings, allocator: context.channel.allocator)
        } catch {
            self.logger.error("could not create an HTTP/2 session", metadata: ["error": "\(error)"])
            context.close(promise: nil)
            return
        }
        // The server connection preface (our SETTINGS) goes out before anything is read.
        self.writeOutput(context: context, flush: true)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelAllRequests()
        self.context = nil
        self.session = nil
        // The sink holds this handler: breaking the cycle frees both with the connection.
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
            self.process(session.takeEvents(), context: context)
            self.writeOutput(context: context, flush: true)
            context.close(promise: nil)
            return
        }
        self.process(session.takeEvents(), context: context)
        self.writeOutput(context: context, flush: false)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.writeOutput(context: context, flush: true)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelAllRequests()
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

    private func process(_ events: [HTTP2SessionEvent], context: ChannelHandlerContext) {
        for event in events {
            switch event {
            case .requestHead(let streamID, let head):
                guard let sink = self.sink else { continue }
                let writer = ResponseWriter(sink: sink, streamID: streamID)
                self.requestHandlers[streamID] = self.responder.makeRequestHandler(head: head, writer: writer)
            case .requestHeadTooLarge(let streamID):
                self.session?.submitHeadersOnlyResponse(streamID: streamID, head: ResponseHead(status: 431))
            case .body(let streamID, let buffer):
                guard self.admit(buffer.readableBytes, on: streamID) else { continue }
                self.requestHandlers[streamID]?.receiveBody(buffer)
            case .requestEnded(let streamID):
                self.release(streamID)
                self.requestHandlers[streamID]?.receiveEnd()
            case .streamClosed(let streamID, let errorCode):
                self.release(streamID)
                if let handler = self.requestHandlers.removeValue(forKey: streamID), errorCode != 0 {
                    handler.cancel()
                }
            case .pingAcknowledged:
                if self.draining { self.session?.sendFinalGoAway() }
            }
        }
    }

    /// Counts body bytes against the connection's budget; over it, the stream is reset with
    /// ENHANCE_YOUR_CALM and its handler cancelled, and the bytes are dropped.
    private func admit(_ count: Int, on streamID: Int32) -> Bool {
        guard self.requestHandlers[streamID] != nil else { return false }
        if self.bufferedRequestBytes + count > self.settings.maxBufferedRequestBytes {
            self.release(streamID)
            self.requestHandlers.removeValue(forKey: streamID)?.cancel()
            self.session?.resetStream(streamID: streamID, errorCode: NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
            return false
        }
        self.unfinishedBodyBytes[streamID, default: 0] += count
        self.bufferedRequestBytes += count
        return true
    }

    private func release(_ streamID: Int32) {
        if let count = self.unfinishedBodyBytes.removeValue(forKey: streamID) { self.bufferedRequestBytes -= count }
    }

    // MARK: responses

    /// Submits what handlers wrote since the last batch. The output is sent at the end of
    /// this event-loop tick, so that everything submitted in the tick shares one write and one
    /// flush (inside `channelRead` the read's own flush covers it).
    func submit(_ commands: [HTTP2ResponseSink.Command]) {
        guard let session = self.session else { return }
        for command in commands {
            switch command {
            case .write(let parts, let streamID): self.submit(parts, streamID: streamID, to: session)
            case .reset(let streamID, let reason): self.reset(streamID: streamID, reason: reason, in: session)
            }
        }
        self.scheduleOutput()
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
                    index = parts.index(after: next)
                    continue
                }
                session.submitResponse(streamID: streamID, head: head)
            case .body(let buffer):
                session.enqueueBody(streamID: streamID, buffer)
            case .end(let trailers):
                session.finishResponse(streamID: streamID, trailers: trailers)
            }
            index = parts.index(after: index)
        }
    }

    private func reset(streamID: Int32, reason: StreamResetReason, in session: NGHTTP2Session) {
        let code: UInt32
        switch reason {
        case .cancel: code = NGHTTP2_CANCEL.rawValue
        case .internalError: code = NGHTTP2_INTERNAL_ERROR.rawValue
        }
        session.resetStream(streamID: streamID, errorCode: code)
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
        self.process(session.takeEvents(), context: context)
        if buffer.readableBytes > 0 {
            context.write(self.wrapOutboundOut(buffer), promise: nil)
        }
        if flush || !session.isActive { context.flush() }
        if !session.isActive { context.close(promise: nil) }
    }

    // MARK: shutdown

    private func startGracefulShutdown(context: ChannelHandlerContext) {
        guard !self.draining, let session = self.session else { return }
        self.draining = true
        session.startGracefulShutdown()
        self.writeOutput(context: context, flush: true)
        // A client that never answers the PING still gets the final GOAWAY.
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) {
            self.session?.sendFinalGoAway()
            if let context = self.context { self.writeOutput(context: context, flush: true) }
        }
    }

    private func cancelAllRequests() {
        let handlers = self.requestHandlers
        self.requestHandlers.removeAll()
        for handler in handlers.values { handler.cancel() }
    }
}

@available(*, unavailable)
extension HTTP2ConnectionHandler: Sendable {}

/// Carries response parts from any thread to the connection's event loop. Writes queue up
/// under a lock and one event-loop task submits everything queued, so that responses
/// finishing together cost one hop, one write and one flush rather than one each.
final class HTTP2ResponseSink: ResponseSink {
    enum Command {
        case write([ResponsePart], streamID: Int32)
        case reset(streamID: Int32, StreamResetReason)
    }

    private struct Queue {
        var commands: [Command] = []
        var drainScheduled = false
    }

    private let handler: NIOLoopBound<HTTP2ConnectionHandler>
    private let eventLoop: any EventLoop
    private let queue = Mutex(Queue())

    init(handler: HTTP2ConnectionHandler, eventLoop: any EventLoop) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.eventLoop = eventLoop
    }

    func write(_ parts: [ResponsePart], streamID: Int32) {
        self.enqueue(.write(parts, streamID: streamID))
    }

    func reset(streamID: Int32, reason: StreamResetReason) {
        self.enqueue(.reset(streamID: streamID, reason))
    }

    private func enqueue(_ command: Command) {
        let mustSchedule = self.queue.withLock { queue -> Bool in
            queue.commands.append(command)
            defer { queue.drainScheduled = true }
            return !queue.drainScheduled
        }
        guard mustSchedule else { return }
        if self.eventLoop.inEventLoop {
            self.drain()
        } else {
            self.eventLoop.execute { self.drain() }
        }
    }

    private func drain() {
        let commands = self.queue.withLock { queue -> [Command] in
            defer {
                queue.commands = []
                queue.drainScheduled = false
            }
            return queue.commands
        }
        self.handler.value.submit(commands)
    }
}
