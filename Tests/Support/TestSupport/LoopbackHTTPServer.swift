#if canImport(Glibc)
public import Foundation
import Glibc
import Synchronization

/// A provider's API on 127.0.0.1 (port chosen by the kernel), for provider clients' tests over
/// a real socket (`URLSessionHTTPClient`, libcurl underneath): it records each request as
/// received, bytes and all, and answers from a script (the last answer repeats). One
/// connection at a time, closed after each reply. An `endless` answer is a body that never
/// ends, for the client's size cap: the server writes until the client hangs up.
///
/// Test-only: blocking calls on a dedicated thread; nothing shared but locked lists.
public final class LoopbackHTTPServer: Sendable {
    public struct SocketError: Error { public var call: String }

    /// One request as it arrived.
    public struct Request: Sendable {
        /// "POST /api/v1/tasks/call-booking.reminder/trigger HTTP/1.1"
        public var requestLine: String
        /// In arrival order, names as sent.
        public var headers: [(name: String, value: String)]
        public var body: Data

        /// The value of `name`, compared case-insensitively; `nil` when absent.
        public func header(_ name: String) -> String? {
            self.headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        public var bodyText: String { String(decoding: self.body, as: UTF8.self) }
    }

    public enum Answer: Sendable {
        case complete(status: Int, body: Data)
        /// 200 whose body is written in 64 KiB pieces, one a millisecond (about 64 MiB/s, a fast
        /// provider link), until the client closes the connection or `limit` bytes are out:
        /// announced as `Content-Length: announcedLength`, or chunked when that is nil.
        /// Unpaced, a loopback writer keeps libcurl's read loop going without a pause, and a
        /// cancellation waits for that loop (swift-corelibs-foundation runs both on one queue):
        /// the test would then measure loopback's speed, not the client.
        case endless(announcedLength: Int?, limit: Int)
    }

    /// How an `endless` answer ended.
    public struct Stream: Sendable {
        /// Body bytes the client's socket accepted (the kernel's buffers included).
        public var bytesSent: Int
        /// The client closed the connection; false when `limit` was reached or a write stalled.
        public var closedByClient: Bool
    }

    public let port: UInt16
    private let socket: Int32
    private let script: [Answer]
    private let received = Mutex<[Request]>([])
    private let streams = Mutex<[Stream]>([])

    /// Answers every request with 200 and `body` (JSON).
    public convenience init(body: Data) throws {
        try self.init(script: [(200, body)])
    }

    /// `script`: the answers in order (JSON bodies); once used up, the last one repeats.
    public convenience init(_ script: [(status: Int, body: String)]) throws {
        try self.init(script: script.map { ($0.status, Data($0.body.utf8)) })
    }

    public convenience init(script: [(status: Int, body: Data)]) throws {
        try self.init(answers: script.map { .complete(status: $0.status, body: $0.body) })
    }

    public init(answers script: [Answer]) throws {
        precondition(!script.isEmpty, "a loopback API needs at least one answer")
        self.script = script
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw SocketError(call: "bind/listen")
        }
        self.socket = fd
        self.port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in self.serve() }
    }

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(self.port)")! }
    public var requests: [Request] { self.received.withLock { $0 } }

    /// The next `endless` answer's outcome once it has ended, or nil if it has not within `timeout`.
    /// Polls: a test waiting here must not hold one of the few threads of the cooperative pool
    /// that every other test in the process needs.
    public func nextStream(within timeout: Duration) async -> Stream? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let stream = self.streams.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return stream }
            guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(10))) != nil else { return nil }
        }
    }

    /// Stops accepting; call it exactly once. Returns at once: the serving thread closes the
    /// port when it leaves `accept`, so no later server can get the same descriptor while this
    /// thread still uses it, and no caller blocks on it.
    public func stop() {
        shutdown(self.socket, Int32(SHUT_RDWR))   // wakes accept() with an error
    }

    private func serve() {
        defer { close(self.socket) }
        while true {
            let client = accept(self.socket, nil, nil)
            if client < 0 { return }
            if let request = Self.read(client) {
                let index = self.received.withLock { list in
                    list.append(request)
                    return list.count - 1
                }
                switch self.script[min(index, self.script.count - 1)] {
                case .complete(let status, let body):
                    Self.write(client, status: status, body: body)
                case .endless(let announcedLength, let limit):
                    let stream = Self.stream(client, announcedLength: announcedLength, limit: limit)
                    self.streams.withLock { $0.append(stream) }
                }
            }
            close(client)
        }
    }

    /// The head up to CRLF CRLF, then `Content-Length` bytes of body. Answers
    /// `Expect: 100-continue` (libcurl sends it before larger bodies) so the body comes at once.
    private static func read(_ client: Int32) -> Request? {
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 8192)
        var headEnd: Int?
        while headEnd == nil {
            let count = Glibc.read(client, &buffer, buffer.count)
            if count <= 0 { return nil }
            bytes += buffer.prefix(count)
            headEnd = bytes.headEnd
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var request = Request(requestLine: lines[0], headers: headers, body: Data())
        let length = request.header("Content-Length").flatMap(Int.init) ?? 0
        if request.header("Expect")?.lowercased() == "100-continue" {
            let interim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
            _ = interim.withUnsafeBytes { Glibc.write(client, $0.baseAddress, $0.count) }
        }
        var body = Array(bytes[(headEnd + 4)...])
        while body.count < length {
            let count = Glibc.read(client, &buffer, buffer.count)
            if count <= 0 { break }
            body += buffer.prefix(count)
        }
        request.body = Data(body.prefix(length))
        return request
    }

    private static func write(_ client: Int32, status: Int, body: Data) {
        let payload = Array(body)
        // A redirect points at another path of this server, which a client must not follow.
        let location = (300..<400).contains(status) ? "Location: /redirected\r\n" : ""
        let head = "HTTP/1.1 \(status) Status\r\nContent-Type: application/json\r\n" + location
            + "Content-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
        let response = Array(head.utf8) + payload
        _ = response.withUnsafeBytes { Glibc.write(client, $0.baseAddress, $0.count) }
    }

    /// Writes with MSG_NOSIGNAL (a closed peer is EPIPE, not a SIGPIPE that ends the test
    /// process) and a send timeout, so a client that stops reading without closing cannot
    /// hold the serving thread.
    private static func stream(_ client: Int32, announcedLength: Int?, limit: Int) -> Stream {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let framing = announcedLength.map { "Content-Length: \($0)" } ?? "Transfer-Encoding: chunked"
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\(framing)\r\nConnection: close\r\n\r\n"
        guard sendAll(client, Array(head.utf8)) else { return Stream(bytesSent: 0, closedByClient: true) }
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        let framed = announcedLength == nil ? Array("10000\r\n".utf8) + piece + Array("\r\n".utf8) : piece
        var sent = 0
        while sent < limit {
            guard sendAll(client, framed) else {
                return Stream(bytesSent: sent, closedByClient: errno == EPIPE || errno == ECONNRESET)
            }
            sent += piece.count
            usleep(1000)
        }
        return Stream(bytesSent: sent, closedByClient: false)
    }

    private static func sendAll(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            offset += count
        }
        return true
    }
}

extension [UInt8] {
    /// The index of the CRLF CRLF that ends an HTTP head.
    fileprivate var headEnd: Int? {
        guard self.count >= 4 else { return nil }
        for index in 0...(self.count - 4)
        where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return index
        }
        return nil
    }
}
#endif
