import Logging
import MetricsTestKit
import NIOCore
import Synchronization
import Testing
import Transport

@testable import RPC

/// Every request, gRPC or REST, routed or not: counted and timed by method, code and
/// transport, and answered with its `x-request-id`.
@Suite struct RequestObservabilityTests {
    let metrics = TestMetrics()
    let sink = RecordingSink()

    private func server(routes: [RESTRoute] = []) -> RPCServer {
        RPCServer(
            router: makeEchoRouter(probe: Probe()), rest: RESTRouter(routes),
            metrics: RPCMetrics(factory: self.metrics, logger: Logger(label: "test")), logger: Logger(label: "test"))
    }

    private func requests(_ method: String, _ code: String, _ transport: String) -> Int64 {
        self.metrics.counterTotal(
            label: RPCMetrics.requestsTotal, dimensions: [("method", method), ("code", code), ("transport", transport)])
    }

    private func timings(_ method: String, _ code: String, _ transport: String) -> [Int64] {
        self.metrics.timers(
            label: RPCMetrics.durationSeconds, dimensions: [("method", method), ("code", code), ("transport", transport)]
        ).flatMap(\.values)
    }

    @Test func aGRPCCallIsCountedAndTimedUnderItsMethodAndCode() async throws {
        let server = self.server()
        for _ in 0..<2 {
            let sink = RecordingSink()
            let handler = server.makeRequestHandler(
                head: grpcHead("/test.EchoService/Say"), writer: ResponseWriter(sink: sink, streamID: 1))
            handler.receiveBody(framed(Echo("hi")))
            handler.receiveEnd()
            await sink.waitForEnd()
        }
        let failing = server.makeRequestHandler(
            head: grpcHead("/test.EchoService/Fail"), writer: ResponseWriter(sink: self.sink, streamID: 1))
        failing.receiveBody(framed(Echo("x")))
        failing.receiveEnd()
        await self.sink.waitForEnd()

        #expect(self.requests("test.EchoService/Say", "OK", "grpc") == 2)
        #expect(self.requests("test.EchoService/Fail", "UNKNOWN", "grpc") == 1)
        #expect(self.timings("test.EchoService/Say", "OK", "grpc").count == 2)
        #expect(self.timings("test.EchoService/Say", "OK", "grpc").allSatisfy { $0 > 0 })
    }

    @Test func anUnknownGRPCMethodCountsUnderOneLabelAndStillCarriesTheRequestID() {
        let head = grpcHead("/test.EchoService/Nope\(Int.random(in: 0...1000))", extra: ["x-request-id": "abc-123"])
        _ = self.server().makeRequestHandler(head: head, writer: ResponseWriter(sink: self.sink, streamID: 1))
        #expect(self.requests(RPCMetrics.unknownMethod, "UNIMPLEMENTED", "grpc") == 1)
        #expect(self.sink.status.fields["x-request-id"] == "abc-123")
        #expect(self.sink.status.fields["grpc-status"] == "12")
    }

    @Test func aGRPCResponseEchoesTheClientsRequestIDInItsHeaders() async throws {
        let head = grpcHead("/test.EchoService/Say", extra: ["x-request-id": "req-7f3a"])
        let handler = self.server().makeRequestHandler(head: head, writer: ResponseWriter(sink: self.sink, streamID: 1))
        handler.receiveBody(framed(Echo("hi")))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        guard case .head(let responseHead) = self.sink.parts.first else {
            Issue.record("no response head: \(self.sink.parts)")
            return
        }
        #expect(responseHead.headers["x-request-id"] == "req-7f3a")
    }

    @Test func aRESTRouteAndItsErrorsAreCountedAndCarryARequestID() async throws {
        let server = self.server(routes: [RESTRoute("POST", "/echo", rpc: EchoMethods.say.descriptor)])
        let ok = RecordingSink()
        let handler = server.makeRequestHandler(
            head: RequestHead(version: .http1_1, method: "POST", path: "/echo", authority: nil, headers: [:]),
            writer: ResponseWriter(sink: ok, streamID: 1))
        handler.receiveBody(ByteBuffer(string: #"{"text": "hi"}"#))
        handler.receiveEnd()
        await ok.waitForEnd()
        let generated = ok.status.fields["x-request-id"] ?? ""
        #expect(generated.count == 15)
        #expect(generated.allSatisfy { $0.isHexDigit })

        let bad = server.makeRequestHandler(
            head: RequestHead(
                version: .http1_1, method: "POST", path: "/echo", authority: nil, headers: ["x-request-id": "mine"]),
            writer: ResponseWriter(sink: self.sink, streamID: 1))
        bad.receiveBody(ByteBuffer(string: "{not json"))
        bad.receiveEnd()
        #expect(self.sink.status.http == 400)
        #expect(self.sink.status.fields["x-request-id"] == "mine")

        #expect(self.requests("test.EchoService/Say", "OK", "rest") == 1)
        #expect(self.requests("test.EchoService/Say", "INVALID_ARGUMENT", "rest") == 1)
    }

    @Test func a404IsCountedAsUnknownAndAnsweredWithTheRequestID() {
        let head = RequestHead(
            version: .http1_1, method: "GET", path: "/nowhere/\(UUIDLike.next())", authority: nil,
            headers: ["x-request-id": "trace-404"])
        _ = self.server().makeRequestHandler(head: head, writer: ResponseWriter(sink: self.sink, streamID: 1))
        #expect(self.sink.status.http == 404)
        #expect(self.sink.status.fields["x-request-id"] == "trace-404")
        #expect(self.requests(RPCMetrics.unknownMethod, "NOT_FOUND", "rest") == 1)
    }

    @Test func anEndpointIsCountedByRouteWithTheCodeOfItsHTTPStatus() async throws {
        let seen = RequestIDBox()
        let route = RESTRoute("POST", "/webhooks/{provider}", .endpoint { request in
            seen.set(request.requestID)
            return RESTResponse.json(401, #"{"code":16}"#)
        })
        let handler = self.server(routes: [route]).makeRequestHandler(
            head: RequestHead(
                version: .http1_1, method: "POST", path: "/webhooks/x", authority: nil, headers: ["x-request-id": "wh-1"]),
            writer: ResponseWriter(sink: self.sink, streamID: 1))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.fields["x-request-id"] == "wh-1")
        #expect(seen.value == "wh-1")
        #expect(self.requests("POST /webhooks/{provider}", "UNAUTHENTICATED", "rest") == 1)
    }

    @Test func unusableClientIDsAreReplaced() {
        for sent in ["", "has space", String(repeating: "a", count: 129), "tab\there", "ünïcode"] {
            let id = RequestID.accept(from: ["x-request-id": sent])
            #expect(id != sent)
            #expect(id.count == 15)
        }
        #expect(RequestID.accept(from: ["x-request-id": String(repeating: "a", count: 128)]).count == 128)
    }

    @Test func generatedIDsDoNotRepeat() {
        let ids = (0..<10_000).map { _ in RequestID.generate() }
        #expect(Set(ids).count == ids.count)
    }
}

/// Unique path segments, so the unknown-method label is seen to stay one label.
enum UUIDLike {
    static func next() -> String { String(UInt64.random(in: 0...UInt64.max), radix: 16) }
}

final class RequestIDBox: Sendable {
    private let state = Mutex<String?>(nil)
    func set(_ value: String) { self.state.withLock { $0 = value } }
    var value: String? { self.state.withLock { $0 } }
}
