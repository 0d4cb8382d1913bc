#if canImport(Glibc)
import Foundation
import Glibc
import OutboundHTTP
import Synchronization
import Testing

@testable import Clerk

/// The JWKS path over a real socket: `URLSessionHTTPClient` (libcurl underneath on Linux)
/// against a one-thread HTTP/1.1 server on 127.0.0.1, port chosen by the kernel.
@Suite struct LoopbackJWKSTests {
    @Test func urlSessionClientFetchesTheJWKSOverLoopback() async throws {
        let server = try LoopbackHTTPServer(body: jwks([JWKSTests.keyB]))
        defer { server.stop() }
        let configuration = try ClerkConfiguration(environment: [
            "CLERK_JWKS_URL": "http://127.0.0.1:\(server.port)/.well-known/jwks.json",
        ])
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: URLSessionHTTPClient(timeout: .seconds(5)))
        let session = try await verifier.verify(tokenB(kid: "ins_B"), now: now)
        #expect(session.userID == "user_2hK9abc")
        #expect(server.requestLines == ["GET /.well-known/jwks.json HTTP/1.1"])
    }

    @Test func nothingListeningIsKeySourceUnavailable() async throws {
        let server = try LoopbackHTTPServer(body: Data())
        let port = server.port
        server.stop()   // the port is now closed: connection refused
        let configuration = try ClerkConfiguration(environment: ["CLERK_JWKS_URL": "http://127.0.0.1:\(port)/jwks"])
        let verifier = try SessionTokenVerifier(configuration: configuration, httpClient: URLSessionHTTPClient(timeout: .seconds(5)))
        await expectRejection(verifier, tokenB(kid: "ins_B"), .keySourceUnavailable)
    }
}

/// Accepts connections on its own thread and answers each with `body` as 200 JSON, then closes.
/// Test-only: blocking calls on a dedicated thread, nothing shared but a locked list.
final class LoopbackHTTPServer: Sendable {
    struct SocketError: Error { var call: String }

    let port: UInt16
    private let socket: Int32
    private let body: Data
    private let lines = Mutex<[String]>([])

    init(body: Data) throws {
        self.body = body
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

    /// The request line of each request served.
    var requestLines: [String] { self.lines.withLock { $0 } }

    func stop() {
        shutdown(self.socket, Int32(SHUT_RDWR))   // wakes accept() with an error
        close(self.socket)
    }

    private func serve() {
        while true {
            let client = accept(self.socket, nil, nil)
            if client < 0 { return }
            var request = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !request.containsHeaderEnd {
                let count = read(client, &buffer, buffer.count)
                if count <= 0 { break }
                request += buffer.prefix(count)
            }
            let text = String(decoding: request, as: UTF8.self)
            self.lines.withLock { $0.append(text.components(separatedBy: "\r\n")[0]) }
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(self.body.count)\r\nConnection: close\r\n\r\n"
            let response = Array(head.utf8) + Array(self.body)
            _ = response.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            close(client)
        }
    }
}

extension [UInt8] {
    fileprivate var containsHeaderEnd: Bool {
        guard self.count >= 4 else { return false }
        for index in 0...(self.count - 4) where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return true
        }
        return false
    }
}
#endif
