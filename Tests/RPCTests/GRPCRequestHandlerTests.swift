import Logging
import MetricsTestKit
import NIOCore
import ProtoWire
import Testing
import Transport

@testable import RPC

@Suite struct GRPCRequestHandlerTests {
    let probe = Probe()
    let sink = RecordingSink()
    let registry = CallRegistry()

    private func start(_ path: String, extra: HTTPFields = HTTPFields()) -> any RequestHandler {
        GRPCRequestHandler.make(
            head: grpcHead(path, extra: extra), isJSON: false,
            writer: ResponseWriter(sink: self.sink, streamID: 1), router: makeEchoRouter(probe: self.probe),
            registry: self.registry, maxMessageSize: 1 << 20, credentials: .authorizationOrCookie,
            metrics: RPCMetrics(factory: TestMetrics(), logger: Logger(label: "test")), logger: Logger(label: "test"))
    }

    @Test func aUnaryCallAnswersHeadersMessageAndOKTrailers() async throws {
        let handler = self.start("/test.EchoService/Say")
        handler.receiveBody(framed(Echo("hi")))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        let (http, fields, bodies) = self.sink.status
        #expect(http == 200)
        #expect(fields["content-type"] == "application/grpc")
        #expect(fields["grpc-status"] == "0")
        #expect(try bodies.map(unframe) == [Echo("you said hi")])
    }

    @Test func anUnknownMethodIsTrailersOnlyUnimplemented() {
        _ = self.start("/test.EchoService/Nope")
        guard case .head(let head) = self.sink.parts.first, case .end(nil) = self.sink.parts.last else {
            Issue.record("expected a Trailers-Only response, got \(self.sink.parts)")
            return
        }
        #expect(self.sink.parts.count == 2)
        #expect(head.headers["grpc-status"] == "12")
        #expect(head.headers["grpc-message"] == "unknown method Nope for service test.EchoService")
    }

    @Test func anUnknownServiceIsUnimplemented() {
        _ = self.start("/x.Y/Z")
        #expect(self.sink.status.fields["grpc-status"] == "12")
        #expect(self.sink.status.fields["grpc-message"] == "unknown service x.Y")
    }

    @Test func metadataIncludingBinaryValuesReachesTheHandler() async throws {
        let handler = self.start(
            "/test.EchoService/Metadata", extra: ["x-user": "ada", "trace-bin": "AAH/, AQI"])
        handler.receiveBody(framed(Echo()))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(try self.sink.status.bodies.map(unframe) == [Echo("ada 0.1.255|1.2")])
    }

    @Test func theDeadlineCancelsTheHandlerAndAnswersDeadlineExceeded() async throws {
        let handler = self.start("/test.EchoService/Slow", extra: ["grpc-timeout": "50m"])
        handler.receiveBody(framed(Echo("zzz")))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.fields["grpc-status"] == "4")
        await self.registry.waitUntilIdle()
        #expect(self.probe.wasCancelled)
    }

    @Test func aClientResetCancelsTheHandlerAndNothingIsWritten() async throws {
        let handler = self.start("/test.EchoService/Slow")
        handler.receiveBody(framed(Echo("zzz")))
        handler.receiveEnd()
        while !self.probe.started { try await Task.sleep(for: .milliseconds(1)) }
        handler.cancel()
        await self.registry.waitUntilIdle()
        #expect(self.probe.wasCancelled)
        #expect(self.sink.parts.isEmpty)
    }

    @Test func aHandlerThatThrowsAnUnknownErrorAnswersUnknownWithoutDetails() async {
        let handler = self.start("/test.EchoService/Fail")
        handler.receiveBody(framed(Echo()))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.fields["grpc-status"] == "2")
        #expect(self.sink.status.fields["grpc-message"] == "internal error")
    }

    @Test func twoRequestMessagesForAUnaryCallAreRejected() {
        let handler = self.start("/test.EchoService/Say")
        var two = framed(Echo("a"))
        var second = framed(Echo("b"))
        two.writeBuffer(&second)
        handler.receiveBody(two)
        #expect(self.sink.status.fields["grpc-status"] == "12")
    }

    @Test func noRequestMessageIsRejected() {
        let handler = self.start("/test.EchoService/Say")
        handler.receiveEnd()
        #expect(self.sink.status.fields["grpc-status"] == "12")
    }

    @Test func aRequestEndingMidMessageIsInternal() {
        let handler = self.start("/test.EchoService/Say")
        handler.receiveBody(ByteBuffer(bytes: [0, 0, 0, 0, 9, 1]))
        handler.receiveEnd()
        #expect(self.sink.status.fields["grpc-status"] == "13")
    }

    @Test func undecodableProtobufIsInternal() async {
        let handler = self.start("/test.EchoService/Say")
        handler.receiveBody(ByteBuffer(bytes: [0, 0, 0, 0, 2, 0x0A, 0x05]))  // length past the end
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.fields["grpc-status"] == "13")
    }

    @Test func unsupportedMessageEncodingIsUnimplemented() {
        _ = self.start("/test.EchoService/Say", extra: ["grpc-encoding": "snappy"])
        #expect(self.sink.status.fields["grpc-status"] == "12")
    }

    @Test func aGzipCompressedMessageIsInflated() async throws {
        let handler = self.start("/test.EchoService/Say", extra: ["grpc-encoding": "gzip"])
        let gzipped = ByteBuffer(bytes: Base64.decode("H4sIAAAAAAACA+NiysgEAEXTN9QEAAAA")!)  // Echo("hi")
        var frame = ByteBuffer()
        frame.writeInteger(UInt8(1))
        frame.writeInteger(UInt32(gzipped.readableBytes))
        frame.writeImmutableBuffer(gzipped)
        handler.receiveBody(frame)
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.fields["grpc-status"] == "0")
        #expect(try unframe(self.sink.status.bodies[0]).text == "you said hi")
    }

    @Test func aCompressedMessageThatInflatesPastTheLimitIsResourceExhausted() async {
        let handler = self.start("/test.EchoService/Tiny", extra: ["grpc-encoding": "gzip"])
        var frame = ByteBuffer()
        frame.writeInteger(UInt8(1))
        frame.writeInteger(UInt32(GzipTests.bomb.readableBytes))
        frame.writeImmutableBuffer(GzipTests.bomb)
        handler.receiveBody(frame)
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(self.sink.status.fields["grpc-status"] == "8")
    }

    @Test func aMalformedTimeoutIsInternal() {
        _ = self.start("/test.EchoService/Say", extra: ["grpc-timeout": "soon"])
        #expect(self.sink.status.fields["grpc-status"] == "13")
    }

    @Test func aServerStreamSendsEachMessageThenOKTrailers() async throws {
        let handler = self.start("/test.EchoService/Repeat")
        handler.receiveBody(framed(Echo("x")))
        handler.receiveEnd()
        await self.sink.waitForEnd()
        #expect(try self.sink.status.bodies.map(unframe) == [Echo("1 x"), Echo("2 x"), Echo("3 x")])
        #expect(self.sink.status.fields["grpc-status"] == "0")
        guard case .head = self.sink.parts.first else {
            Issue.record("the response must start with its head")
            return
        }
    }
}
