import BookingAPI
import Dispatch
import FuzzSupport
import Logging
import NIOCore
import ProtoDescriptors
import RPC
import ServerReflection
import Synchronization
import Transport

/// A request as the RPC layer receives it from either protocol: the head (version, method,
/// path, headers, one per input line until an empty one) and then the body, in chunks, through
/// `RPCServer` with health, server reflection (bidirectional, over the real descriptors), an
/// authenticated method and REST routes.
///
/// Properties: every request gets exactly one complete response (a head, bodies, one end) or a
/// reset, never both; a gRPC answer always carries a `grpc-status`; a REST error is the
/// contract's JSON with a `code`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let version: RequestHead.Version = input.takeByte() & 1 == 0 ? .http2 : .http1_1
    let method = String(decoding: input.takeLine(), as: UTF8.self)
    let path = String(decoding: input.takeLine(), as: UTF8.self)
    var headers = HTTPFields()
    while let line = input.takeHeader() {
        let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        headers.append(String(parts[0]).lowercased(), parts.count > 1 ? String(parts[1]) : "")
    }
    let body = input.takeRest()
    let head = RequestHead(version: version, method: method, path: path, authority: "fuzz", headers: headers)
    let sink = RecordingSink()
    let handler = server.makeRequestHandler(head: head, writer: ResponseWriter(sink: sink, streamID: 1))
    var offset = 0
    while offset < body.count {
        let end = min(body.count, offset + 1 + Int(body[offset]) * 17)
        handler.receiveBody(ByteBuffer(bytes: body[offset..<end]))
        offset = end
    }
    handler.receiveEnd()
    waitForHandlers()
    sink.check(isGRPC: isGRPC(headers["content-type"]) && version == .http2)
    return 0
}

/// gRPC's content types, as `RPCServer` reads them: `application/grpc`, then nothing, `+…` or
/// `;…` (not `application/grpc-web`, not `application/grpce`).
private func isGRPC(_ contentType: String?) -> Bool {
    guard let contentType, contentType.hasPrefix("application/grpc") else { return false }
    let rest = contentType.dropFirst("application/grpc".count)
    return rest.isEmpty || rest.first == "+" || rest.first == ";"
}

private let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

private let server: RPCServer = {
    var router = RPCRouter()
    let check = UnaryMethod<HealthCheckRequest, HealthCheckResponse>(service: "grpc.health.v1.Health", method: "Check")
    let watch = ServerStreamingMethod<HealthCheckRequest, HealthCheckResponse>(
        service: "grpc.health.v1.Health", method: "Watch")
    let getCall = UnaryMethod<GetCallRequest, Call>(service: "loop.callbooking.v1.CallService", method: "GetCall")
    router.register(check, policy: .open(maxRequestSize: 1024)) { request, _ in
        guard request.service.isEmpty else { throw RPCError(.notFound, "unknown service") }
        var response = HealthCheckResponse()
        response.status = .serving
        return response
    }
    router.register(watch, policy: .open(maxRequestSize: 1024)) { _, _, stream in
        var response = HealthCheckResponse()
        response.status = .serving
        try await stream.send(response)
    }
    let reflection = BidirectionalStreamingMethod<ServerReflectionRequest, ServerReflectionResponse>(
        service: "grpc.reflection.v1.ServerReflection", method: "ServerReflectionInfo")
    router.register(reflection, policy: .open(maxRequestSize: 4096)) { requests, _, responses in
        var session = ReflectionSession(index: descriptors, services: [reflection.descriptor.service])
        for try await request in requests { try await responses.send(session.answer(request)) }
    }
    router.register(getCall) { request, _ in
        var call = Call()
        call.id = request.id
        return call
    }
    let rest = RESTRouter([
        RESTRoute("GET", "/api/v1/calls/{id}", rpc: getCall.descriptor),
        RESTRoute("POST", "/hook", .endpoint { request in .json(200, "{\"bytes\":\(request.body.readableBytes)}") },
            maxBodySize: 4096, gate: { $0.headers["x-signature"] == nil ? .json(401, #"{"code":16}"#) : nil }),
    ])
    return RPCServer(router: router, rest: rest, logger: logger)
}()

private let descriptors: DescriptorIndex = {
    do {
        return try DescriptorIndex(base64: ProtoDescriptors.files)
    } catch {
        propertyBroken("the generated descriptors do not index: \(error)")
    }
}()

/// Handlers run in tasks; the properties are checked once they have all returned.
private func waitForHandlers() {
    let done = DispatchSemaphore(value: 0)
    Task {
        await server.calls.waitUntilIdle()
        done.signal()
    }
    done.wait()
}

/// Collects a response's parts from whichever thread writes them.
private final class RecordingSink: ResponseSink {
    private let parts = Mutex<[ResponsePart]>([])
    private let resets = Mutex(0)

    func write(_ parts: [ResponsePart], streamID: Int32) {
        self.parts.withLock { $0.append(contentsOf: parts) }
    }

    func reset(streamID: Int32, reason: StreamResetReason) {
        self.resets.withLock { $0 += 1 }
    }

    func workStarted(streamID: Int32) {}
    func workFinished(streamID: Int32) {}

    func check(isGRPC: Bool) {
        let parts = self.parts.withLock { $0 }
        let resets = self.resets.withLock { $0 }
        if resets > 0 {
            requireProperty(!parts.contains { if case .end = $0 { true } else { false } }, "a reset response also ended")
            return
        }
        guard case .head(let head) = parts.first else { propertyBroken("the response does not start with a head: \(parts)") }
        var fields = head.headers
        var ends = 0
        var body = ByteBuffer()
        for part in parts.dropFirst() {
            switch part {
            case .head: propertyBroken("a second response head")
            case .body(var buffer): body.writeBuffer(&buffer)
            case .end(let trailers):
                ends += 1
                if let trailers { fields.append(contentsOf: trailers) }
            }
        }
        requireProperty(ends == 1, "the response ended \(ends) times")
        if isGRPC {
            requireProperty(fields["grpc-status"] != nil, "a gRPC answer without grpc-status: \(head.status) \(fields)")
        } else if head.status >= 400 {
            let text = String(buffer: body)
            requireProperty(text.contains("\"code\""), "a REST error without the contract's JSON: \(head.status) \(text)")
        }
    }
}

@main
enum Main {
    static func main() {
        FuzzDriver.main(testOneInput)
    }
}
