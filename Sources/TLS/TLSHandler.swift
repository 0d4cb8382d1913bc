public import Logging
public import NIOCore

/// Terminates TLS in front of the HTTP handlers: ciphertext from the socket goes through the
/// connection's OpenSSL `SSL` (`TLSConnection`), plaintext comes out, and the other way round.
/// Once the handshake is done it fires `TLSHandshakeCompleted` with ALPN's choice, before any
/// plaintext.
///
/// Bounds: each socket read is decrypted whole and passed on at once, so the handler holds at
/// most a partial record of ciphertext and no plaintext; writes are encrypted when flushed, as
/// one batch of records, so what waits on the socket is what the handlers above wrote, plus the
/// records' overhead, and the channel's water marks apply to it as before. The handshake has no
/// timer of its own: it counts against the header timeout, which the protocol sniffer above
/// keeps from the accept. A first byte that does not start a TLS handshake record (plaintext
/// HTTP, noise) closes the connection at once, and so does any handshake OpenSSL refuses.
public final class TLSHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private enum State {
        /// Nothing received yet: the first byte decides whether this is TLS at all.
        case awaitingClientHello
        case handshaking
        case established
        case closed
    }

    /// TLS record content type 22, handshake (RFC 8446 §5.1): every ClientHello starts with it.
    private static let handshakeRecordType: UInt8 = 22

    private let connection: TLSConnection
    private let logger: Logger
    private var state = State.awaitingClientHello
    /// Plaintext written since the last flush, encrypted in one go when it comes.
    private var unflushed: ByteBuffer?
    /// The promises of those writes, completed when their ciphertext has been written.
    private var unflushedPromises: [EventLoopPromise<Void>] = []

    /// Throws only when OpenSSL cannot allocate a connection.
    public init(context: TLSContext, logger: Logger) throws {
        self.connection = try TLSConnection(context: context)
        self.logger = logger
    }

    // MARK: inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let ciphertext = self.unwrapInboundIn(data)
        switch self.state {
        case .closed:
            return
        case .awaitingClientHello:
            guard let first = ciphertext.getInteger(at: ciphertext.readerIndex, as: UInt8.self) else { return }
            guard first == Self.handshakeRecordType else {
                self.closeAfterFailure(context: context, reason: "the first bytes are not a TLS handshake", counted: .notTLS)
                return
            }
            self.state = .handshaking
        case .handshaking, .established:
            break
        }
        guard self.connection.receive(ciphertext) else {
            self.closeAfterFailure(context: context, reason: "cannot buffer ciphertext", counted: nil)
            return
        }
        if self.state == .handshaking {
            switch self.connection.handshake() {
            case .needMoreBytes:
                self.writeCiphertext(context: context)
                return
            case .failed(let reason):
                self.closeAfterFailure(context: context, reason: reason, counted: .refused)
                return
            case .closedByPeer:
                self.close(context: context, mode: .all, promise: nil)
                return
            case .done:
                self.state = .established
                self.writeCiphertext(context: context)
                context.fireUserInboundEventTriggered(
                    TLSHandshakeCompleted(applicationProtocol: self.connection.applicationProtocol))
                // Writes made before the handshake ended (none from our handlers) go out now.
                if self.unflushed != nil { self.flush(context: context) }
            }
        }
        self.decrypt(context: context, sizeHint: ciphertext.readableBytes)
    }

    /// Passes on the plaintext of what was received, in a buffer the size of the ciphertext
    /// read (plaintext is shorter; a record begun in an earlier read may need a second buffer),
    /// then writes what OpenSSL answered (a key update's).
    private func decrypt(context: ChannelHandlerContext, sizeHint: Int) {
        while self.state == .established {
            var plaintext = context.channel.allocator.buffer(capacity: max(sizeHint, 1024))
            let progress = self.connection.read(into: &plaintext)
            if plaintext.readableBytes > 0 {
                context.fireChannelRead(self.wrapInboundOut(plaintext))
                guard self.state == .established else { return }   // a handler above closed
            }
            switch progress {
            case .done:
                continue
            case .needMoreBytes:
                self.writeCiphertext(context: context)
                return
            case .closedByPeer:
                self.close(context: context, mode: .all, promise: nil)
                return
            case .failed(let reason):
                self.closeAfterFailure(context: context, reason: reason, counted: nil)
                return
            }
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        self.state = .closed
        self.failUnflushed(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        self.failUnflushed(ChannelError.ioOnClosedChannel)
    }

    // MARK: outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard self.state != .closed else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        var plaintext = self.unwrapOutboundIn(data)
        if var pending = self.unflushed {
            self.unflushed = nil   // one reference, so appending does not copy
            pending.writeBuffer(&plaintext)
            self.unflushed = pending
        } else {
            self.unflushed = plaintext
        }
        if let promise { self.unflushedPromises.append(promise) }
    }

    public func flush(context: ChannelHandlerContext) {
        guard self.state == .established else { return }   // held until the handshake is done
        self.encryptUnflushed(context: context)
    }

    /// Sends what was written, then `close_notify`, then closes.
    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if self.state == .established && mode != .input {
            self.encryptUnflushed(context: context)
            if self.state == .established {
                self.connection.shutdown()
                self.writeCiphertext(context: context)
            }
        }
        if mode != .input { self.state = .closed }
        self.failUnflushed(ChannelError.ioOnClosedChannel)
        context.close(mode: mode, promise: promise)
    }

    private func encryptUnflushed(context: ChannelHandlerContext) {
        if let plaintext = self.unflushed {
            self.unflushed = nil
            guard self.connection.write(plaintext) else {
                self.closeAfterFailure(context: context, reason: "cannot encrypt", counted: nil)
                return
            }
        }
        self.writeCiphertext(context: context)
    }

    /// Writes and flushes what OpenSSL has produced, completing the promises of the plaintext
    /// it came from once it is written.
    private func writeCiphertext(context: ChannelHandlerContext) {
        let promise = self.takeUnflushedPromises(eventLoop: context.eventLoop)
        guard let ciphertext = self.connection.takeCiphertext(allocator: context.channel.allocator) else {
            promise?.succeed()   // empty writes: nothing to wait for
            return
        }
        context.write(self.wrapOutboundOut(ciphertext), promise: promise)
        context.flush()
    }

    /// One promise for the writes encrypted since the last call (usually one or none).
    private func takeUnflushedPromises(eventLoop: any EventLoop) -> EventLoopPromise<Void>? {
        guard self.unflushed == nil else { return nil }   // their plaintext is still waiting
        switch self.unflushedPromises.count {
        case 0:
            return nil
        case 1:
            return self.unflushedPromises.removeLast()
        default:
            let combined = eventLoop.makePromise(of: Void.self)
            for promise in self.unflushedPromises { combined.futureResult.cascade(to: promise) }
            self.unflushedPromises.removeAll(keepingCapacity: true)
            return combined
        }
    }

    private func failUnflushed(_ error: any Error) {
        self.unflushed = nil
        let promises = self.unflushedPromises
        self.unflushedPromises.removeAll()
        for promise in promises { promise.fail(error) }
    }

    /// Sends OpenSSL's alert, if it queued one, and closes. `counted`: a handshake failure.
    private func closeAfterFailure(context: ChannelHandlerContext, reason: String, counted: TLSMetrics.Failure?) {
        if let counted { TLSMetrics.handshakeFailed(counted) }
        self.logger.debug(counted == nil ? "closing a TLS connection after an error" : "TLS handshake failed", metadata: [
            "reason": "\(reason)", "peer": "\(context.channel.remoteAddress?.description ?? "-")",
        ])
        self.failUnflushed(ChannelError.ioOnClosedChannel)
        self.writeCiphertext(context: context)
        self.state = .closed
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension TLSHandler: Sendable {}
