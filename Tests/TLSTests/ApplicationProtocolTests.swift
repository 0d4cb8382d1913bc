import Testing

@testable import TLS

@Suite struct ApplicationProtocolTests {
    private func preferred(_ names: [String]) -> ApplicationProtocol? {
        var wire: [UInt8] = []
        for name in names { wire += [UInt8(name.utf8.count)] + Array(name.utf8) }
        return wire.withUnsafeBytes { list in
            guard let choice = ApplicationProtocol.preferred(in: list) else { return nil }
            // The chosen name points into the client's list.
            #expect(Array(list[choice.offset..<(choice.offset + choice.length)]) == choice.protocol.name)
            return choice.protocol
        }
    }

    @Test func h2IsChosenWhereverTheClientListsIt() {
        #expect(self.preferred(["h2", "http/1.1"]) == .http2)
        #expect(self.preferred(["http/1.1", "h2"]) == .http2)
        #expect(self.preferred(["grpc-exp", "h2"]) == .http2)
    }

    @Test func http1IsChosenWhenTheClientDoesNotOfferH2() {
        #expect(self.preferred(["http/1.0", "http/1.1"]) == .http1_1)
    }

    @Test func aListWithNothingWeSpeakChoosesNothing() {
        #expect(self.preferred(["h3", "spdy/3"]) == nil)
        #expect(self.preferred([]) == nil)
    }

    @Test func aMalformedListIsReadUpToWhereItBreaks() {
        let truncated: [UInt8] = [2] + Array("h2".utf8) + [40] + Array("http/1.1".utf8)
        #expect(truncated.withUnsafeBytes { ApplicationProtocol.preferred(in: $0)?.protocol } == .http2)
        let broken: [UInt8] = [40] + Array("h2".utf8)
        #expect(broken.withUnsafeBytes { ApplicationProtocol.preferred(in: $0) } == nil)
        let zeroLength: [UInt8] = [0, 2] + Array("h2".utf8)
        #expect(zeroLength.withUnsafeBytes { ApplicationProtocol.preferred(in: $0) } == nil)
    }
}
