import Foundation
import Testing
import TestSupport

@testable import OutboundHTTP

@Suite struct OutboundResponseTests {
    @Test func headerNamesAreReadInAnyCase() {
        let response = OutboundResponse(status: 200, headers: ["Cache-Control": "max-age=60"], body: Data())
        #expect(response.header("cache-control") == "max-age=60")
        #expect(response.header("CACHE-CONTROL") == "max-age=60")
        #expect(response.header("Age") == nil)
    }

    @Test func namesThatDifferOnlyInCaseAreOneField() {
        let response = OutboundResponse(status: 200, headers: ["Vary": "Origin", "vary": "Accept"], body: Data())
        let value = response.header("Vary")
        #expect(value == "Origin, Accept" || value == "Accept, Origin")
    }

    @Test func urlSessionClientReturnsTheHeaderFields() async throws {
        let server = try LoopbackHTTPServer(body: Data("{}".utf8))
        defer { server.stop() }
        let answer = try await URLSessionHTTPClient().get(server.baseURL, headers: [:])
        #expect(answer.header("content-type") == "application/json")
        #expect(answer.header("Content-Length") == "2")
    }
}
