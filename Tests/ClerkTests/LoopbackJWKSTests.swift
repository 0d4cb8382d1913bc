#if canImport(Glibc)
import Foundation
import TestSupport
import OutboundHTTP
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
        #expect(server.requests.map(\.requestLine) == ["GET /.well-known/jwks.json HTTP/1.1"])
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

#endif
