import NIOCore
import ProtoWire
import Testing

/// Golden bytes from Google's encoder (see Support/TestMessages.swift for the schema).
@Suite struct BinaryEncodingTests {
    @Test func varint150IsTwoBytes() {
        #expect(Scalars.with { $0.i32 = 150 }.serializedBytes() == [0x08, 0x96, 0x01])
    }

    @Test func negativeInt32TakesTenBytes() {
        #expect(Scalars.with { $0.i32 = -1 }.serializedBytes().hex == "08ffffffffffffffffff01")
    }

    @Test func sint32UsesZigZag() {
        #expect(Scalars.with { $0.s32 = -2 }.serializedBytes().hex == "2803")
    }

    @Test func everyScalarTypeMatchesGoogle() {
        let message = Scalars.with {
            $0.i32 = -1; $0.i64 = -2; $0.u32 = 3; $0.u64 = .max; $0.s32 = -2; $0.s64 = -3
            $0.f32 = 7; $0.f64 = 8; $0.sf32 = -9; $0.sf64 = -10; $0.fl = 0.1; $0.db = 1.5
            $0.b = true; $0.s = "héllo"; $0.by = [0, 1, 0xFF]; $0.color = .green
        }
        #expect(message.serializedBytes().hex == "08ffffffffffffffffff0110feffffffffffffffff01180320ffffffffffffffffff012803300"
            + "53d070000004108000000000000004df7ffffff51f6ffffffffffffff5dcdcccc3d61000000000000f83f6801720668c3a96c6c6f7a030001ff800102")
        #expect(message.serializedSize == message.serializedBytes().count)
    }

    @Test func defaultsOfImplicitPresenceAreNotWritten() {
        #expect(Scalars().serializedBytes().isEmpty)
        #expect(Scalars.with { $0.color = .unspecified; $0.s = "" }.serializedBytes().isEmpty)
    }

    @Test func negativeZeroDoubleIsWrittenBecauseItsBitsAreNotZero() {
        #expect(Scalars.with { $0.db = -0.0 }.serializedBytes().hex == "610000000000000080")
    }

    @Test func optionalZeroIsStillWritten() {
        #expect(Optionals.with { $0.b = 0 }.serializedBytes().hex == "1000")
        let allZero = Optionals.with { $0.a = 0; $0.b = 0; $0.c = ""; $0.color = .unspecified; $0.flag = false; $0.d = 0 }
        #expect(allZero.serializedBytes().hex == "080010001a0020002800310000000000000000")
    }

    @Test func emptySubMessageIsWrittenWhenSet() {
        #expect(Nested.with { $0.scalars = Scalars() }.serializedBytes().hex == "4a00")
    }

    @Test func unknownEnumValueIsKept() {
        #expect(Scalars.with { $0.color = Color(rawValue: 7) }.serializedBytes().hex == "800107")
    }

    @Test func repeatedScalarsArePackedAndStringsAreNot() {
        let message = Repeateds.with {
            $0.i32 = [1, -1, 300]; $0.s64 = [-1, 1]; $0.f32 = [1, 2]; $0.db = [0.5]
            $0.s = ["a", ""]; $0.colors = [.red, Color(rawValue: 7)]; $0.flags = [true, false]; $0.bys = [[], [1]]
        }
        #expect(message.serializedBytes().hex == "0a0d01ffffffffffffffffff01ac02120201021a0801000000020000002208000000000000e03f"
            + "2a01612a00320201073a0201004200420101")
    }

    @Test func nestedMessagesMapsAndTimestampMatchGoogle() {
        let message = Nested.with {
            $0.children = [Nested.with { $0.nameWithUnderScore = "c" }]
            $0.byName = ["k": Scalars.with { $0.i32 = 1 }]
            $0.nameWithUnderScore = "x"
            $0.at = Timestamp(seconds: 1_700_000_000, nanos: 5_000_000)
            $0.labels = ["b": "2", "a": "1"]
        }
        #expect(message.serializedBytes().hex == "12032201631a070a016b120208012201782a0b0880e2cfaa0610c096b10232060a016112013132060a0162120132")
    }

    /// upb's deterministic order: bytewise, but a key comes after the longer keys it prefixes.
    @Test func mapKeysFollowGoogleDeterministicOrder() throws {
        let keys = ["a", "", "ab", "b", "aa", "é", "z"]
        let message = Nested.with { message in
            for key in keys { message.labels[key] = "v" }
        }
        let decodedOrder = try Self.labelKeysInWireOrder(message.serializedBytes())
        #expect(decodedOrder == ["aa", "ab", "a", "b", "z", "é", ""])
    }

    @Test func mapEntryWritesDefaultKeyAndValue() {
        #expect(Nested.with { $0.byName = ["": Scalars()] }.serializedBytes().hex == "1a040a001200")
    }

    @Test func serializingIntoByteBufferAppendsTheSameBytes() {
        let message = Nested.with { $0.children = [Nested(), Nested.with { $0.nameWithUnderScore = "deep" }] }
        var buffer = ByteBuffer(bytes: [0xAA])
        message.serialize(into: &buffer)
        #expect(Array(buffer.readableBytesView) == [0xAA] + message.serializedBytes())
    }

    @Test func deepNestingEncodesInOnePassWithCorrectLengths() throws {
        var message = Nested.with { $0.nameWithUnderScore = String(repeating: "x", count: 200) }
        for _ in 0..<50 { message = Nested.with { $0.children = [message, Nested()] } }
        let bytes = message.serializedBytes()
        #expect(bytes.count == message.serializedSize)
        #expect(try Nested(serializedBytes: bytes) == message)
    }

    private static func labelKeysInWireOrder(_ bytes: [UInt8]) throws -> [String] {
        var keys: [String] = []
        var index = 0
        while index < bytes.count {
            let entryLength = Int(bytes[index + 1])
            let keyLength = Int(bytes[index + 3])
            keys.append(String(decoding: bytes[(index + 4)..<(index + 4 + keyLength)], as: UTF8.self))
            index += 2 + entryLength
        }
        return keys
    }
}
