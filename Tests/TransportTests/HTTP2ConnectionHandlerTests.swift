import CNGHTTP2
import NIOCore
import NIOEmbedded
import Testing

@testable import Transport

/// One HTTP/2 connection on an `EmbeddedChannel`, driven frame by frame.
private final class H2Peer {
    let channel: EmbeddedChannel
    let responder: ScriptedResponder
    private let decoder = HeaderDecoder()
    private var pending: [UInt8] = []

    init(sendPreface: Bool = true, responder: ScriptedResponder = ScriptedResponder(), limits: ConnectionLimits = testLimits())
        throws
    {
        self.responder = responder
        self.channel = try makeConnection(responder: responder, limits: limits)
        if sendPreface {
            try self.send(HTTP2Frames.preface)
            _ = try self.received()  // SETTINGS, WINDOW_UPDATE, SETTINGS ACK
        }
    }

    func send(_ bytes: [UInt8]) throws {
        try self.channel.writeInbound(ByteBuffer(bytes: bytes))
        self.channel.embeddedEventLoop.run()
    }

    /// Frames the server sent since the last call.
    func received() throws -> [HTTP2Frames.Received] {
        self.channel.embeddedEventLoop.run()
        self.pending += try self.channel.readAllOutboundBytes()
        let frames = HTTP2Frames.parse(self.pending)
        self.pending.removeFirst(frames.reduce(0) { $0 + 9 + $1.payload.count })
        return frames
    }

    func status(of frame: HTTP2Frames.Received) -> String? {
        self.decoder.decode(frame.payload)[":status"]
    }

    func advance(by amount: TimeAmount) {
        self.channel.embeddedEventLoop.advanceTime(by: amount)
    }
}

@Suite struct HTTP2ConnectionHandlerTests {
    private static let check = HTTP2Frames.request("/grpc.health.v1.Health/Check")

    @Test func theServerPrefaceAdvertisesItsSettingsAndOpensTheConnectionWindow() throws {
        let peer = try H2Peer(sendPreface: false)
        try peer.send(HTTP2Frames.preface)
        let frames = try peer.received()
        let kinds = frames.map(\.kind)
        #expect(kinds.first == HTTP2Frames.Kind.settings.rawValue)
        #expect(kinds.contains(HTTP2Frames.Kind.windowUpdate.rawValue))
        #expect(frames.contains { $0.kind == HTTP2Frames.Kind.settings.rawValue && $0.flags == HTTP2Frames.ack })
        // SETTINGS_MAX_CONCURRENT_STREAMS (3) = 100
        #expect(frames[0].payload.starts(with: [0, 3, 0, 0, 0, 100]))
    }

