import NIOCore
import Testing

@testable import Transport

@Suite struct ProtocolSnifferTests {
    private func decide(_ text: String) -> ProtocolSniffer.Decision {
        ProtocolSniffer.decide(ByteBuffer(string: text))
    }

    @Test func theFullHTTP2PrefaceSelectsHTTP2() {
        #expect(self.decide("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") == .http2)
        #expect(self.decide("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u{0}\u{0}") == .http2)
    }

    @Test func aPartialPrefaceWaitsForMoreBytes() {
        #expect(self.decide("PRI * HTTP/2") == .needMoreBytes)
        #expect(self.decide("P") == .needMoreBytes)
    }

    @Test func anHTTP1RequestLineSelectsHTTP1AsSoonAsItDiffers() {
        #expect(self.decide("GET /api/health HTTP/1.1\r\n") == .http1)
        #expect(self.decide("POST") == .http1)
        #expect(self.decide("PRI * HTTP/1.1") == .http1)
    }
}
