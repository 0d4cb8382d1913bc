import Logging
import NIOCore
import Testing
import Transport

@testable import RPC

/// Browser origins on the list get CORS headers on every protocol; others get none.
@Suite struct CORSTests {
    static let policy = CORSPolicy(allowedOrigins: ["https://app.example.com", "http://localhost:5173"])

    private func answer(_ method: String, _ path: String, _ headers: HTTPFields) async -> RecordingSink {
        let sink = RecordingSink()
        let routes = [RESTRoute("GET", "/api/echo", rpc: EchoMethods.say.descriptor)]
        let server = RPCServer(
            router: makeEchoRouter(probe: Probe()), rest: RESTRouter(routes), cors: Self.policy, logger: Logger(label: "t"))
        let head = RequestHead(version: .http1_1, method: method, path: path, authority: "api.example.com", headers: headers)
        let handler = server.makeRequestHandler(head: head, writer: ResponseWriter(sink: sink, streamID: 1))
        handler.receiveEnd()
        await sink.waitForEnd()
        return sink
    }

    @Test func originsAreComparedAsBrowsersSerializeThem() {
        #expect(Self.policy.allows(origin: "https://APP.example.com"))
        #expect(Self.policy.allows(origin: "https://app.example.com:443"))
        #expect(!Self.policy.allows(origin: "http://app.example.com"))
        #expect(!Self.policy.allows(origin: "https://app.example.com.evil.example"))
        #expect(!Self.policy.allows(origin: "null"))
        for notAnOrigin in ["*", "https://app.example.com/", "app.example.com", "https://a.example/path", "https://"] {
            #expect(CORSPolicy.serializedOrigin(notAnOrigin) == nil, "\(notAnOrigin)")
        }
    }

    @Test func aPreflightFromAListedOriginNamesMethodsAndHeaders() async {
        let sink = await self.answer(
            "OPTIONS", "/test.EchoService/Say",
            ["origin": "https://app.example.com", "access-control-request-method": "POST",
             "access-control-request-headers": "content-type, connect-protocol-version"])
        let fields = sink.status.fields
        #expect(sink.status.http == 204)
        #expect(fields["access-control-allow-origin"] == "https://app.example.com")
        #expect(fields["access-control-allow-methods"] == "POST, GET")
        #expect(fields["access-control-allow-headers"]?.contains("connect-protocol-version") == true)
        #expect(fields["access-control-allow-headers"]?.contains("x-grpc-web") == true)
        #expect(fields["access-control-max-age"] == "7200")

        let rest = await self.answer(
            "OPTIONS", "/api/echo", ["origin": "http://localhost:5173", "access-control-request-method": "GET"])
        #expect(rest.status.http == 204)
        #expect(rest.status.fields["access-control-allow-methods"] == "GET")
    }

    @Test func anUnlistedOriginGetsNoCORSHeaders() async {
        let preflight = await self.answer(
            "OPTIONS", "/api/echo", ["origin": "https://evil.example", "access-control-request-method": "GET"])
        #expect(preflight.status.fields["access-control-allow-origin"] == nil)
        #expect(preflight.status.http == 405)
        let simple = await self.answer("GET", "/api/echo?text=x", ["origin": "https://evil.example"])
        #expect(simple.status.http == 200)
        #expect(simple.status.fields["access-control-allow-origin"] == nil)
    }

    @Test func answersToAListedOriginExposeTheProtocolsHeaders() async {
        let sink = await self.answer("GET", "/api/echo?text=x", ["origin": "https://app.example.com"])
        #expect(sink.status.http == 200)
        #expect(sink.status.fields["access-control-allow-origin"] == "https://app.example.com")
        #expect(sink.status.fields["access-control-allow-credentials"] == "true")
        let exposed = sink.status.fields["access-control-expose-headers"] ?? ""
        for name in ["grpc-status", "grpc-message", "x-request-id"] { #expect(exposed.contains(name)) }
    }
}
