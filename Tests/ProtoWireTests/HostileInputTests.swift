import ProtoWire
import Testing

/// Every malformed input must come back as a `WireError`: no trap, no huge allocation.
@Suite struct HostileInputTests {
    @Test func truncatedVarintFails() {
        expectDecodingFails(Scalars.self, "08", .truncated)
        expectDecodingFails(Scalars.self, "0896", .truncated)
        expectDecodingFails(Scalars.self, "96", .truncated)
    }

    @Test func elevenByteVarintFails() {
        expectDecodingFails(Scalars.self, "08 ffffffffffffffffffff 01", .overlongVarint)
    }

    @Test func tenByteVarintIsAccepted() throws {
        #expect(try Scalars(serializedBytes: [UInt8](hex: "10 ffffffffffffffffff 7f")).i64 == -1)
    }

    @Test func lengthPastTheEndFails() {
        expectDecodingFails(Scalars.self, "72 05 61", .lengthPastEnd)
    }

    @Test func hugeLengthFailsWithoutAllocating() {
        expectDecodingFails(Scalars.self, "72 ffffffffffffffff7f", .lengthPastEnd)
        expectDecodingFails(Repeateds.self, "0a ffffffff0f 01", .lengthPastEnd)
    }

    @Test func wireTypesSixAndSevenFail() {
        expectDecodingFails(Scalars.self, "0e", .invalidWireType)
        expectDecodingFails(Scalars.self, "a70600", .invalidWireType)
    }

    @Test func unmatchedEndGroupFails() {
        expectDecodingFails(Scalars.self, "0c", .unmatchedEndGroup)
        expectDecodingFails(Scalars.self, "a306 ac06", .unmatchedEndGroup)
    }

    @Test func unterminatedGroupFails() {
        expectDecodingFails(Scalars.self, "a306 0801", .truncated)
    }

    @Test func fieldNumberZeroFails() {
        expectDecodingFails(Scalars.self, "0000", .invalidFieldNumber)
        expectDecodingFails(Scalars.self, "0200", .invalidFieldNumber)
    }

    @Test func tagWiderThan32BitsFails() {
        expectDecodingFails(Scalars.self, "8080808080 01 00", .invalidFieldNumber)
    }

    @Test func knownFieldWithWrongWireTypeFails() {
        expectDecodingFails(Scalars.self, "0d00000000", .wrongWireType)   // int32 as fixed32
        expectDecodingFails(Scalars.self, "7001", .wrongWireType)         // string as varint
        expectDecodingFails(Scalars.self, "0a0101", .wrongWireType)       // singular int32 as packed
        expectDecodingFails(Nested.self, "4800", .wrongWireType)          // message as varint
        expectDecodingFails(Repeateds.self, "2d00000000", .wrongWireType) // repeated string as fixed32
        expectDecodingFails(Nested.self, "1a020801", .wrongWireType)      // map key as varint
    }

    @Test func invalidUTF8InStringFails() {
        expectDecodingFails(Scalars.self, "7201ff", .invalidUTF8)
        expectDecodingFails(Scalars.self, "7202c080", .invalidUTF8)     // overlong NUL
        expectDecodingFails(Scalars.self, "7203eda080", .invalidUTF8)   // encoded surrogate
        expectDecodingFails(Nested.self, "32030a01ff", .invalidUTF8)    // map key
    }

    @Test func bytesFieldsAcceptAnyBytes() throws {
        #expect(try Scalars(serializedBytes: [UInt8](hex: "7a01ff")).by == [0xFF])
    }

    @Test func truncatedPackedRunsFail() {
        expectDecodingFails(Repeateds.self, "0a0196", .truncated)
        expectDecodingFails(Repeateds.self, "1a03010000", .truncated)
    }

    @Test func truncatedFixedWidthValuesFail() {
        expectDecodingFails(Scalars.self, "3d0700", .truncated)
        expectDecodingFails(Scalars.self, "4108000000", .truncated)
    }

    @Test func recursionDeeperThanTheLimitFails() {
        let error = #expect(throws: WireError.self) {
            try Nested(serializedBytes: BinaryDecodingTests.chain(depth: 101))
        }
        #expect(error?.code == .recursionLimit)
    }

    @Test func deeplyNestedUnknownGroupsFail() {
        let tooDeep = String(repeating: "a306", count: 101) + String(repeating: "a406", count: 101)
        expectDecodingFails(Scalars.self, tooDeep, .recursionLimit)
        let deepEnough = String(repeating: "a306", count: 100) + String(repeating: "a406", count: 100)
        #expect(throws: Never.self) { try Scalars(serializedBytes: [UInt8](hex: deepEnough)) }
    }

    @Test func errorsNameTheMessageAndField() {
        let error = #expect(throws: WireError.self) {
            try Nested(serializedBytes: [UInt8](hex: "4a03 7201ff"))
        }
        #expect(error?.path == ["wiretest.Nested.scalars(9)", "wiretest.Scalars.s(14)"])
        #expect(error?.description == "invalid UTF-8 in string field (at wiretest.Nested.scalars(9) > wiretest.Scalars.s(14))")
    }

    @Test func everyPrefixOfAValidMessageFailsOrDecodesWithoutTrapping() {
        let bytes = Nested.with {
            $0.children = [Nested.with { $0.labels = ["k": "v"] }]
            $0.scalars = Scalars.with { $0.s = "text"; $0.db = 2.5; $0.i64 = -7 }
            $0.at = Timestamp(seconds: 5, nanos: 6)
        }.serializedBytes()
        for end in 0..<bytes.count {
            _ = try? Nested(serializedBytes: Array(bytes[0..<end]))
        }
        for index in bytes.indices {
            var mutated = bytes
            mutated[index] ^= 0xFF
            _ = try? Nested(serializedBytes: mutated)
        }
    }
}
