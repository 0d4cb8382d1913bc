import Foundation
import Glibc
import Testing
import TestSupport

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
        // A timeout far above the bound below: a full test run on two loaded cores has taken up to
        // 14 s to resume a cancelled caller, which still proves it did not wait for the timeout.
        let client = URLSessionHTTPClient(timeout: .seconds(60))
        let url = try #require(URL(string: "http://127.0.0.1:\(listener.port)/slow"))
        for _ in 0..<5 {
            let started = ContinuousClock.now
            let call = Task { try await client.get(url, headers: [:]) }
            try await Task.sleep(for: .milliseconds(20))
            call.cancel()
            await #expect(throws: CancellationError.self) { try await call.value }
            // Well under the 60 s timeout, with room for a loaded CI machine.
            #expect(ContinuousClock.now - started < .seconds(30))
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

/// What a provider answers is what the caller gets: a redirect is not followed, and an answer
/// over the size cap is refused.
@Suite struct URLSessionHTTPClientBoundsTests {
    @Test func aRedirectIsTheAnswerAndIsNotFollowed() async throws {
        let server = try LoopbackHTTPServer([(302, "{}"), (200, #"{"followed":true}"#)])
        defer { server.stop() }
        let answer = try await URLSessionHTTPClient().get(server.baseURL.appendingPathComponent("start"), headers: [:])
        #expect(answer.status == 302)
        #expect(server.requests.count == 1)
    }

    @Test func anAnswerOfExactlyTheCapIsTaken() async throws {
        let server = try LoopbackHTTPServer(script: [(200, Data(count: URLSessionHTTPClient.maxResponseBytes))])
        defer { server.stop() }
        let answer = try await URLSessionHTTPClient().get(server.baseURL, headers: [:])
        #expect(answer.body.count == URLSessionHTTPClient.maxResponseBytes)
    }

    @Test func anAnswerOverTheCapIsRefused() async throws {
        let server = try LoopbackHTTPServer(script: [(200, Data(count: URLSessionHTTPClient.maxResponseBytes + 1))])
        defer { server.stop() }
        await #expect(throws: URLError.self) {
            _ = try await URLSessionHTTPClient().get(server.baseURL, headers: [:])
        }
    }
}

@Suite struct ProviderBaseURLTests {
    @Test(arguments: ["https://api.calendly.com", "http://127.0.0.1:9099/calendly", "http://localhost:8080", "http://[::1]:9"])
    func httpsOrLoopbackHTTPIsAccepted(text: String) throws {
        #expect(try ProviderBaseURL.parse(text, variable: "X_BASE_URL", provider: .calendly).absoluteString == text)
    }

    @Test(arguments: ["http://api.calendly.com", "http://127.example.com", "http://127.0.0.1.example.com", "ftp://127.0.0.1", "https://api.calendly.com?x=1", "https://user:pw@api.calendly.com", "not a url"])
    func anythingElseIsAConfigurationErrorNamingTheVariable(text: String) {
        let error = #expect(throws: ProviderError.self) { try ProviderBaseURL.parse(text, variable: "X_BASE_URL", provider: .stream) }
        #expect(error?.reason == .invalidConfiguration && error?.detail.hasPrefix("X_BASE_URL") == true)
    }
}

/// The size cap holds while the answer arrives: the client hangs up instead of reading on.
@Suite struct URLSessionHTTPClientStreamingCapTests {
    /// What the server would send at most; the client must hang up long before a quarter of it
    /// (the server is paced, so a quarter leaves about a second for a loaded machine).
    static let limit = 256 << 20

    @Test(arguments: [1 << 30, nil] as [Int?])
    func anEndlessAnswerIsRefusedAtOnceAndTheConnectionClosed(announcedLength: Int?) async throws {
        let server = try LoopbackHTTPServer(answers: [.endless(announcedLength: announcedLength, limit: Self.limit)])
        defer { server.stop() }
        let started = ContinuousClock.now
        let error = await #expect(throws: URLError.self) {
            _ = try await URLSessionHTTPClient(timeout: .seconds(30)).get(server.baseURL, headers: [:])
        }
        #expect(error?.code == .dataLengthExceedsMaximum)
        #expect(error?.localizedDescription.contains("cap") == true)
        // Well under the 30 s deadline, with room for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(10))
        let stream = try #require(await server.nextStream(within: .seconds(20)))
        #expect(stream.closedByClient)
        #expect(stream.bytesSent < Self.limit / 4, "\(stream.bytesSent) bytes went out before the client hung up")
    }
}
