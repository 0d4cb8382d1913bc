import Logging
import NIOCore
import ProtoWire
import Testing
import Transport

@testable import RPC

/// Connect unary calls (connectrpc.com/docs/protocol) reach the same handlers as gRPC.
@Suite struct ConnectUnaryTests {
    let sink = RecordingSink()
    let probe = Probe()

    private func call(
        _ path: String, _ headers: HTTPFields = ["content-type": "application/json"], method: String = "POST",
        body: ByteBuffer? = nil
    ) async -> (status: Int?, fields: HTTPFields, body: String) {
        let server = RPCServer(router: makeEchoRouter(probe: self.probe), rest: RESTRouter([]), logger: Logger(label: "t"))
        let head = RequestHead(version: .http1_1, method: method, path: path, authority: "h", headers: headers)
        let handler = server.makeRequestHandler(head: head, writer: ResponseWriter(sink: self.sink, streamID: 1))
        if let body { handler.receiveBody(body) }
        handler.receiveEnd()
        await self.sink.waitForEnd()
        let status = self.sink.status
        return (status.http, status.fields, status.bodies.map { String(buffer: $0) }.joined())
    }

    @Test func aJSONPostAnswersTheMessageAsJSON() async {
        let answer = await self.call("/test.EchoService/Say", body: ByteBuffer(string: #"{"text":"hi"}"#))
        #expect(answer.status == 200)
        #expect(answer.fields["content-type"] == "application/json")
        #expect(answer.body == #"{"text":"you said hi"}"#)
        #expect(answer.fields["x-request-id"] != nil)
    }

    @Test func aProtoPostAnswersProto() async throws {
        let answer = await self.call(
            "/test.EchoService/Say", ["content-type": "application/proto", "connect-protocol-version": "1"],
            body: ByteBuffer(bytes: Echo("hi").serializedBytes()))
        #expect(answer.status == 200)
        #expect(answer.fields["content-type"] == "application/proto")
        #expect(try Echo(buffer: self.sink.status.bodies[0]).text == "you said hi")
    }

    @Test func aGzippedRequestIsInflated() async {
        let answer = await self.call(
            "/test.EchoService/Say", ["content-type": "application/json", "content-encoding": "gzip"], body: GzipTests.hello)
        #expect(answer.body == #"{"text":"you said hi"}"#)
    }

    @Test func inflationIsBoundedByTheMethodsLimit() async {
        let answer = await self.call(
            "/test.EchoService/Tiny", ["content-type": "application/proto", "content-encoding": "gzip"], body: GzipTests.bomb)
        #expect(answer.status == 429)
        #expect(answer.body.contains(#""code":"resource_exhausted""#))
    }

    @Test func errorsAreConnectJSONWithTheProtocolsStatus() async {
        let cases: [(String, HTTPFields, Int, String)] = [
            ("/test.EchoService/Secret", ["content-type": "application/proto"], 401, "unauthenticated"),
            ("/test.EchoService/Nope", ["content-type": "application/json"], 404, "unimplemented"),
            ("/test.EchoService/Repeat", ["content-type": "application/json"], 415, "unimplemented"),
            ("/test.EchoService/Say", ["content-type": "application/json", "connect-protocol-version": "2"], 400, "invalid_argument"),
            ("/test.EchoService/Say", ["content-type": "application/json", "connect-timeout-ms": "12345678901"], 400, "invalid_argument"),
            ("/test.EchoService/Say", ["content-type": "application/json", "content-encoding": "br"], 501, "unimplemented"),
            ("/test.EchoService/Fail", ["content-type": "application/json"], 500, "unknown"),
        ]
        for (path, headers, status, code) in cases {
            let sink = RecordingSink()
            let server = RPCServer(router: makeEchoRouter(probe: Probe()), rest: RESTRouter([]), logger: Logger(label: "t"))
            let head = RequestHead(version: .http2, method: "POST", path: path, authority: "h", headers: headers)
            let handler = server.makeRequestHandler(head: head, writer: ResponseWriter(sink: sink, streamID: 1))
            handler.receiveBody(ByteBuffer(string: "{}"))
            handler.receiveEnd()
            await sink.waitForEnd()
            #expect(sink.status.http == status, "\(path) \(headers)")
            #expect(sink.status.fields["content-type"] == "application/json")
            let body = sink.status.bodies.first.flatMap { try? JSONValue.parse($0) }
            guard case .object(let members)? = body else {
                Issue.record("no JSON error for \(path)")
                continue
            }
            #expect(members.first { $0.key == "code" }?.value == .string(code), "\(path) \(headers)")
        }
    }

    @Test func aTimeoutEndsTheCallAndCancelsItsHandler() async throws {
        let answer = await self.call(
            "/test.EchoService/Slow", ["content-type": "application/json", "connect-timeout-ms": "50"], body: ByteBuffer(string: "{}"))
        #expect(answer.status == 504)
        #expect(answer.body.contains(#""code":"deadline_exceeded""#))
        try await self.sink.waitUntilWorkFinished()
        #expect(self.probe.wasCancelled)
    }

    @Test func aMethodWithoutSideEffectsAnswersAGetFromItsQuery() async throws {
        let json = await self.call(
            "/test.EchoService/Read?encoding=json&message=%7B%22text%22%3A%22hi%22%7D&connect=v1", [:], method: "GET")
        #expect(json.status == 200)
        #expect(json.body == #"{"text":"you read hi"}"#)

        let message = Base64.encode(Echo("yo").serializedBytes(), urlSafe: true, padded: false)
        let sink = RecordingSink()
        let server = RPCServer(router: makeEchoRouter(probe: Probe()), rest: RESTRouter([]), logger: Logger(label: "t"))
        let head = RequestHead(
            version: .http2, method: "GET", path: "/test.EchoService/Read?message=\(message)&base64=1&encoding=proto",
            authority: "h", headers: [:])
        server.makeRequestHandler(head: head, writer: ResponseWriter(sink: sink, streamID: 1)).receiveEnd()
        await sink.waitForEnd()
        #expect(sink.status.fields["content-type"] == "application/proto")
        #expect(try Echo(buffer: sink.status.bodies[0]).text == "you read yo")
    }

    @Test func aGetOfAMethodWithSideEffectsIs405() async {
        let answer = await self.call("/test.EchoService/Say?encoding=json&message=%7B%7D", [:], method: "GET")
        #expect(answer.status == 405)
        #expect(answer.fields["allow"] == "POST")
    }
}
