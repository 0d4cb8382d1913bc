import Logging
import NIOCore
import NIOEmbedded
import Synchronization

@testable import Transport

/// Limits small enough to reach in a test, on an `EmbeddedEventLoop` whose clock the test moves.
func testLimits(
    header: TimeAmount = .seconds(10), idle: TimeAmount = .seconds(120), body: TimeAmount = .seconds(30),
    maxRequests: Int = 100
) -> ConnectionLimits {
    var limits = ConnectionLimits()
    limits.headerTimeout = header
    limits.idleTimeout = idle
    limits.bodyTimeout = body
    limits.maxRequestsPerConnection = maxRequests
    return limits
}

/// An accepted connection on an `EmbeddedChannel`, built the way the server builds one
/// (`HTTPServer.configure`): back-pressure handler, sniffer, then the protocol's handlers.
func makeConnection(
    responder: any HTTPResponder, limits: ConnectionLimits = testLimits(), settings: HTTP2Settings = HTTP2Settings(),
    slot: ConnectionSlot? = nil
) throws -> EmbeddedChannel {
    let loop = EmbeddedEventLoop()
    let channel = EmbeddedChannel(loop: loop)
    let connection = AcceptedConnection(id: 7, acceptedAt: loop.now, limits: limits, slot: slot)
    try HTTPServer.configure(
        channel, responder: responder, settings: settings, tls: nil, connection: connection, logger: Logger(label: "test"))
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    return channel
}

extension EmbeddedChannel {
    /// Bytes from the client, then a read as a socket channel issues after each read (an
    /// `EmbeddedChannel` does not): the HTTP/1.1 read gate passes held bytes on when asked.
    func receive(_ text: String) throws {
        try self.writeInbound(ByteBuffer(string: text))
        self.read()
    }

    /// Everything written to the socket so far, as text.
    func readAllOutbound() throws -> String {
        var text = ""
        while var buffer = try self.readOutbound(as: ByteBuffer.self) {
            text += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        return text
    }

    func readAllOutboundBytes() throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try self.readOutbound(as: ByteBuffer.self) {
            bytes += buffer.readableBytesView
        }
        return bytes
    }
}

/// A responder whose handlers the test drives: each request's handler is kept, with its
/// writer, so the test decides when work starts, ends and what is answered.
final class ScriptedResponder: HTTPResponder, @unchecked Sendable {
    // Only touched on the EmbeddedChannel's single thread.
    final class Request: RequestHandler {
        let head: RequestHead
        let writer: ResponseWriter
        var body = ByteBuffer()
        var ended = false
        var cancelled = 0
        /// Answer 200 with the body length as soon as the request ends.
        var answersAtEnd: Bool

        init(head: RequestHead, writer: ResponseWriter, answersAtEnd: Bool) {
            self.head = head
            self.writer = writer
            self.answersAtEnd = answersAtEnd
        }

        func receiveBody(_ buffer: ByteBuffer) {
            var buffer = buffer
            self.body.writeBuffer(&buffer)
        }

        func receiveEnd() {
            self.ended = true
            if self.answersAtEnd { self.answer("got \(self.body.readableBytes) bytes") }
        }

        func cancel() { self.cancelled += 1 }

        func answer(_ text: String, status: Int = 200) {
            self.writer.write([
                .head(ResponseHead(status: status, headers: ["content-type": "text/plain"])),
                .body(ByteBuffer(string: text)), .end(trailers: nil),
            ])
        }
    }

    var requests: [Request] = []
    let answersAtEnd: Bool

    init(answersAtEnd: Bool = true) {
        self.answersAtEnd = answersAtEnd
    }

    func makeRequestHandler(head: RequestHead, writer: ResponseWriter) -> any RequestHandler {
        let request = Request(head: head, writer: writer, answersAtEnd: self.answersAtEnd)
        self.requests.append(request)
        return request
    }
}
