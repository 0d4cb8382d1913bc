import NIOCore
import ProtoWire
import Testing

@Suite struct BinaryDecodingTests {
    @Test func goldenBytesDecodeToTheSameMessage() throws {
        let hex = "12032201631a070a016b120208012201782a0b0880e2cfaa0610c096b10232060a016112013132060a0162120132"
        let message = try Nested(serializedBytes: [UInt8](hex: hex))
        #expect(message.children == [Nested.with { $0.nameWithUnderScore = "c" }])
        #expect(message.byName == ["k": Scalars.with { $0.i32 = 1 }])
        #expect(message.at == Timestamp(seconds: 1_700_000_000, nanos: 5_000_000))
        #expect(message.labels == ["a": "1", "b": "2"])
        #expect(message.serializedBytes().hex == hex)
    }

    @Test func timestampVectorFromTheProtocolNotes() throws {
        let timestamp = try Timestamp(serializedBytes: [UInt8](hex: "08 80 e2 cf aa 06 10 c0 96 b1 02"))
        #expect(timestamp == Timestamp(seconds: 1_700_000_000, nanos: 5_000_000))
    }

    @Test func optionalPresenceSurvivesARoundTrip() throws {
        let message = try Optionals(serializedBytes: [0x10, 0x00])
        #expect(message.a == nil)
        #expect(message.b == 0)
    }

    @Test func unpackedRepeatedScalarsAreAccepted() throws {
        let message = try Repeateds(serializedBytes: [UInt8](hex: "0801 08ffffffffffffffffff01 08ac02"))
        #expect(message.i32 == [1, -1, 300])
    }

    @Test func severalPackedRecordsAndUnpackedValuesConcatenate() throws {
        let message = try Repeateds(serializedBytes: [UInt8](hex: "0a0101 0a02ac02 0805 1d02000000 1a0401000000"))
        #expect(message.i32 == [1, 300, 5])
        #expect(message.f32 == [2, 1])
    }

    @Test func lastOneWinsForRepeatedSingularScalars() throws {
        #expect(try Scalars(serializedBytes: [UInt8](hex: "0801 0802")).i32 == 2)
        #expect(try Scalars(serializedBytes: [UInt8](hex: "7201617201 62")).s == "b")
    }

    @Test func singularMessagesMergeAcrossOccurrences() throws {
        let message = try Nested(serializedBytes: [UInt8](hex: "4a020801 4a021002 4a020803"))
        #expect(message.scalars == Scalars.with { $0.i32 = 3; $0.i64 = 2 })
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkippedAndDropped() throws {
        // field 100 as varint, fixed64, length-delimited, group (with content), fixed32; then i32 = 1.
        let hex = "a00601 a1060102030405060708 a2060201 02 a306 0801 a206 00 a406 a5060a0b0c0d 0801"
        let message = try Scalars(serializedBytes: [UInt8](hex: hex))
        #expect(message == Scalars.with { $0.i32 = 1 })
        #expect(message.serializedBytes().hex == "0801")
    }

    @Test func int32TakesTheLowBitsOfAWideVarint() throws {
        // 2^32 + 5 as a varint: int32 keeps 5, as Google's parsers do.
        #expect(try Scalars(serializedBytes: [UInt8](hex: "08 85 80 80 80 10")).i32 == 5)
    }

    @Test func anyNonZeroVarintIsTrue() throws {
        #expect(try Scalars(serializedBytes: [UInt8](hex: "68ff01")).b)
    }

    @Test func unknownEnumNumbersArePreserved() throws {
        let message = try Repeateds(serializedBytes: [UInt8](hex: "320201 07 3063"))
        #expect(message.colors == [.red, Color(rawValue: 7), Color(rawValue: 99)])
        #expect(message.serializedBytes().hex == "3203010763")
    }

    @Test func negativeEnumDecodesFromTenBytes() throws {
        let message = try Scalars(serializedBytes: [UInt8](hex: "8001ffffffffffffffffff01"))
        #expect(message.color.rawValue == -1)
        #expect(message.serializedBytes().hex == "8001ffffffffffffffffff01")
    }

    @Test func mapEntriesMayOmitKeyOrValueAndRepeatedKeysReplace() throws {
        // {value "x"} then {key "k", value "1"} then {key "k", value "2"} then {key "e"}.
        let message = try Nested(serializedBytes: [UInt8](hex: "3203120178 32060a016b120131 32060a016b120132 32030a0165"))
        #expect(message.labels == ["": "x", "k": "2", "e": ""])
    }

    @Test func byteBufferInitReadsTheReadableBytes() throws {
        var buffer = ByteBuffer(bytes: [0xFF, 0x08, 0x96, 0x01])
        buffer.moveReaderIndex(forwardBy: 1)
        #expect(try Scalars(buffer: buffer).i32 == 150)
    }

    @Test func computedPropertiesWorkAsFields() throws {
        let message = try ComputedField(serializedBytes: [UInt8](hex: "0896 01 1201 78"))
        #expect(message.value == 150)
        #expect(message.name == "x")
        #expect(message.serializedBytes().hex == "0896011201" + "78")
        #expect(try ComputedField(jsonString: #"{"value": 7}"#).value == 7)
    }

    @Test func hundredNestedMessagesAreAccepted() throws {
        #expect(throws: Never.self) { try Nested(serializedBytes: Self.chain(depth: 100)) }
    }

    /// `depth` levels of `children` below the top message.
    static func chain(depth: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<depth {
            var length = bytes.count
            var prefix: [UInt8] = [0x12]
            while length >= 0x80 { prefix.append(UInt8(length & 0x7F) | 0x80); length >>= 7 }
            prefix.append(UInt8(length))
            bytes = prefix + bytes
        }
        return bytes
    }
}
