import NIOCore
import ProtoWire
import Testing
import Transport
import Logging

@testable import RPC

@Suite struct RESTRequestHandlerTests {
    let sink = RecordingSink()

    private func start(_ method: String, _ path: String, routes: [RESTRoute]) -> any RequestHandler {
        let server = RPCServer(router: makeEchoRouter(probe: Probe()), rest: RESTRouter(routes), logger: .init(label: "test"))
        let head = RequestHead(version: .http1_1, method: method, path: path, authority: "h", headers: [:])
        return server.makeRequestHandler(head: head, writer: ResponseWriter(sink: self.sink, streamID: 1))
    }

    private var bodyJSON: JSONValue? {
        self.sink.status.bodies.first.flatMap { try? JSONValue.parse($0) }
    }

    @Test func aJSONBodyReachesTheSameHandlerAsGRPC() async throws {
        let handler = self.start("POST", "/echo", routes: [RESTRoute("POST", "/echo", rpc: EchoMethods.say.descriptor)])
        handler.receiveBody(ByteBuffer(string: #"{"text": "hi"}"#))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.http == 200)
        #expect(self.sink.status.fields["content-type"] == "application/json")
        #expect(self.bodyJSON == .object([JSONMember(key: "text", value: .string("you said hi"))]))
    }

    /// grpc-gateway's default, so browser code needs no guard for a missing key; gRPC JSON
    /// and Connect keep canonical proto3 JSON, which omits it.
    @Test func anAnswerPrintsFieldsAtTheirDefaultValues() async throws {
        let handler = self.start("POST", "/tiny", routes: [RESTRoute("POST", "/tiny", rpc: EchoMethods.tiny.descriptor)])
        handler.receiveBody(ByteBuffer(string: "{}"))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.http == 200)
        #expect(self.sink.status.bodies.first.map { String(buffer: $0) } == #"{"text":""}"#)
    }

    @Test func pathVariablesAndQueryParametersFillTheMessage() async throws {
        let routes = [RESTRoute("GET", "/echo/{text}", rpc: EchoMethods.say.descriptor)]
        let handler = self.start("GET", "/echo/a%20b?ignored=1", routes: routes)
        handler.receiveEnd()
        await self.sink.waitForEnd()
        // An unknown query parameter is an unknown field: INVALID_ARGUMENT, as for a body.
        #expect(self.sink.status.http == 400)

        let sink = RecordingSink()
        let server = RPCServer(router: makeEchoRouter(probe: Probe()), rest: RESTRouter(routes), logger: .init(label: "t"))
        let head = RequestHead(version: .http1_1, method: "GET", path: "/echo/a%20b", authority: nil, headers: [:])
        let second = server.makeRequestHandler(head: head, writer: ResponseWriter(sink: sink, streamID: 1))
        second.receiveEnd()
        await sink.waitForEnd()
        #expect(sink.status.bodies.first.map { String(buffer: $0) } == #"{"text":"you said a b"}"#)
    }

    @Test func queryParametersFillABodilessRoute() async throws {
        let handler = self.start("GET", "/echo?text=x+y%21", routes: [RESTRoute("GET", "/echo", rpc: EchoMethods.say.descriptor)])
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.bodies.first.map { String(buffer: $0) } == #"{"text":"you said x y!"}"#)
    }

    @Test func errorsUseTheContractsJSONShapeAndStatus() async throws {
        let handler = self.start("POST", "/echo", routes: [RESTRoute("POST", "/echo", rpc: EchoMethods.say.descriptor)])
        handler.receiveBody(ByteBuffer(string: "{not json"))
        handler.receiveEnd()
        #expect(self.sink.status.http == 400)
        guard case .object(let members) = self.bodyJSON else {
            Issue.record("expected a JSON object")
            return
        }
        #expect(members.map(\.key) == ["code", "message", "details"])
        #expect(members.first?.value == .number("3"))
        #expect(members.last?.value == .array([]))
    }

    @Test func anUnknownPathIs404AndAWrongMethod405WithAllow() {
        _ = self.start("GET", "/nope", routes: [RESTRoute("POST", "/echo", rpc: EchoMethods.say.descriptor)])
        #expect(self.sink.status.http == 404)
        guard case .object(let members) = self.bodyJSON else {
            Issue.record("expected a JSON error body")
            return
        }
        #expect(members.first?.value == .number("5"))

        let sink = RecordingSink()
        let server = RPCServer(
            router: makeEchoRouter(probe: Probe()), rest: RESTRouter([RESTRoute("POST", "/echo", rpc: EchoMethods.say.descriptor)]),
            logger: .init(label: "t"))
        _ = server.makeRequestHandler(
            head: RequestHead(version: .http1_1, method: "GET", path: "/echo", authority: nil, headers: [:]),
            writer: ResponseWriter(sink: sink, streamID: 1))
        #expect(sink.status.http == 405)
        #expect(sink.status.fields["allow"] == "POST")
    }

    @Test func aNonGRPCContentTypeOnAnRPCPathIs415() {
        let server = RPCServer(router: makeEchoRouter(probe: Probe()), rest: RESTRouter([]), logger: .init(label: "t"))
        _ = server.makeRequestHandler(
            head: RequestHead(
                version: .http2, method: "POST", path: "/test.EchoService/Say", authority: nil,
                headers: ["content-type": "text/plain"]),
            writer: ResponseWriter(sink: self.sink, streamID: 1))
        #expect(self.sink.status.http == 415)
    }

    @Test func anOversizedBodyIsRefused() {
        let server = RPCServer(
            router: makeEchoRouter(probe: Probe()), rest: RESTRouter([RESTRoute("POST", "/echo", rpc: EchoMethods.say.descriptor)]),
            limits: { var limits = RPCServer.Limits(); limits.maxRESTBodySize = 8; return limits }(),
            logger: .init(label: "t"))
        let handler = server.makeRequestHandler(
            head: RequestHead(version: .http1_1, method: "POST", path: "/echo", authority: nil, headers: [:]),
            writer: ResponseWriter(sink: self.sink, streamID: 1))
        handler.receiveBody(ByteBuffer(string: #"{"text": "far too long"}"#))
        #expect(self.sink.status.http == 413)
    }
}
