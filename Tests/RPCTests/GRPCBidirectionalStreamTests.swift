import Logging
import MetricsTestKit
import NIOCore
import Testing
import Transport

@testable import RPC

/// Bidirectional calls: requests reach the handler as they arrive, bounded in size and number.
@Suite struct GRPCBidirectionalStreamTests {
    static let chat = BidirectionalStreamingMethod<Echo, Echo>(service: "test.ChatService", method: "Chat")
    static let deaf = BidirectionalStreamingMethod<Echo, Echo>(service: "test.ChatService", method: "Deaf")

    let probe = Probe()
    let sink = RecordingSink()
    let registry = CallRegistry()

    /// `Chat` answers each request at once; `Deaf` never reads one. Requests up to 16 bytes.
    private func router() -> RPCRouter {
        var router = RPCRouter()
        let probe = self.probe
        router.register(Self.chat, policy: .open(maxRequestSize: 16)) { requests, _, responses in
            probe.markStarted()
            do {
                for try await request in requests { try await responses.send(Echo("re: \(request.text)")) }
            } catch {
                probe.markCancelled()
                throw error
            }
        }
        router.register(Self.deaf, policy: .open(maxRequestSize: 16)) { _, _, _ in
            probe.markStarted()
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                probe.markCancelled()
                throw error
            }
        }
        return router
    }

    private func start(_ method: BidirectionalStreamingMethod<Echo, Echo>) -> any RequestHandler {
        GRPCRequestHandler.make(
            head: grpcHead(method.descriptor.path), isJSON: false, writer: ResponseWriter(sink: self.sink, streamID: 1),
            router: self.router(), registry: self.registry, maxMessageSize: 1 << 20, credentials: .authorizationOrCookie,
            metrics: RPCMetrics(factory: TestMetrics(), logger: Logger(label: "test")), logger: Logger(label: "test"))
    }

    private func waitForBodies(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while self.sink.status.bodies.count < count {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    @Test func eachRequestIsAnsweredBeforeTheClientEndsItsRequest() async throws {
        let handler = self.start(Self.chat)
        handler.receiveBody(framed(Echo("one")))
        try await self.waitForBodies(1)
        handler.receiveBody(framed(Echo("two")))
        try await self.waitForBodies(2)
        #expect(self.sink.status.fields["grpc-status"] == nil)
        handler.receiveEnd()
        await self.sink.waitForEnd()
        let (http, fields, bodies) = self.sink.status
        #expect(http == 200)
        #expect(fields["grpc-status"] == "0")
        #expect(try bodies.map(unframe) == [Echo("re: one"), Echo("re: two")])
    }

    @Test func messagesSplitAcrossAndSharingDataFramesAreEachDelivered() async throws {
        let handler = self.start(Self.chat)
        var bytes = framed(Echo("a"))
        var second = framed(Echo("b"))
        bytes.writeBuffer(&second)
        let split = bytes.readableBytes - 3
        handler.receiveBody(try #require(bytes.getSlice(at: bytes.readerIndex, length: split)))
        handler.receiveBody(try #require(bytes.getSlice(at: bytes.readerIndex + split, length: 3)))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(try self.sink.status.bodies.map(unframe) == [Echo("re: a"), Echo("re: b")])
    }

    @Test func aRequestWithoutMessagesEndsOK() async {
        let handler = self.start(Self.chat)
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.fields["grpc-status"] == "0")
        #expect(self.sink.status.bodies.isEmpty)
    }

    @Test func aMessageOverTheMethodsLimitIsResourceExhaustedAndStopsTheHandler() async throws {
        let handler = self.start(Self.chat)
        handler.receiveBody(framed(Echo("ok")))
        try await self.waitForBodies(1)
        handler.receiveBody(framed(Echo(String(repeating: "x", count: 64))))
        #expect(self.sink.status.fields["grpc-status"] == "8")
        try await self.sink.waitUntilWorkFinished()
        #expect(self.probe.wasCancelled)
    }

    @Test func moreWaitingMessagesThanTheBufferHoldsIsResourceExhausted() async throws {
        let handler = self.start(Self.deaf)
        var burst = ByteBuffer()
        for index in 0...GRPCStreamingRequestHandler.maxWaitingMessages {
            var message = framed(Echo("\(index)"))
            burst.writeBuffer(&message)
        }
        handler.receiveBody(burst)
        #expect(self.sink.status.fields["grpc-status"] == "8")
        #expect(self.sink.status.fields["grpc-message"]?.contains("waiting") == true)
        try await self.sink.waitUntilWorkFinished()
        #expect(self.probe.wasCancelled)
    }

    @Test func aClientResetEndsTheHandlersRequestsWithCancellation() async throws {
        let handler = self.start(Self.chat)
        handler.receiveBody(framed(Echo("one")))
        try await self.waitForBodies(1)
        handler.cancel()
        try await self.sink.waitUntilWorkFinished()
        #expect(self.probe.wasCancelled)
        #expect(self.sink.status.fields["grpc-status"] == nil)
    }

    @Test func aRequestEndingMidMessageIsInternal() async throws {
        let handler = self.start(Self.chat)
        let message = framed(Echo("one"))
        handler.receiveBody(try #require(message.getSlice(at: message.readerIndex, length: 4)))
        handler.receiveEnd()
        #expect(self.sink.status.fields["grpc-status"] == "13")
    }
}
