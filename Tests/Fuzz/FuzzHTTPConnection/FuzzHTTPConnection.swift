import FuzzSupport
import Logging
import NIOCore
import NIOEmbedded
import Transport

/// Bytes from the network into a connection built as the server builds one
/// (`HTTPServer.installConnectionHandlers`: back-pressure, the protocol sniffer, then NIOHTTP1
/// or nghttp2 with the connection's state machine). The first byte picks whether the HTTP/2
/// preface is sent first (so runs start inside HTTP/2 framing), how the bytes are split into
/// reads, and how the responder answers; the clock then moves past every deadline.
///
/// Properties: nothing traps; every request the responder saw ends exactly once, answered or
/// cancelled, by the time the connection is closed; and work a handler announced is always
/// matched by the connection letting it go (the responder finishes its work synchronously).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.takeByte()
    let responder = FuzzResponder(answer: FuzzResponder.Answer(rawValue: mode >> 4 & 0x3) ?? .atEnd)
    let bytes = (mode & 1 == 1 ? http2Preface : []) + input.takeRest()
    let channel = EmbeddedChannel(loop: EmbeddedEventLoop())
    do {
        try HTTPServer.installConnectionHandlers(
            on: channel, responder: responder, configuration: HTTPServer.Configuration(), logger: logger)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    } catch {
        propertyBroken("could not set up the connection: \(error)")
    }
    let readSize = max(1, Int(mode >> 1 & 0x7) * 97)
    channel.feed(bytes, readSize: readSize)
    channel.embeddedEventLoop.advanceTime(by: .seconds(200))
    _ = try? channel.finish(acceptAlreadyClosed: true)
    for request in responder.requests {
        requireProperty(
            request.outcomes == 1,
            "request \(request.path) ended \(request.outcomes) times (answered \(request.answered), cancelled \(request.cancelled))")
    }
    // The responder keeps its requests, and their writers reach the connection's handler,
    // which holds the responder: let go, as finished handler tasks do, or LeakSanitizer
    // rightly reports the cycle.
    responder.requests.removeAll()
    return 0
}

private let http2Preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + [0, 0, 0, 4, 0, 0, 0, 0, 0]
private let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

/// Answers the way the RPC layer does, synchronously: at once from the head (a refusal), when
/// the request ends, or after work it announces and finishes.
private final class FuzzResponder: HTTPResponder, @unchecked Sendable {
    enum Answer: UInt8 {
        case atOnce, atEnd, afterWork, never
    }

    final class Request: RequestHandler {
        let path: String
        let writer: ResponseWriter
        let answer: Answer
        var answered = 0
        var cancelled = 0
        var outcomes: Int { self.answered + self.cancelled }

        init(path: String, writer: ResponseWriter, answer: Answer) {
            self.path = path
            self.writer = writer
            self.answer = answer
        }

        func respond() {
            self.answered += 1
            self.writer.write([
                .head(ResponseHead(status: 200, headers: ["content-type": "text/plain"])),
                .body(ByteBuffer(string: "ok")), .end(trailers: ["grpc-status": "0"]),
            ])
        }

        func receiveBody(_ buffer: ByteBuffer) {}

        func receiveEnd() {
            switch self.answer {
            case .atEnd:
                self.respond()
            case .afterWork:
                self.writer.workStarted()
                self.respond()
                self.writer.workFinished()
            case .atOnce, .never:
                break
            }
        }

        func cancel() {
            self.cancelled += 1
        }
    }

    let answer: Answer
    var requests: [Request] = []

    init(answer: Answer) {
        self.answer = answer
    }

    func makeRequestHandler(head: RequestHead, writer: ResponseWriter) -> any RequestHandler {
        let request = Request(path: head.path, writer: writer, answer: self.answer)
        self.requests.append(request)
        if self.answer == .atOnce { request.respond() }
        return request
    }
}

@main
enum Main {
    static func main() {
        FuzzDriver.main(testOneInput)
    }
}
