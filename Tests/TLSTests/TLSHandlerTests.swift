import COpenSSL
import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing
import TestSupport

@testable import TLS

/// What the handlers after TLS see: plaintext and the handshake's event.
final class PlaintextRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    var received = ""
    var handshakes: [TLSHandshakeCompleted] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = self.unwrapInboundIn(data)
        self.received += buffer.readString(length: buffer.readableBytes) ?? ""
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let handshake = event as? TLSHandshakeCompleted { self.handshakes.append(handshake) }
        context.fireUserInboundEventTriggered(event)
    }
}

/// A `TLSHandler` on an `EmbeddedChannel` against an OpenSSL client in memory.
final class TLSConnectionUnderTest {
    let channel: EmbeddedChannel
    let recorder = PlaintextRecorder()
    let client: TestTLSClient

    init(context: TLSContext, client: TestTLSClient) throws {
        self.client = client
        self.channel = EmbeddedChannel()
        try self.channel.pipeline.syncOperations.addHandler(try TLSHandler(context: context, logger: Logger(label: "test")))
        try self.channel.pipeline.syncOperations.addHandler(self.recorder)
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    /// Moves ciphertext both ways, stepping the client's handshake, until neither side sends.
    func pump() throws {
        var moved = true
        while moved {
            moved = false
            _ = self.client.handshake()
            if let bytes = self.client.takeOutput() {
                try self.channel.writeInbound(bytes)
                moved = true
            }
            while let bytes = try self.channel.readOutbound(as: ByteBuffer.self) {
                self.client.receive(bytes)
                moved = true
            }
        }
    }

    /// The server writes and flushes `text` as the HTTP handlers would.
    func serverWrites(_ text: String...) -> [EventLoopFuture<Void>] {
        let futures = text.map { self.channel.write(ByteBuffer(string: $0)) }
        self.channel.flush()
        return futures
    }
}

final class TLSHandlerTests {
    private let certificates: TestCertificates
    private let context: TLSContext

    init() throws {
        self.certificates = try TestCertificates()
        self.context = try TLSContext(files: self.certificates.files)
    }

    deinit { self.certificates.remove() }

    private func connect(alpn: [String]?, maxVersion: Int32? = nil) throws -> TLSConnectionUnderTest {
        let client = TestTLSClient(trusting: self.certificates.rootCA, alpn: alpn, maxVersion: maxVersion)
        let connection = try TLSConnectionUnderTest(context: self.context, client: client)
        try connection.pump()
        return connection
    }

    @Test func aClientOfferingH2GetsH2AndAVerifiedChainAndPlaintextFlowsBothWays() throws {
        let connection = try self.connect(alpn: ["http/1.1", "h2"])
        #expect(connection.client.handshake())
        #expect(connection.client.verified)
        #expect(connection.client.applicationProtocol == "h2")
        #expect(connection.recorder.handshakes == [TLSHandshakeCompleted(applicationProtocol: .http2)])

        connection.client.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        try connection.pump()
        #expect(connection.recorder.received == "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")

        _ = connection.serverWrites("hello ", "world")
        try connection.pump()
        #expect(connection.client.read().text == "hello world")
    }

    @Test func aClientOfferingOnlyHTTP1GetsHTTP1() throws {
        let connection = try self.connect(alpn: ["http/1.1"])
        #expect(connection.client.applicationProtocol == "http/1.1")
        #expect(connection.recorder.handshakes == [TLSHandshakeCompleted(applicationProtocol: .http1_1)])
    }

    @Test func aClientWithoutALPNCompletesWithNoProtocol() throws {
        let connection = try self.connect(alpn: nil)
        #expect(connection.client.handshake())
        #expect(connection.recorder.handshakes == [TLSHandshakeCompleted(applicationProtocol: nil)])
    }

    @Test func aClientOfferingNeitherProtocolIsRefusedAndClosed() throws {
        let connection = try self.connect(alpn: ["h3", "spdy/3"])
        #expect(connection.client.handshakeFailed)
        #expect(connection.recorder.handshakes.isEmpty)
        #expect(!connection.channel.isActive)
    }

