import Foundation
import Glibc
import Testing

@testable import OutboundHTTP

@Suite struct URLSessionHTTPClientTests {
    /// A loopback port that completes TCP handshakes (the kernel's backlog) but never answers.
    private final class SilentListener {
        let port: Int
        private let socket: Int32

        init() throws {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                    bind(socket, pointer, length) == 0 && listen(socket, 16) == 0
                        && getsockname(socket, pointer, &length) == 0
                }
            }
            guard bound else {
                close(socket)
                throw POSIXError(.EADDRNOTAVAIL)
            }
            self.socket = socket
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(self.socket) }
    }

    /// A caller cancelled while the provider has not answered gets its CancellationError at
    /// once, not after the request's timeout (URLSession's own cancellation path can deadlock
    /// on Linux, so the client does not rely on it).
    @Test func aCancelledRequestReturnsAtOnce() async throws {
        let listener = try SilentListener()
        let client = URLSessionHTTPClient(timeout: .seconds(20))
        let url = try #require(URL(string: "http://127.0.0.1:\(listener.port)/slow"))
        for _ in 0..<5 {
            let started = ContinuousClock.now
            let call = Task { try await client.get(url, headers: [:]) }
            try await Task.sleep(for: .milliseconds(20))
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
            // Well under the 20 s timeout, with room for a loaded CI machine.
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func aProviderThatNeverAnswersTimesOut() async throws {
        let listener = try SilentListener()
        let client = URLSessionHTTPClient(timeout: .seconds(1))
        let url = try #require(URL(string: "http://127.0.0.1:\(listener.port)/slow"))
        let started = ContinuousClock.now
        await #expect(throws: URLError.self) { try await client.get(url, headers: [:]) }
        // It used to take the session's 60 s; a loaded machine may add a few seconds to 1 s.
        #expect(ContinuousClock.now - started < .seconds(15))
    }
}
