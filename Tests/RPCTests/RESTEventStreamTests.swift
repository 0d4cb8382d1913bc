import Logging
import NIOCore
import ProtoWire
import Testing
import Transport

@testable import RPC

/// Server-streaming methods over REST: server-sent events, with errors before the first event
/// answered as ordinary REST errors and later ones as an `error` event, and heartbeats.
@Suite struct RESTEventStreamTests {
    enum Methods {
        static let repeatThrice = EchoMethods.repeatThrice
        static let failEarly = ServerStreamingMethod<Echo, Echo>(service: "test.EchoService", method: "FailEarly")
        static let failLate = ServerStreamingMethod<Echo, Echo>(service: "test.EchoService", method: "FailLate")
        static let quiet = ServerStreamingMethod<Echo, Echo>(service: "test.EchoService", method: "Quiet")
    }

    let sink = RecordingSink()
    let probe = Probe()

    private func start(_ method: ServerStreamingMethod<Echo, Echo>, heartbeat: Duration = .seconds(60)) -> any RequestHandler {
        var router = makeEchoRouter(probe: self.probe)
        let probe = self.probe
        router.register(Methods.failEarly, policy: openEcho) { _, _, _ in throw RPCError(.notFound, "no such echo") }
        router.register(Methods.failLate, policy: openEcho) { _, _, stream in
            try await stream.send(Echo("first"))
            throw RPCError(.aborted, "gave up")
        }
        router.register(Methods.quiet, policy: openEcho) { _, _, stream in
            try await stream.send(Echo("hello"))
            try await probe.sleepUntilCancelled()
        }
        var limits = RPCServer.Limits()
        limits.eventStreamHeartbeat = heartbeat
        let server = RPCServer(
            router: router, rest: RESTRouter([RESTRoute("GET", "/events/{text}", rpc: method.descriptor)]),
            limits: limits, logger: Logger(label: "test"))
        let head = RequestHead(version: .http1_1, method: "GET", path: "/events/hi", authority: "h", headers: [:])
        let handler = server.makeRequestHandler(head: head, writer: ResponseWriter(sink: self.sink, streamID: 1))
        handler.receiveEnd()
        return handler
    }

    private var body: String {
        self.sink.status.bodies.map { String(buffer: $0) }.joined()
    }

    @Test func eachMessageIsOneEventOfItsJSON() async throws {
        _ = self.start(Methods.repeatThrice)
        await self.sink.waitForEnd()
        #expect(self.sink.status.http == 200)
        #expect(self.sink.status.fields["content-type"] == "text/event-stream")
        #expect(self.sink.status.fields["x-request-id"] != nil)
        #expect(self.body == #"data: {"text":"1 hi"}\#n\#ndata: {"text":"2 hi"}\#n\#ndata: {"text":"3 hi"}\#n\#n"#)
    }

    @Test func anErrorBeforeTheFirstEventIsAnOrdinaryRESTError() async throws {
        _ = self.start(Methods.failEarly)
        await self.sink.waitForEnd()
        #expect(self.sink.status.http == 404)
        #expect(self.sink.status.fields["content-type"] == "application/json")
        #expect(self.body == #"{"code":5,"message":"no such echo","details":[]}"#)
    }

    @Test func anErrorAfterTheFirstEventIsAnErrorEventThatEndsTheStream() async throws {
        _ = self.start(Methods.failLate)
        await self.sink.waitForEnd()
        #expect(self.sink.status.http == 200)
        #expect(self.body == #"data: {"text":"first"}\#n\#nevent: error\#ndata: {"code":10,"message":"gave up","details":[]}\#n\#n"#)
    }

    @Test func aQuietStreamGetsHeartbeatsAndStopsWhenTheClientLeaves() async throws {
        let handler = self.start(Methods.quiet, heartbeat: .milliseconds(20))
        while !self.body.contains(": keep-alive\n\n") { try await Task.sleep(for: .milliseconds(5)) }
        #expect(self.body.hasPrefix(#"data: {"text":"hello"}\#n\#n: keep-alive\#n\#n"#))
        handler.cancel()
        try await self.sink.waitUntilWorkFinished()
        #expect(self.probe.wasCancelled)
    }
}
