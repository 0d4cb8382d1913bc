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

    @Test func anHTTP1RequestLineSelectsHTTP1OnceTheLineIsComplete() {
        #expect(self.decide("GET /api/health HTTP/1.1\r\n") == .http1)
        #expect(self.decide("POST /x HTTP/1.0\n") == .http1)
        #expect(self.decide("GET /api/health HTTP/1.1") == .needMoreBytes)
        #expect(self.decide("POST") == .needMoreBytes)
    }

    @Test func aFirstLineThatIsNotHTTP1IsNeither() {
        #expect(self.decide("INVALID CONNECTION PREFACE\r\n\r\n") == .neither)
        #expect(self.decide("PRI * HTTP/1.1\r\n") == .http1)
        #expect(self.decide("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n") == .neither)
        #expect(self.decide("GET /\r\n") == .neither)
        #expect(self.decide("GET / HTTP/1.2\r\n") == .neither)
        #expect(self.decide("GET / HTTP/1.1 trailing\r\n") == .neither)
    }

    @Test func aFirstLineLongerThanTheLimitIsNeither() {
        let long = "GET /" + String(repeating: "a", count: ProtocolSniffer.maxRequestLine)
        #expect(self.decide(long) == .neither)
        #expect(self.decide(String(long.prefix(100))) == .needMoreBytes)
    }
}

extension ProtocolSnifferTests {
    @Test func afterALPNChoseH2OnlyThePrefaceIsTaken() {
        #expect(ProtocolSniffer.decide(ByteBuffer(string: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), http2Only: true) == .http2)
        #expect(ProtocolSniffer.decide(ByteBuffer(string: "PRI * HTTP/2"), http2Only: true) == .needMoreBytes)
        #expect(ProtocolSniffer.decide(ByteBuffer(string: "GET / HTTP/1.1\r\n"), http2Only: true) == .neither)
        #expect(ProtocolSniffer.decide(ByteBuffer(string: "G"), http2Only: true) == .neither)
    }
}
