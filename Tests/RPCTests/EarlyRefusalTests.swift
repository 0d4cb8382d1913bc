import Logging
import NIOCore
import Testing
import Transport

@testable import RPC

/// What is refused from a request's head, before its body is read: no credentials where a
/// method needs them, a route's gate, a declared body over the limit, gRPC over HTTP/1.1.
@Suite struct EarlyRefusalTests {
    let sink = RecordingSink()
    let probe = Probe()

    private func server(routes: [RESTRoute] = []) -> RPCServer {
        RPCServer(router: makeEchoRouter(probe: self.probe), rest: RESTRouter(routes), logger: Logger(label: "test"))
    }

    private func start(_ head: RequestHead, routes: [RESTRoute] = []) -> any RequestHandler {
        self.server(routes: routes).makeRequestHandler(head: head, writer: ResponseWriter(sink: self.sink, streamID: 1))
    }

    @Test func aGRPCCallWithoutCredentialsIsRefusedAtItsHeaders() {
        let handler = self.start(grpcHead("/test.EchoService/Secret"))
        let (http, fields, _) = self.sink.status
        #expect(http == 200)
        #expect(fields["grpc-status"] == String(RPCError.Code.unauthenticated.rawValue))
        #expect(handler is DiscardingRequestHandler)
    }

    @Test func aGRPCCallWithCredentialsRunsItsHandler() async throws {
        let handler = self.start(grpcHead("/test.EchoService/Secret", extra: ["authorization": "Bearer x"]))
        handler.receiveBody(framed(Echo("hi")))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.fields["grpc-status"] == "0")
        #expect(try self.sink.status.bodies.map(unframe) == [Echo("secret hi")])
    }

    @Test func aRESTRouteOfAnRPCThatNeedsCredentialsIsRefused401() {
        let routes = [RESTRoute("POST", "/secret", rpc: EchoMethods.secret.descriptor)]
        let head = RequestHead(version: .http1_1, method: "POST", path: "/secret", authority: nil, headers: [:])
        #expect(self.start(head, routes: routes) is DiscardingRequestHandler)
        #expect(self.sink.status.http == 401)
    }

    @Test func anEndpointsGateAnswersInsteadOfTheEndpoint() {
        let route = RESTRoute(
            "POST", "/hook", .endpoint { _ in RESTResponse.json(200, "{}") },
            gate: { head in head.headers["x-signature"] == nil ? .json(401, #"{"code":16}"#) : nil })
        let head = RequestHead(version: .http1_1, method: "POST", path: "/hook", authority: nil, headers: [:])
        #expect(self.start(head, routes: [route]) is DiscardingRequestHandler)
        #expect(self.sink.status.http == 401)
    }

    @Test func aDeclaredBodyOverTheRoutesLimitIsRefused413() {
        let route = RESTRoute("POST", "/hook", .endpoint { _ in RESTResponse.json(200, "{}") }, maxBodySize: 10)
        let head = RequestHead(
            version: .http1_1, method: "POST", path: "/hook", authority: nil, headers: ["content-length": "11"])
        #expect(self.start(head, routes: [route]) is DiscardingRequestHandler)
        #expect(self.sink.status.http == 413)
    }

    @Test func aMethodsOwnSizeLimitIsEnforcedFromTheMessagePrefix() {
        let handler = self.start(grpcHead("/test.EchoService/Tiny"))
        handler.receiveBody(framed(Echo(String(repeating: "x", count: 32))))
        #expect(self.sink.status.fields["grpc-status"] == String(RPCError.Code.resourceExhausted.rawValue))
    }

    @Test func gRPCOverHTTP1Is505WithAStatusAGRPCClientCanRead() {
        var head = grpcHead("/test.EchoService/Say")
        head.version = .http1_1
        #expect(self.start(head) is DiscardingRequestHandler)
        let (http, fields, _) = self.sink.status
        #expect(http == 505)
        #expect(fields["grpc-status"] == String(RPCError.Code.unimplemented.rawValue))
        #expect(fields["grpc-message"]?.contains("HTTP/2") == true)
    }

    @Test func aHandlersWorkIsAnnouncedToItsConnectionUntilItReturns() async throws {
        let handler = self.start(grpcHead("/test.EchoService/Slow"))
        handler.receiveBody(framed(Echo("zz")))
        handler.receiveEnd()
        #expect(self.sink.workRunning == 1)
        handler.cancel()
        try await self.sink.waitUntilWorkFinished()
        #expect(self.sink.workRunning == 0)
        #expect(self.probe.wasCancelled)
    }
}

@Suite struct ClientTextTests {
    @Test func aLongPathIsQuotedShortInA404() throws {
        let sink = RecordingSink()
        let server = RPCServer(router: RPCRouter(), rest: RESTRouter([]), logger: Logger(label: "test"))
        let path = "/" + String(repeating: "x", count: 15_000)
        let head = RequestHead(version: .http1_1, method: "GET", path: path, authority: nil, headers: [:])
        _ = server.makeRequestHandler(head: head, writer: ResponseWriter(sink: sink, streamID: 1))
        let (http, _, bodies) = sink.status
        #expect(http == 404)
        #expect(bodies.reduce(0) { $0 + $1.readableBytes } < 400)
    }
}
