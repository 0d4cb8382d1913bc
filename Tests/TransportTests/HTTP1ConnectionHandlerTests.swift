import NIOCore
import NIOEmbedded
import Testing

@testable import Transport

@Suite struct HTTP1ConnectionHandlerTests {
    @Test func aWholeResponseGetsAContentLengthAndKeepsTheConnection() throws {
        let responder = ScriptedResponder()
        let channel = try makeConnection(responder: responder)
        try channel.receive("POST /x?y=1 HTTP/1.1\r\nHost: example\r\nX-Custom: A\r\nContent-Length: 3\r\n\r\nabc")
        let response = try channel.readAllOutbound()
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.lowercased().contains("content-length: 11\r\n"))
        #expect(response.hasSuffix("\r\n\r\ngot 3 bytes"))
        #expect(channel.isActive)
        let head = try #require(responder.requests.first?.head)
        #expect(head.path == "/x?y=1")
        #expect(head.authority == "example")
        #expect(head.headers["x-custom"] == "A")
        #expect(head.connectionID == 7)
        _ = try channel.finish()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let responder = ScriptedResponder()
        let channel = try makeConnection(responder: responder)
        try channel.writeInbound(
            ByteBuffer(string: "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"))
        let response = try channel.readAllOutbound()
        #expect(response.ranges(of: "HTTP/1.1 200 OK").count == 2)
        #expect(responder.requests.map(\.head.path) == ["/a", "/b"])
        _ = try channel.finish()
    }

    /// The read gate passes pipelined bytes on 4 KiB at a time, as the pipeline asks for them:
    /// nothing is lost or reordered however many arrive at once.
    @Test func manyPipelinedRequestsArriveTogetherAndAreAllServedInOrder() throws {
        let responder = ScriptedResponder()
        let channel = try makeConnection(responder: responder)
        let requests = (0..<300).map { "GET /r\($0) HTTP/1.1\r\nHost: h\r\n\r\n" }.joined()
        try channel.receive(requests)
        channel.embeddedEventLoop.run()
        #expect(try channel.readAllOutbound().ranges(of: "HTTP/1.1 200 OK").count == 300)
        #expect(responder.requests.map(\.head.path) == (0..<300).map { "/r\($0)" })
    }

    @Test func connectionCloseIsHonouredAfterTheResponse() throws {
        let channel = try makeConnection(responder: ScriptedResponder())
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
        let response = try channel.readAllOutbound()
        #expect(response.lowercased().contains("connection: close"))
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }

    @Test func anAnswerWrittenBeforeTheRequestEndsIsSentAndTheNextRequestIsServed() throws {
        let channel = try makeConnection(responder: ImmediateResponder())
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n")
        let text = try channel.readAllOutbound()
        #expect(text.ranges(of: "HTTP/1.1 404 Not Found").count == 2)
        #expect(text.hasSuffix("nope"))
        _ = try channel.finish()
    }

    @Test func anUnparsableRequestGets400AndTheConnectionCloses() throws {
        let channel = try makeConnection(responder: ScriptedResponder())
        _ = try? channel.receive("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n")
        channel.embeddedEventLoop.run()
        #expect(try channel.readAllOutbound().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(!channel.isActive)
    }

    @Test func aFirstLineThatIsNeitherProtocolIsClosedWithoutAnAnswer() throws {
        let channel = try makeConnection(responder: ScriptedResponder())
        _ = try? channel.receive("INVALID CONNECTION PREFACE\r\n\r\n")
        channel.embeddedEventLoop.run()
        #expect(try channel.readAllOutbound().isEmpty)
        #expect(!channel.isActive)
    }

    @Test func contentLengthWithTransferEncodingIsRefusedAndTheConnectionCloses() throws {
        let responder = ScriptedResponder()
        let channel = try makeConnection(responder: responder)
        _ = try? channel.writeInbound(ByteBuffer(
            string: "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"))
        channel.embeddedEventLoop.run()
        #expect(try channel.readAllOutbound().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(responder.requests.isEmpty)
        #expect(!channel.isActive)
    }

    @Test func aHeaderListOverSixteenKiBIsRefused() throws {
        let responder = ScriptedResponder()
        let channel = try makeConnection(responder: responder)
        let big = String(repeating: "a", count: 17 << 10)
        _ = try? channel.receive("GET /x HTTP/1.1\r\nHost: h\r\nX-Big: \(big)\r\n\r\n")
        channel.embeddedEventLoop.run()
        #expect(try channel.readAllOutbound().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(responder.requests.isEmpty)
        #expect(!channel.isActive)
    }

    // MARK: deadlines

    @Test func aHalfSentRequestHeadIsClosedAtTheHeaderTimeout() throws {
        let channel = try makeConnection(responder: ScriptedResponder(), limits: testLimits(header: .seconds(10)))
        try channel.receive("GET /api/health HTTP/1.1\r\nHost: h\r\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aConnectionThatSendsNothingIsClosedAtTheHeaderTimeout() throws {
        let channel = try makeConnection(responder: ScriptedResponder(), limits: testLimits(header: .seconds(10)))
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        #expect(!channel.isActive)
    }

    @Test func theNextRequestHeadIsTimedFromItsFirstByteNotFromTheIdleTimer() throws {
        let channel = try makeConnection(
            responder: ScriptedResponder(), limits: testLimits(header: .seconds(10), idle: .seconds(120)))
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        _ = try channel.readAllOutbound()
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        try channel.receive("GET /b HTTP/1.1\r\n")
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        #expect(!channel.isActive)
    }

    @Test func anIdleKeepAliveConnectionIsClosedAtTheIdleTimeout() throws {
        let channel = try makeConnection(responder: ScriptedResponder(), limits: testLimits(idle: .seconds(120)))
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        _ = try channel.readAllOutbound()
        channel.embeddedEventLoop.advanceTime(by: .seconds(119))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aBodyThatStopsArrivingGets408AndItsHandlerIsCancelled() throws {
        let responder = ScriptedResponder()
        let channel = try makeConnection(responder: responder, limits: testLimits(body: .seconds(30)))
        try channel.receive("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc")
        channel.embeddedEventLoop.advanceTime(by: .seconds(30))
        #expect(try channel.readAllOutbound().hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(responder.requests.first?.cancelled == 1)
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }

    @Test func aSlowHandlerIsNotTimedOutOnceTheBodyHasArrived() throws {
        let responder = ScriptedResponder(answersAtEnd: false)
        let channel = try makeConnection(responder: responder, limits: testLimits(header: .seconds(10), body: .seconds(30)))
        try channel.receive("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")
        responder.requests[0].writer.workStarted()
        channel.embeddedEventLoop.advanceTime(by: .seconds(100))
        #expect(channel.isActive)
        responder.requests[0].answer("late")
        responder.requests[0].writer.workFinished()
        channel.embeddedEventLoop.run()
        #expect(try channel.readAllOutbound().hasSuffix("late"))
        #expect(channel.isActive)
    }

    @Test func answersTheClientDoesNotReadCloseTheConnectionAtTheBodyTimeout() throws {
        let channel = try makeConnection(responder: ScriptedResponder(), limits: testLimits(idle: .seconds(500), body: .seconds(30)))
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func answersThatDrainAgainAreNotTimedOut() throws {
        let channel = try makeConnection(responder: ScriptedResponder(), limits: testLimits(idle: .seconds(500), body: .seconds(30)))
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(100))
        #expect(channel.isActive)
    }

    // MARK: graceful shutdown

    @Test func quiescingAnIdleConnectionClosesIt() throws {
        let channel = try makeConnection(responder: ScriptedResponder())
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        _ = try channel.readAllOutbound()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }

    /// NIOHTTP1's own quiescing asserts when the parser reports a half-received head as the
    /// connection closes; the connection handler quiesces instead.
    @Test func quiescingWithHalfAHeadReceivedClosesWithoutAnAnswer() throws {
        let channel = try makeConnection(responder: ScriptedResponder())
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /api/health HTTP/1.1\r\nHo")
        _ = try channel.readAllOutbound()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
    }

    @Test func quiescingDuringARequestAnswersItWithConnectionCloseThenCloses() throws {
        let responder = ScriptedResponder(answersAtEnd: false)
        let channel = try makeConnection(responder: responder)
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n")
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(channel.isActive)
        responder.requests[0].answer("last")
        channel.embeddedEventLoop.run()
        let response = try channel.readAllOutbound()
        #expect(response.lowercased().contains("connection: close"))
        #expect(response.hasSuffix("last"))
        #expect(responder.requests.count == 1)
        #expect(!channel.isActive)
    }

    // MARK: the connection

    @Test func closingTheConnectionCancelsTheRequestInProgress() throws {
        let responder = ScriptedResponder(answersAtEnd: false)
        let channel = try makeConnection(responder: responder)
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        _ = try channel.finish()
        #expect(responder.requests.first?.cancelled == 1)
    }

    @Test func theConnectionsPlaceInTheServerIsHeldUntilItsHandlerFinishes() throws {
        let admission = ConnectionAdmission(maxConnections: 1, maxPerPeer: 1)
        guard case .success(let slot) = admission.admit(PeerKey(nil)) else { Issue.record("not admitted"); return }
        let responder = ScriptedResponder(answersAtEnd: false)
        let channel = try makeConnection(responder: responder, slot: slot)
        try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        responder.requests[0].writer.workStarted()
        _ = try channel.finish()
        slot.release()  // the socket's hold, as HTTPServer lets go on close
        #expect(admission.openConnections == 1)
        responder.requests[0].writer.workFinished()
        #expect(admission.openConnections == 0)
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

@Suite struct ConnectionHandlerLifetimeTests {
    /// The response sink and the handler point at each other; the cycle must break when the
    /// connection goes, or every connection ever accepted stays in memory.
    @Test func anHTTP1HandlerIsFreedWhenItsConnectionCloses() throws {
        weak var released: HTTP1ConnectionHandler?
        try {
            let channel = try makeConnection(responder: ImmediateResponder())
            try channel.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
            released = try channel.pipeline.syncOperations.handler(type: HTTP1ConnectionHandler.self)
            _ = try channel.finish()
        }()
        #expect(released == nil)
    }
}

@Suite struct HTTP1LifetimeAfterTimeoutsTests {
    @Test func anHTTP1HandlerIsFreedAfterItsIdleTimeoutClosedTheConnectionAndItsRequestsLetGo() throws {
        weak var released: HTTP1ConnectionHandler?
        let responder = ScriptedResponder()
        try {
            let channel = try makeConnection(responder: responder)
            try channel.receive("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            channel.embeddedEventLoop.run()
            released = try channel.pipeline.syncOperations.handler(type: HTTP1ConnectionHandler.self)
            channel.embeddedEventLoop.advanceTime(by: .seconds(200))
            #expect(!channel.isActive)
            _ = try channel.finish(acceptAlreadyClosed: true)
        }()
        // Its request's writer still reaches it, as a handler task's would until it returns.
        #expect(released != nil)
        responder.requests.removeAll()
        #expect(released == nil)
    }
}
