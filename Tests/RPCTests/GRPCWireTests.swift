import NIOCore
import Testing

@testable import RPC

@Suite struct GRPCTimeoutTests {
    @Test(arguments: [
        ("2500m", Duration.milliseconds(2500)), ("1S", .seconds(1)), ("1H", .seconds(3600)), ("2M", .seconds(120)),
        ("5u", .microseconds(5)), ("7n", .nanoseconds(7)), ("99999999S", .seconds(99_999_999)),
    ])
    func validTimeoutsParse(text: String, expected: Duration) {
        #expect(GRPCTimeout.parse(text) == expected)
    }

    @Test(arguments: ["", "S", "10", "123456789S", "1s", "-1S", "1.5S", "abc", "1 S"])
    func malformedTimeoutsAreRejected(text: String) {
        #expect(GRPCTimeout.parse(text) == nil)
    }
}

@Suite struct GRPCStatusMessageTests {
    @Test func nonASCIIPercentAndControlBytesArePercentEncoded() {
        #expect(GRPCStatusMessage.percentEncode("nope ✓") == "nope %E2%9C%93")
        #expect(GRPCStatusMessage.percentEncode("100%") == "100%25")
        #expect(GRPCStatusMessage.percentEncode("a\r\nb") == "a%0D%0Ab")
        #expect(GRPCStatusMessage.percentEncode("plain text ~") == "plain text ~")
    }
}

@Suite struct GRPCMessageDeframerTests {
    private func framed(_ payload: [UInt8], flag: UInt8 = 0) -> [UInt8] {
        let length = UInt32(payload.count)
        return [flag, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + payload
    }

    @Test func aMessageSplitAcrossChunksIsReassembled() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100)
        let bytes = self.framed([0x0A, 0x03, 0x61, 0x62, 0x63])
        for byte in bytes.dropLast() {
            deframer.append(ByteBuffer(bytes: [byte]))
            #expect(try deframer.next() == nil)
        }
        deframer.append(ByteBuffer(bytes: [bytes.last!]))
        #expect(try deframer.next() == ByteBuffer(bytes: [0x0A, 0x03, 0x61, 0x62, 0x63]))
        #expect(!deframer.hasPartialMessage)
    }

    @Test func severalMessagesInOneChunkComeOutInOrder() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100)
        deframer.append(ByteBuffer(bytes: self.framed([1]) + self.framed([]) + self.framed([2, 3])))
        #expect(try deframer.next() == ByteBuffer(bytes: [1]))
        #expect(try deframer.next() == ByteBuffer(bytes: []))
        #expect(try deframer.next() == ByteBuffer(bytes: [2, 3]))
        #expect(try deframer.next() == nil)
    }

    @Test func anOversizedLengthIsRefusedFromThePrefixAlone() {
        var deframer = GRPCMessageDeframer(maxMessageSize: 4 << 20)
        deframer.append(ByteBuffer(bytes: [0, 0x00, 0x50, 0x00, 0x00]))  // 5 MiB announced
        #expect(throws: RPCError.self) { try deframer.next() }
        do {
            _ = try deframer.next()
        } catch {
            #expect(error.code == .resourceExhausted)
        }
    }

    @Test func theCompressedFlagWithoutAnEncodingIsInternal() {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100)
        deframer.append(ByteBuffer(bytes: self.framed([1], flag: 1)))
        do {
            _ = try deframer.next()
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .internal)
        }
    }

    @Test func aTruncatedMessageIsReportedAsPartial() throws {
        var deframer = GRPCMessageDeframer(maxMessageSize: 100)
        deframer.append(ByteBuffer(bytes: Array(self.framed([1, 2, 3]).prefix(6))))
        #expect(try deframer.next() == nil)
        #expect(deframer.hasPartialMessage)
    }

    @Test func framingWritesTheFiveBytePrefix() {
        let framed = GRPCMessageFramer.framed(allocator: ByteBufferAllocator()) { $0.writeBytes([0x08, 0x01]) }
        #expect(framed == ByteBuffer(bytes: [0, 0, 0, 0, 2, 0x08, 0x01]))
    }
}

@Suite struct MethodDescriptorTests {
    @Test func aPathSplitsAtTheLastSlash() {
        let method = MethodDescriptor(path: "/grpc.health.v1.Health/Check")
        #expect(method?.service == "grpc.health.v1.Health")
        #expect(method?.method == "Check")
        #expect(method?.path == "/grpc.health.v1.Health/Check")
    }

    @Test(arguments: ["", "/", "//", "/a/", "noslash", "/onlyservice"])
    func malformedPathsAreRejected(path: String) {
        #expect(MethodDescriptor(path: path[...]) == nil)
    }
}

@Suite struct StatusMappingTests {
    /// CONTRACT.md "JSON": the HTTP status of each code.
    @Test func everyCodeMapsToTheContractsHTTPStatus() {
        let expected: [RPCError.Code: Int] = [
            .ok: 200, .cancelled: 500, .unknown: 500, .invalidArgument: 400, .deadlineExceeded: 504,
            .notFound: 404, .alreadyExists: 409, .permissionDenied: 403, .resourceExhausted: 429,
            .failedPrecondition: 400, .aborted: 409, .outOfRange: 400, .unimplemented: 501, .internal: 500,
            .unavailable: 503, .dataLoss: 500, .unauthenticated: 401,
        ]
        for (code, status) in expected {
            #expect(code.httpStatus == status, "\(code)")
        }
    }
}

@Suite struct ContentTypeTests {
    @Test(arguments: [
        ("application/grpc", false as Bool?), ("application/grpc+proto", false), ("application/grpc+json", true),
        ("application/grpc;charset=utf-8", false), ("application/grpc-web", nil), ("application/grpc-web+proto", nil),
        ("application/json", nil), ("text/plain", nil), ("", nil),
    ])
    func gRPCContentTypesAreRecognisedAndGRPCWebIsNot(contentType: String, expected: Bool?) {
        #expect(RPCServer.grpcCodec(Array(contentType.utf8)[...]) == expected)
    }
}
