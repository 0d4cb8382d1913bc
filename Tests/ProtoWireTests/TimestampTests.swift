import Foundation
import ProtoWire
import Testing

@Suite struct TimestampTests {
    @Test func printsUTCWithZeroThreeSixOrNineFractionDigits() throws {
        #expect(try Timestamp(seconds: 1_700_000_000, nanos: 5_000_000).rfc3339String() == "2023-11-14T22:13:20.005Z")
        #expect(try Timestamp(seconds: 1_700_000_000).rfc3339String() == "2023-11-14T22:13:20Z")
        #expect(try Timestamp(seconds: 1_700_000_000, nanos: 5_000).rfc3339String() == "2023-11-14T22:13:20.000005Z")
        #expect(try Timestamp(seconds: 1_700_000_000, nanos: 5).rfc3339String() == "2023-11-14T22:13:20.000000005Z")
        #expect(try Timestamp(seconds: -1, nanos: 500_000_000).rfc3339String() == "1969-12-31T23:59:59.500Z")
        #expect(try Timestamp().rfc3339String() == "1970-01-01T00:00:00Z")
    }

    @Test func printsTheEndsOfTheRange() throws {
        #expect(try Timestamp(seconds: Timestamp.minSeconds).rfc3339String() == "0001-01-01T00:00:00Z")
        #expect(try Timestamp(seconds: Timestamp.maxSeconds, nanos: 999_999_999).rfc3339String() == "9999-12-31T23:59:59.999999999Z")
        #expect(try Timestamp(seconds: 951_782_400).rfc3339String() == "2000-02-29T00:00:00Z")
    }

    @Test func outOfRangeValuesCannotBePrinted() {
        for timestamp in [Timestamp(seconds: Timestamp.maxSeconds + 1), Timestamp(seconds: Timestamp.minSeconds - 1),
                          Timestamp(seconds: 0, nanos: -1), Timestamp(seconds: 0, nanos: 1_000_000_000)] {
            let error = #expect(throws: WireError.self) { try timestamp.rfc3339String() }
            #expect(error?.code == .valueOutOfRange)
        }
    }

    @Test func parsesOffsetsIntoUTC() throws {
        #expect(try Timestamp(rfc3339: "2023-11-14T22:13:20.005+02:00") == Timestamp(seconds: 1_699_992_800, nanos: 5_000_000))
        #expect(try Timestamp(rfc3339: "2023-11-14T22:13:20-01:30") == Timestamp(seconds: 1_700_005_400))
        #expect(try Timestamp(rfc3339: "2023-11-14T22:13:20.1Z") == Timestamp(seconds: 1_700_000_000, nanos: 100_000_000))
        #expect(try Timestamp(rfc3339: "0001-01-01T00:00:00Z").seconds == Timestamp.minSeconds)
        #expect(try Timestamp(rfc3339: "9999-12-31T23:59:59.999999999Z") == Timestamp(seconds: Timestamp.maxSeconds, nanos: 999_999_999))
    }

    @Test func rejectsMalformedOrOutOfRangeText() {
        for text in ["2023-11-14t22:13:20Z", "2023-11-14T22:13:20z", "2023-11-14 22:13:20Z", "2023-11-14T22:13:20",
                     "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20.1234567890Z", "2023-13-14T22:13:20Z",
                     "2023-02-29T00:00:00Z", "2023-11-14T24:00:00Z", "2023-11-14T22:60:00Z", "2023-11-14T22:13:60Z",
                     "0000-12-31T23:59:59Z", "2023-11-14T22:13:20+0200", "2023-11-14T22:13:20Z ", "23-11-14T22:13:20Z",
                     "2023-11-14T22:13:20+24:00", ""] {
            #expect(throws: WireError.self, "\(text)") { try Timestamp(rfc3339: text) }
        }
        let error = #expect(throws: WireError.self) { try Timestamp(rfc3339: "9999-12-31T23:59:59-01:00") }
        #expect(error?.code == .valueOutOfRange)
    }