    @Test func aRequestIsAnsweredAndCarriesItsConnection() throws {
        let peer = try H2Peer()
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: false))
        try peer.send(HTTP2Frames.data(stream: 1, [1, 2, 3], endStream: true))
        let frames = try peer.received()
        let headers = try #require(frames.first { $0.kind == HTTP2Frames.Kind.headers.rawValue })
        #expect(peer.status(of: headers) == "200")
        #expect(frames.contains { $0.kind == HTTP2Frames.Kind.data.rawValue && $0.flags & HTTP2Frames.endStream != 0 })
        #expect(peer.responder.requests.first?.head.connectionID == 7)
        #expect(peer.responder.requests.first?.body.readableBytes == 3)
    }

    /// RST_STREAM(NO_ERROR) from a client is as much a cancellation as CANCEL: a Watch the
    /// client reset this way must not run forever.
    @Test(arguments: [UInt32(0), 2, 8])
    func aClientResetWithAnyCodeCancelsTheHandler(code: UInt32) throws {
        let peer = try H2Peer(responder: ScriptedResponder(answersAtEnd: false))
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: true))
        peer.responder.requests[0].writer.workStarted()
        try peer.send(HTTP2Frames.rstStream(stream: 1, code: code))
        #expect(peer.responder.requests[0].cancelled == 1)
    }

    @Test func closingTheConnectionCancelsEveryUnansweredRequest() throws {
        let peer = try H2Peer(responder: ScriptedResponder(answersAtEnd: false))
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: true))
        try peer.send(HTTP2Frames.headers(stream: 3, Self.check, endStream: false))
        _ = try peer.channel.finish()
        #expect(peer.responder.requests.map(\.cancelled) == [1, 1])
    }

    @Test func resetStreamsWhoseHandlersStillRunCountAndFurtherStreamsAreRefused() throws {
        let peer = try H2Peer(responder: ScriptedResponder(answersAtEnd: false), limits: testLimits(maxRequests: 2))
        for stream: Int32 in [1, 3] {
            try peer.send(HTTP2Frames.headers(stream: stream, Self.check, endStream: true))
            peer.responder.requests.last?.writer.workStarted()
            try peer.send(HTTP2Frames.rstStream(stream: stream, code: 8))
        }
        _ = try peer.received()
        try peer.send(HTTP2Frames.headers(stream: 5, Self.check, endStream: true))
        let refused = try peer.received().first { $0.kind == HTTP2Frames.Kind.rstStream.rawValue }
        #expect(refused?.stream == 5)
        #expect(refused?.errorCode == NGHTTP2_REFUSED_STREAM.rawValue)
        #expect(peer.responder.requests.count == 2)

        peer.responder.requests[0].writer.workFinished()
        try peer.send(HTTP2Frames.headers(stream: 7, Self.check, endStream: true))
        #expect(peer.responder.requests.count == 3)
    }

    // MARK: deadlines

    @Test func aMagicWithoutSettingsIsClosedAtTheHeaderTimeout() throws {
        let peer = try H2Peer(sendPreface: false)
        try peer.send(HTTP2Frames.magic)
        peer.advance(by: .seconds(9))
        #expect(peer.channel.isActive)
        peer.advance(by: .seconds(1))
        let goAway = try peer.received().first { $0.kind == HTTP2Frames.Kind.goAway.rawValue }
        #expect(goAway?.errorCode == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(!peer.channel.isActive)
    }

    @Test func halfAPrefaceIsClosedAtTheHeaderTimeout() throws {
        let peer = try H2Peer(sendPreface: false)
        try peer.send(Array(HTTP2Frames.magic.prefix(12)))
        peer.advance(by: .seconds(10))
        #expect(!peer.channel.isActive)
    }

    @Test func aHeaderBlockWithoutItsEndIsClosedAtTheHeaderTimeout() throws {
        let peer = try H2Peer()
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: true, endHeaders: false))
        peer.advance(by: .seconds(10))
        #expect(try peer.received().contains { $0.kind == HTTP2Frames.Kind.goAway.rawValue })
        #expect(!peer.channel.isActive)
        #expect(peer.responder.requests.isEmpty)
    }

    @Test func anIdleConnectionGetsGoAwayAndIsClosed() throws {
        let peer = try H2Peer(limits: testLimits(idle: .seconds(120)))
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: true))
        _ = try peer.received()
        peer.advance(by: .seconds(119))
        #expect(peer.channel.isActive)
        peer.advance(by: .seconds(1))
        let goAway = try peer.received().first { $0.kind == HTTP2Frames.Kind.goAway.rawValue }
        #expect(goAway?.errorCode == NGHTTP2_NO_ERROR.rawValue)
        #expect(!peer.channel.isActive)
    }

    @Test func aBodyThatStopsArrivingResetsItsStreamAndCancelsItsHandler() throws {
        let peer = try H2Peer(responder: ScriptedResponder(answersAtEnd: false), limits: testLimits(body: .seconds(30)))
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: false))
        try peer.send(HTTP2Frames.data(stream: 1, [0, 0, 0, 0, 9], endStream: false))
        peer.advance(by: .seconds(30))
        let reset = try peer.received().first { $0.kind == HTTP2Frames.Kind.rstStream.rawValue }
        #expect(reset?.stream == 1)
        #expect(reset?.errorCode == NGHTTP2_CANCEL.rawValue)
        #expect(peer.responder.requests[0].cancelled == 1)
        #expect(peer.channel.isActive)
    }

    /// A handler may answer before the client's body ends (a refusal): when that body then
    /// stalls, the stream is reset, but the handler has finished and is not cancelled too.
    @Test func aStalledBodyAfterTheAnswerResetsTheStreamWithoutCancellingTheHandler() throws {
        let peer = try H2Peer(responder: ScriptedResponder(answersAtEnd: false), limits: testLimits(body: .seconds(30)))
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: false))
        peer.responder.requests[0].answer("refused", status: 413)
        _ = try peer.received()
        peer.advance(by: .seconds(30))
        let reset = try peer.received().first { $0.kind == HTTP2Frames.Kind.rstStream.rawValue }
        #expect(reset?.stream == 1)
        #expect(peer.responder.requests[0].cancelled == 0)
        #expect(peer.channel.isActive)
    }

    /// nghttp2 gives up after 8 CONTINUATIONs without queuing a GOAWAY; the client still gets one.
    @Test func aContinuationFloodIsAConnectionErrorWithGoAway() throws {
        let peer = try H2Peer()
        var flood = HTTP2Frames.headers(stream: 1, Self.check, endStream: true, endHeaders: false)
        for _ in 0..<9 {
            flood += HTTP2Frames.frame(.continuation, stream: 1, HTTP2Frames.headerBlock([("x-pad", "a")]))
        }
        try? peer.send(flood)
        let goAway = try peer.received().first { $0.kind == HTTP2Frames.Kind.goAway.rawValue }
        #expect(goAway?.errorCode == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(!peer.channel.isActive)
    }

    @Test func aHeaderListOverTheLimitIs431AndTheConnectionServesOn() throws {
        let peer = try H2Peer()
        try peer.send(HTTP2Frames.headersSplit(stream: 1, Self.check + [("x-big", String(repeating: "a", count: 17 << 10))], endStream: true))
        let headers = try #require(try peer.received().first { $0.kind == HTTP2Frames.Kind.headers.rawValue })
        #expect(peer.status(of: headers) == "431")
        #expect(peer.responder.requests.isEmpty)
        try peer.send(HTTP2Frames.headers(stream: 3, Self.check, endStream: true))
        #expect(peer.responder.requests.count == 1)
    }

    /// HPACK can make a small block decode to megabytes; past four times the limit the
    /// connection ends instead of decoding on.
    @Test func aHeaderListFarOverTheLimitEndsTheConnection() throws {
        let peer = try H2Peer()
        let fields = (0..<20).map { ("x-big-\($0)", String(repeating: "a", count: 4000)) }
        let frames = HTTP2Frames.headersSplit(stream: 1, Self.check + fields, endStream: true)
        try? peer.send(frames)
        let goAway = try peer.received().first { $0.kind == HTTP2Frames.Kind.goAway.rawValue }
        #expect(goAway?.errorCode == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(!peer.channel.isActive)
    }

    /// A client that never opens its flow-control window would keep its answers, and their
    /// streams, for ever; response data must move within the body timeout.
    @Test func answersAClientDoesNotAcceptEndTheConnectionAtTheBodyTimeout() throws {
        let peer = try H2Peer(sendPreface: false, limits: testLimits(idle: .seconds(500), body: .seconds(30)))
        // SETTINGS_INITIAL_WINDOW_SIZE (4) = 0
        try peer.send(HTTP2Frames.magic + HTTP2Frames.frame(.settings, payload: [0, 4, 0, 0, 0, 0]))
        _ = try peer.received()
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: true))
        #expect(try peer.received().contains { $0.kind == HTTP2Frames.Kind.headers.rawValue })
        peer.advance(by: .seconds(29))
        #expect(peer.channel.isActive)
        peer.advance(by: .seconds(1))
        let goAway = try peer.received().first { $0.kind == HTTP2Frames.Kind.goAway.rawValue }
        #expect(goAway?.errorCode == NGHTTP2_ENHANCE_YOUR_CALM.rawValue)
        #expect(!peer.channel.isActive)
    }

    @Test func aStreamWithNothingToSendIsNotTimedOut() throws {
        let peer = try H2Peer(responder: ScriptedResponder(answersAtEnd: false), limits: testLimits(idle: .seconds(500), body: .seconds(30)))
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: true))
        peer.responder.requests[0].writer.write(.head(ResponseHead(status: 200)))
        peer.advance(by: .seconds(100))
        #expect(peer.channel.isActive)
    }

    // MARK: RFC 9113 §5.1 (h2spec 5.1/8-12, 5.1.1/2, 6.1/2)

    @Test func aHeadersFrameBelowTheHighestStreamIdIsAConnectionError() throws {
        let peer = try H2Peer()
        try peer.send(HTTP2Frames.headers(stream: 5, Self.check, endStream: true))
        try peer.send(HTTP2Frames.headers(stream: 3, Self.check, endStream: true))
        let goAway = try peer.received().first { $0.kind == HTTP2Frames.Kind.goAway.rawValue }
        #expect(goAway?.errorCode == NGHTTP2_PROTOCOL_ERROR.rawValue)
        #expect(!peer.channel.isActive)
        #expect(peer.responder.requests.count == 1)
    }

    @Test func dataOnAClosedStreamIsStreamClosed() throws {
        let peer = try H2Peer()
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: true))
        _ = try peer.received()
        try peer.send(HTTP2Frames.data(stream: 1, [1], endStream: true))
        let error = try peer.received().first { $0.errorCode != nil }
        #expect(error?.errorCode == NGHTTP2_STREAM_CLOSED.rawValue)
    }

    @Test func dataAfterTheClientResetAStreamIsStreamClosed() throws {
        let peer = try H2Peer(responder: ScriptedResponder(answersAtEnd: false))
        try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: false))
        try peer.send(HTTP2Frames.rstStream(stream: 1, code: 8))
        try peer.send(HTTP2Frames.data(stream: 1, [1], endStream: true))
        let error = try peer.received().first { $0.errorCode != nil }
        #expect(error?.errorCode == NGHTTP2_STREAM_CLOSED.rawValue)
    }

    // MARK: lifetime

    @Test func anHTTP2HandlerIsFreedWhenItsConnectionClosesAndItsHandlersLetGo() throws {
        weak var released: HTTP2ConnectionHandler?
        let responder = ScriptedResponder(answersAtEnd: false)
        try {
            let peer = try H2Peer(responder: responder)
            try peer.send(HTTP2Frames.headers(stream: 1, Self.check, endStream: true))
            released = try peer.channel.pipeline.syncOperations.handler(type: HTTP2ConnectionHandler.self)
            _ = try peer.channel.finish()
        }()
        // The request (and its writer, which reaches the handler) is still held by the responder.
        #expect(released != nil)
        responder.requests.removeAll()
        #expect(released == nil)
    }
}
