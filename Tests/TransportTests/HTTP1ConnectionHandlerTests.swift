import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Transport

/// Answers every request at once with a fixed body, recording what it saw.
private final class EchoResponder: HTTPResponder, @unchecked Sendable {
    // Only touched on the EmbeddedChannel's single thread.
    var heads: [RequestHead] = []

    func makeRequestHandler(head: RequestHead, writer: ResponseWriter) -> any RequestHandler {
        self.heads.append(head)
        return CollectingHandler(writer: writer)
    }

    final class CollectingHandler: RequestHandler {
        let writer: ResponseWriter
        var body = ByteBuffer()
        init(writer: ResponseWriter) { self.writer = writer }
        func receiveBody(_ buffer: ByteBuffer) {
            var buffer = buffer
            self.body.writeBuffer(&buffer)
        }
        func receiveEnd() {
            self.writer.write([
                .head(ResponseHead(status: 200, headers: ["content-type": "text/plain"])),
                .body(ByteBuffer(string: "got \(self.body.readableBytes) bytes")),
                .end(trailers: nil),
            ])
        }
        func cancel() {}
    }
}

@Suite struct HTTP1ConnectionHandlerTests {
    private func makeChannel(_ responder: EchoResponder) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true)
        try channel.pipeline.syncOperations.addHandler(HTTP1ConnectionHandler(responder: responder))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    private func readResponse(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        return text
    }

    @Test func aWholeResponseGetsAContentLengthAndKeepsTheConnection() throws {
        let responder = EchoResponder()
        let channel = try self.makeChannel(responder)
        try channel.writeInbound(ByteBuffer(string: "POST /x?y=1 HTTP/1.1\r\nHost: example\r\nX-Custom: A\r\nContent-Length: 3\r\n\r\nabc"))
        let response = try self.readResponse(channel)
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.lowercased().contains("content-length: 11\r\n"))
        #expect(response.hasSuffix("\r\n\r\ngot 3 bytes"))
        #expect(channel.isActive)
        #expect(responder.heads.first?.path == "/x?y=1")
        #expect(responder.heads.first?.authority == "example")
        #expect(responder.heads.first?.headers["x-custom"] == "A")
        _ = try channel.finish()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let responder = EchoResponder()
        let channel = try self.makeChannel(responder)
        try channel.writeInbound(
            ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"))
        let response = try self.readResponse(channel)
        #expect(response.ranges(of: "HTTP/1.1 200 OK").count == 2)
        #expect(responder.heads.map(\.path) == ["/a", "/b"])
        _ = try channel.finish()
    }

    @Test func connectionCloseIsHonouredAfterTheResponse() throws {
        let responder = EchoResponder()
        let channel = try self.makeChannel(responder)
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"))
        let response = try self.readResponse(channel)
        #expect(response.lowercased().contains("connection: close"))
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }
}

/// Answers from inside `makeRequestHandler`, as the RPC layer does for 404/405/415.
private final class ImmediateResponder: HTTPResponder {
    final class Ignore: RequestHandler {
        func receiveBody(_ buffer: ByteBuffer) {}
        func receiveEnd() {}
        func cancel() {}
    }

    func makeRequestHandler(head: RequestHead, writer: ResponseWriter) -> any RequestHandler {
        writer.write([.head(ResponseHead(status: 404)), .body(ByteBuffer(string: "nope")), .end(trailers: nil)])
        return Ignore()
    }
}

@Suite struct HTTP1ImmediateAnswerTests {
    @Test func anAnswerWrittenBeforeTheRequestEndsIsSentAndTheConnectionServesTheNextRequest() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true)
        try channel.pipeline.syncOperations.addHandler(HTTP1ConnectionHandler(responder: ImmediateResponder()))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"))
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        #expect(text.ranges(of: "HTTP/1.1 404 Not Found").count == 2)
        #expect(text.hasSuffix("nope"))
        _ = try channel.finish()
    }
}

@Suite struct ConnectionHandlerLifetimeTests {
    /// The response sink and the handler point at each other; the cycle must break when the
    /// connection goes, or every connection ever accepted stays in memory.
    @Test func anHTTP1HandlerIsFreedWhenItsConnectionCloses() throws {
        weak var released: HTTP1ConnectionHandler?
        try {
            let channel = EmbeddedChannel()
            let handler = HTTP1ConnectionHandler(responder: ImmediateResponder())
            released = handler
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true)
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"))
            _ = try channel.finish()
        }()
        #expect(released == nil)
    }
}
