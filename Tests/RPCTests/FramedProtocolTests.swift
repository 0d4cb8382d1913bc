import Logging
import NIOCore
import ProtoWire
import Testing
import Transport

@testable import RPC

/// gRPC-Web (binary and text) and Connect streaming reach the gRPC handlers over HTTP/1.1,
/// with the status where each protocol puts it.
@Suite struct FramedProtocolTests {
    let sink = RecordingSink()

    private func send(_ path: String, _ contentType: String, _ chunks: [ByteBuffer], extra: HTTPFields = [:]) async {
        let server = RPCServer(router: makeEchoRouter(probe: Probe()), rest: RESTRouter([]), logger: Logger(label: "t"))
        var headers: HTTPFields = ["content-type": contentType]
        headers.append(contentsOf: extra)
        let head = RequestHead(version: .http1_1, method: "POST", path: path, authority: "h", headers: headers)
        let handler = server.makeRequestHandler(head: head, writer: ResponseWriter(sink: self.sink, streamID: 1))
        for chunk in chunks { handler.receiveBody(chunk) }
        handler.receiveEnd()
        await self.sink.waitForEnd()
    }

    /// The frames of the response body: (flag, payload).
    private func frames(text: Bool = false) -> [(flag: UInt8, payload: ByteBuffer)] {
        var body = ByteBuffer()
        for var chunk in self.sink.status.bodies {
            if text {
                body.writeBytes(Base64.decode(String(buffer: chunk)) ?? [])
            } else {
                body.writeBuffer(&chunk)
            }
        }
        var frames: [(UInt8, ByteBuffer)] = []
        while let flag = body.readInteger(as: UInt8.self), let length = body.readInteger(as: UInt32.self),
            let payload = body.readSlice(length: Int(length))
        {
            frames.append((flag, payload))
        }
        #expect(body.readableBytes == 0)
        return frames
    }

    @Test func gRPCWebAnswersWithTheTrailersAsTheLastFrame() async throws {
        await self.send("/test.EchoService/Repeat", "application/grpc-web+proto", [framed(Echo("hi"))])
        #expect(self.sink.status.http == 200)
        #expect(self.sink.status.fields["content-type"] == "application/grpc-web+proto")
        let frames = self.frames()
        #expect(try frames.dropLast().map { try Echo(buffer: $0.payload).text } == ["1 hi", "2 hi", "3 hi"])
        #expect(frames.last?.flag == 0x80)
        #expect(frames.last.map { String(buffer: $0.payload) } == "grpc-status: 0\r\n")
    }

    @Test func gRPCWebTextDecodesChunkedBase64WithPaddingMidStream() async throws {
        let bytes = Array(framed(Echo("hi")).readableBytesView)
        // Two base64 chunks, the first padded, the second split across two deliveries.
        let first = Base64.encode(bytes.prefix(4)), second = Base64.encode(bytes.dropFirst(4))
        let chunks = [first + second.prefix(3), String(second.dropFirst(3))].map { ByteBuffer(string: $0) }
        #expect(first.hasSuffix("="))
        await self.send("/test.EchoService/Say", "application/grpc-web-text", chunks)
        #expect(self.sink.status.fields["content-type"] == "application/grpc-web-text")
        let frames = self.frames(text: true)
        #expect(try Echo(buffer: frames[0].payload).text == "you said hi")
        #expect(frames.last?.flag == 0x80)
    }

    @Test func gRPCWebErrorsAreTrailersOnlyOrAFinalFrame() async {
        await self.send("/test.EchoService/Nope", "application/grpc-web", [framed(Echo("hi"))])
        #expect(self.sink.status.fields["grpc-status"] == "12")
        #expect(self.sink.status.bodies.isEmpty)

        let sink = RecordingSink()
        let server = RPCServer(router: makeEchoRouter(probe: Probe()), rest: RESTRouter([]), logger: Logger(label: "t"))
        let head = RequestHead(
            version: .http1_1, method: "POST", path: "/test.EchoService/Say", authority: "h",
            headers: ["content-type": "application/grpc-web-text"])
        let handler = server.makeRequestHandler(head: head, writer: ResponseWriter(sink: sink, streamID: 1))
        handler.receiveBody(ByteBuffer(string: "not*base64"))
        handler.receiveEnd()
        await sink.waitForEnd()
        #expect(sink.status.fields["grpc-status"] == "13")
    }

    @Test func connectStreamingEndsWithAnEndOfStreamMessage() async throws {
        var request = ByteBuffer()
        request.writeInteger(UInt8(0))
        request.writeInteger(UInt32(13))
        request.writeString(#"{"text":"hi"}"#)
        await self.send("/test.EchoService/Repeat", "application/connect+json", [request])
        #expect(self.sink.status.http == 200)
        #expect(self.sink.status.fields["content-type"] == "application/connect+json")
        let frames = self.frames()
        #expect(frames.map(\.flag) == [0, 0, 0, 2])
        #expect(String(buffer: frames[0].payload) == #"{"text":"1 hi"}"#)
        #expect(String(buffer: frames[3].payload) == "{}")
    }

    @Test func connectStreamingErrorsAre200WithTheErrorInTheLastMessage() async {
        await self.send("/test.EchoService/Secret", "application/connect+proto", [framed(Echo("hi"))])
        #expect(self.sink.status.http == 200)
        #expect(self.sink.status.fields["grpc-status"] == nil)
        let frames = self.frames()
        #expect(frames.map(\.flag) == [2])
        let end = try? JSONValue.parse(frames[0].payload)
        guard case .object(let members)? = end, case .object(let error)? = members.first(where: { $0.key == "error" })?.value
        else {
            Issue.record("no error in \(frames)")
            return
        }
        #expect(error.first { $0.key == "code" }?.value == .string("unauthenticated"))
    }

    @Test func aGzippedConnectEnvelopeIsInflated() async throws {
        var request = ByteBuffer()
        request.writeInteger(UInt8(1))
        request.writeInteger(UInt32(GzipTests.hello.readableBytes))
        request.writeImmutableBuffer(GzipTests.hello)
        await self.send(
            "/test.EchoService/Repeat", "application/connect+json", [request], extra: ["connect-content-encoding": "gzip"])
        let frames = self.frames()
        #expect(String(buffer: frames[0].payload) == #"{"text":"1 hi"}"#)
        #expect(frames.last?.flag == 2)
    }
}
