import NIOCore
import ProtoWire
import Synchronization
import Transport

@testable import RPC

/// A one-field message for exercising the RPC layer without the booking API.
struct Echo: ProtoMessage {
    var text = ""
    init() {}
    init(_ text: String) { self.text = text }
    static let protoName = "test.Echo"
    static let schema: MessageSchema<Echo> = [.string(1, "text", \.text)]
}

enum EchoMethods {
    static let say = UnaryMethod<Echo, Echo>(service: "test.EchoService", method: "Say")
    static let slow = UnaryMethod<Echo, Echo>(service: "test.EchoService", method: "Slow")
    static let fail = UnaryMethod<Echo, Echo>(service: "test.EchoService", method: "Fail")
    static let metadata = UnaryMethod<Echo, Echo>(service: "test.EchoService", method: "Metadata")
    static let repeatThrice = ServerStreamingMethod<Echo, Echo>(service: "test.EchoService", method: "Repeat")
    static let secret = UnaryMethod<Echo, Echo>(service: "test.EchoService", method: "Secret")
    static let tiny = UnaryMethod<Echo, Echo>(service: "test.EchoService", method: "Tiny")
    static let read = UnaryMethod<Echo, Echo>(service: "test.EchoService", method: "Read", idempotency: .noSideEffects)
}

/// The test methods take any caller, except `secret`, which needs credentials.
let openEcho = MethodPolicy(requiresCredentials: false)

/// Records what a handler did, for assertions after the fact.
final class Probe: Sendable {
    private let state = Mutex((cancelled: false, started: false))
    var wasCancelled: Bool { self.state.withLock { $0.cancelled } }
    var started: Bool { self.state.withLock { $0.started } }
    func markStarted() { self.state.withLock { $0.started = true } }
    func markCancelled() { self.state.withLock { $0.cancelled = true } }

    /// A handler that never finishes by itself: started, then cancelled (and throwing).
    func sleepUntilCancelled() async throws {
        self.markStarted()
        do {
            try await Task.sleep(for: .seconds(30))
        } catch {
            self.markCancelled()
            throw error
        }
    }
}

struct InternalFailure: Error {}

func makeEchoRouter(probe: Probe) -> RPCRouter {
    var router = RPCRouter()
    router.register(EchoMethods.secret) { request, _ in Echo("secret \(request.text)") }
    router.register(EchoMethods.tiny, policy: .open(maxRequestSize: 16)) { request, _ in request }
    router.register(EchoMethods.say, policy: openEcho) { request, _ in Echo("you said \(request.text)") }
    router.register(EchoMethods.read, policy: openEcho) { request, _ in Echo("you read \(request.text)") }
    router.register(EchoMethods.slow, policy: openEcho) { request, _ in
        try await probe.sleepUntilCancelled()
        return request
    }
    router.register(EchoMethods.fail, policy: openEcho) { _, _ in throw InternalFailure() }
    router.register(EchoMethods.metadata, policy: openEcho) { _, context in
        let binary = context.metadata.binaryValues("trace-bin").map { $0.map(String.init).joined(separator: ".") }
        return Echo("\(context.metadata["x-user"] ?? "-") \(binary.joined(separator: "|"))")
    }
    router.register(EchoMethods.repeatThrice, policy: openEcho) { request, _, stream in
        for index in 1...3 { try await stream.send(Echo("\(index) \(request.text)")) }
    }
    return router
}

/// Collects response parts and lets a test wait for the end of the response.
final class RecordingSink: ResponseSink {
    private struct State {
        var parts: [ResponsePart] = []
        var resets: [StreamResetReason] = []
        var workRunning = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var ended: Bool {
            parts.contains { if case .end = $0 { return true } else { return false } }
        }
    }

    private let state = Mutex(State())

    var parts: [ResponsePart] { self.state.withLock { $0.parts } }

    func write(_ parts: [ResponsePart], streamID: Int32) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.parts.append(contentsOf: parts)
            guard state.ended else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    func reset(streamID: Int32, reason: StreamResetReason) {
        self.state.withLock { $0.resets.append(reason) }
    }

    func workStarted(streamID: Int32) {
        self.state.withLock { $0.workRunning += 1 }
    }

    func workFinished(streamID: Int32) {
        self.state.withLock { $0.workRunning -= 1 }
    }

    /// Work the handler announced and has not finished.
    var workRunning: Int { self.state.withLock { $0.workRunning } }

    /// Returns once no announced work is running (a cancelled task may take a moment).
    func waitUntilWorkFinished() async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while self.workRunning > 0 {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    func waitForEnd() async {
        await withCheckedContinuation { continuation in
            let done = self.state.withLock { state -> Bool in
                if state.ended { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Head status and fields merged with trailers: what a client would read.
    var status: (http: Int?, fields: HTTPFields, bodies: [ByteBuffer]) {
        var http: Int?
        var fields = HTTPFields()
        var bodies: [ByteBuffer] = []
        for part in self.parts {
            switch part {
            case .head(let head):
                http = head.status
                fields.append(contentsOf: head.headers)
            case .body(let buffer): bodies.append(buffer)
            case .end(let trailers): if let trailers { fields.append(contentsOf: trailers) }
            }
        }
        return (http, fields, bodies)
    }
}

func grpcHead(_ path: String, extra: HTTPFields = HTTPFields()) -> RequestHead {
    var headers: HTTPFields = ["content-type": "application/grpc", "te": "trailers"]
    headers.append(contentsOf: extra)
    return RequestHead(version: .http2, method: "POST", path: path, authority: "localhost", headers: headers)
}

func framed(_ message: Echo) -> ByteBuffer {
    GRPCMessageFramer.framed(allocator: ByteBufferAllocator()) { $0.writeBytes(message.serializedBytes()) }
}

func unframe(_ buffer: ByteBuffer) throws -> Echo {
    var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20)
    deframer.append(buffer)
    guard let message = try deframer.next() else { throw InternalFailure() }
    return try Echo(buffer: message)
}