    @Test func aTLS11ClientIsRefusedAndClosed() throws {
        let connection = try self.connect(alpn: ["h2"], maxVersion: Int32(TLS1_1_VERSION))
        #expect(connection.client.handshakeFailed)
        #expect(!connection.channel.isActive)
    }

    @Test func plaintextHTTPIsClosedAtItsFirstByteWithoutReachingTheHandlers() throws {
        let client = TestTLSClient(trusting: self.certificates.rootCA, alpn: nil)
        let connection = try TLSConnectionUnderTest(context: self.context, client: client)
        try connection.channel.writeInbound(ByteBuffer(string: "GET /api/health HTTP/1.1\r\nhost: x\r\n\r\n"))
        #expect(!connection.channel.isActive)
        #expect(connection.recorder.received.isEmpty)
        #expect(try connection.channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    @Test func aMalformedHandshakeIsClosed() throws {
        let client = TestTLSClient(trusting: self.certificates.rootCA, alpn: nil)
        let connection = try TLSConnectionUnderTest(context: self.context, client: client)
        // A handshake record header announcing a ClientHello, then noise.
        try connection.channel.writeInbound(ByteBuffer(bytes: [22, 3, 1, 0, 8, 1, 0, 0, 4, 0xde, 0xad, 0xbe, 0xef]))
        #expect(!connection.channel.isActive)
        #expect(connection.recorder.handshakes.isEmpty)
    }

    @Test func aRecordThatDoesNotDecryptAfterTheHandshakeClosesTheConnection() throws {
        let connection = try self.connect(alpn: ["h2"])
        // An application-data record (type 23) of TLS 1.2 framing, with nothing OpenSSL sealed.
        try connection.channel.writeInbound(ByteBuffer(bytes: [23, 3, 3, 0, 32] + Array(repeating: 0xab, count: 32)))
        #expect(!connection.channel.isActive)
        #expect(connection.recorder.received.isEmpty)
    }

    @Test func closingSendsWhatWasWrittenThenCloseNotify() throws {
        let connection = try self.connect(alpn: ["h2"])
        _ = connection.channel.write(ByteBuffer(string: "last words"))
        connection.channel.close(promise: nil)
        try connection.pump()
        let (text, closedByServer) = connection.client.read()
        #expect(text == "last words")
        #expect(closedByServer)
    }

    @Test func closeNotifyFromTheClientClosesTheConnection() throws {
        let connection = try self.connect(alpn: ["h2"])
        connection.client.shutdown()
        try connection.pump()
        #expect(!connection.channel.isActive)
    }

    @Test func writesCompleteOnceTheirCiphertextIsWrittenAndWaitForTheFlush() throws {
        let connection = try self.connect(alpn: ["h2"])
        let first = connection.channel.write(ByteBuffer(string: "a"))
        #expect(try connection.channel.readOutbound(as: ByteBuffer.self) == nil)   // not flushed yet
        let rest = connection.serverWrites("b", "c")
        let completed = Completions()
        for future in [first] + rest { future.whenSuccess { completed.count.withLock { $0 += 1 } } }
        #expect(completed.count.withLock { $0 } == 3)
        try connection.pump()
        #expect(connection.client.read().text == "abc")
    }

    @Test func writesBeforeTheHandshakeEndsWaitForIt() throws {
        let client = TestTLSClient(trusting: self.certificates.rootCA, alpn: ["h2"])
        let connection = try TLSConnectionUnderTest(context: self.context, client: client)
        _ = connection.serverWrites("early")
        #expect(try connection.channel.readOutbound(as: ByteBuffer.self) == nil)
        try connection.pump()
        #expect(connection.client.read().text == "early")
    }

    @Test func aLargeWriteArrivesWhole() throws {
        let connection = try self.connect(alpn: ["h2"])
        let large = String(repeating: "0123456789abcdef", count: 10_000)   // 160 KB: ten records
        _ = connection.serverWrites(large)
        try connection.pump()
        #expect(connection.client.read().text == large)
        connection.client.write(large)
        try connection.pump()
        #expect(connection.recorder.received == large)
    }
}

private final class Completions: Sendable {
    let count = Mutex(0)
}