    @Test func jsonFormIsAString() throws {
        let message = try Nested(jsonString: #"{"at": "2023-11-14T22:13:20.005+02:00"}"#)
        #expect(try message.jsonString() == #"{"at":"2023-11-14T20:13:20.005Z"}"#)
        expectJSONFails(Nested.self, #"{"at": 5}"#, .invalidJSONValue)
        expectJSONFails(Nested.self, #"{"at": {"seconds": 5}}"#, .invalidJSONValue)
    }

    @Test func topLevelTimestampJSONIsAString() throws {
        #expect(try Timestamp(seconds: 1).jsonString() == #""1970-01-01T00:00:01Z""#)
        #expect(try Timestamp(jsonString: #""1970-01-01T00:00:01Z""#) == Timestamp(seconds: 1))
    }

    @Test func convertsToAndFromDate() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.005)
        let timestamp = Timestamp(date: date)
        #expect(timestamp.seconds == 1_700_000_000)
        #expect(abs(Int(timestamp.nanos) - 5_000_000) < 1_000)
        #expect(abs(timestamp.date.timeIntervalSince(date)) < 1e-6)
        #expect(Timestamp(date: Date(timeIntervalSince1970: -0.5)) == Timestamp(seconds: -1, nanos: 500_000_000))
    }

    @Test func ordersByInstant() {
        #expect(Timestamp(seconds: -1, nanos: 999_999_999) < Timestamp(seconds: 0))
        #expect(Timestamp(seconds: 1, nanos: 1) > Timestamp(seconds: 1))
    }
}

@Suite struct Base64Tests {
    @Test func encodesStandardPadded() {
        #expect(Base64.encode([UInt8]()) == "")
        #expect(Base64.encode(Array("f".utf8)) == "Zg==")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64.encode([0, 1, 0xFF]) == "AAH/")
        #expect(Base64.encode([0xFB, 0xFF], urlSafe: true, padded: false) == "-_8")
    }

    @Test func decodesEitherAlphabetPaddedOrNot() {
        #expect(Base64.decode("Zm9vYg==") == Array("foob".utf8))
        #expect(Base64.decode("Zm9vYg") == Array("foob".utf8))
        #expect(Base64.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64.decode("+/8=") == [0xFB, 0xFF])
        #expect(Base64.decode("") == [])
    }

    @Test func rejectsBadInput() {
        for text in ["Z", "Zm9vY", "Zm=9", "Zm9v====", "Zg=", "Z===", "Zm 9", "Zm9v\n", "é"] {
            #expect(Base64.decode(text) == nil, "\(text)")
        }
    }
}

/// A `Timestamp?` field is written by `TimestampField`, without Timestamp's schema; these twins
/// have the same fields written by the generic coders, so the bytes must be the same.
private struct TimestampTwin: ProtoMessage {
    var seconds: Int64 = 0
    var nanos: Int32 = 0
    init() {}
    static let protoName = "test.TimestampTwin"
    static let schema: MessageSchema<TimestampTwin> = [.int64(1, "seconds", \.seconds), .int32(2, "nanos", \.nanos)]
}

private struct WithTimestamps: ProtoMessage {
    var note = ""
    var start: Timestamp?
    var end: Timestamp?
    init() {}
    static let protoName = "test.WithTimestamps"
    static let schema: MessageSchema<WithTimestamps> = [
        .string(1, "note", \.note), .message(2, "start", \.start), .message(300, "end", \.end),
    ]
}

private struct WithTwins: ProtoMessage {
    var note = ""
    var start: TimestampTwin?
    var end: TimestampTwin?
    init() {}
    static let protoName = "test.WithTwins"
    static let schema: MessageSchema<WithTwins> = [
        .string(1, "note", \.note), .message(2, "start", \.start), .message(300, "end", \.end),
    ]
}

@Suite struct TimestampFieldTests {
    @Test func aTimestampFieldWritesWhatTheGenericCodersWrite() throws {
        let values: [(Int64, Int32)] = [
            (0, 0), (1, 0), (0, 1), (127, 128), (-1, -1), (Int64.min, Int32.min), (Int64.max, Int32.max),
            (1_700_000_000, 5_000_000), (Timestamp.minSeconds, 999_999_999),
        ]
        for (seconds, nanos) in values {
            for endSet in [false, true] {
                let timestamps = WithTimestamps.with {
                    $0.note = "n"
                    $0.start = Timestamp(seconds: seconds, nanos: nanos)
                    $0.end = endSet ? Timestamp(seconds: 0 &- seconds, nanos: 7) : nil
                }
                let twins = WithTwins.with {
                    $0.note = "n"
                    $0.start = TimestampTwin.with { $0.seconds = seconds; $0.nanos = nanos }
                    $0.end = endSet ? TimestampTwin.with { $0.seconds = 0 &- seconds; $0.nanos = 7 } : nil
                }
                let bytes = timestamps.serializedBytes()
                #expect(bytes == twins.serializedBytes(), "\(seconds), \(nanos)")
                #expect(timestamps.serializedSize == bytes.count)
                #expect(try WithTimestamps(serializedBytes: bytes) == timestamps)
            }
        }
    }
}
