import Foundation
import Testing
import TestSupport

@testable import BookingStore

@Suite struct PGValueRoundTripTests {
    @Test func everyTypeRoundTripsThroughTheServer() async throws {
        let id = UUID()
        let instant = Date.utc("2025-03-30T01:59:59.123456Z")
        let bytes = Data([0, 1, 0x7f, 0x80, 0xff])
        let range = Date.utc("2025-03-30T10:00:00Z")..<Date.utc("2025-03-30T10:30:00Z")
        let row = try await TestDatabase.withAdminPool { pool in
            try await pool.withConnection { connection in
                try connection.execute(
                    """
                    SELECT $1::text AS text, $2::int8 AS big, $3::int4 AS small, $4::bool AS yes, $5::bool AS no,
                           $6::float8 AS double, $7::timestamptz AS instant, $8::uuid AS id, $9::bytea AS bytes,
                           $10::text[] AS list, $11::jsonb AS json, $12::tstzrange AS range, $13::text AS missing,
                           $14::int8 AS missing_number, $15::float8 AS infinite
                    """,
                    [
                        "plain", Int64.max, Int32.min, true, false, 0.1, instant, id, bytes,
                        ["a", "b,c", "{d}", "NULL", "quote \" and \\ backslash", ""], PGJSON(#"{"k": [1, "v"]}"#),
                        range, nil, nil, Double.infinity,
                    ]
                ).first
            }
        }
        let result = try #require(row)
        #expect(try result.string("text") == "plain")
        #expect(try result.int64("big") == Int64.max)
        #expect(try result.int("small") == Int(Int32.min))
        #expect(try result.bool("yes") == true)
        #expect(try result.bool("no") == false)
        #expect(try result.double("double") == 0.1)
        #expect(try result.date("instant") == instant)
        #expect(try result.uuid("id") == id)
        #expect(try result.bytes("bytes") == bytes)
        #expect(try result.stringArray("list") == ["a", "b,c", "{d}", "NULL", "quote \" and \\ backslash", ""])
        #expect(try result.string("json") == #"{"k": [1, "v"]}"#)
        #expect(try result.dateRange("range") == range)
        #expect(try result.string("missing") == nil)
        #expect(try result.int64("missing_number") == nil)
        #expect(try result.double("infinite") == .infinity)
        #expect(throws: StoreError.self) { try result.require(String.self, "missing") }
        #expect(throws: StoreError.self) { try result.string("no_such_column") }
        #expect(throws: StoreError.self) { try result.int("text") }
    }

    @Test func unicodeAndQuotesComeBackVerbatim() async throws {
        let texts = [
            "Zoë Ångström", "日本語のテキスト", "emoji 🇫🇷👩🏽‍💻", "'; DROP TABLE calls.calls; --", "$1", "line\nbreak\ttab",
        ]
        let back = try await TestDatabase.withAdminPool { pool in
            try await pool.withConnection { connection in
                try texts.map { text in
                    try connection.execute("SELECT $1::text AS t, length($1::text) AS n", [text]).first.map {
                        (try $0.string("t"), try $0.int("n"))
                    }
                }
            }
        }
        for (text, result) in zip(texts, back) {
            #expect(result?.0 == text)
            #expect(result?.1 == text.unicodeScalars.count)
        }
    }

    @Test func timestampsKeepMicrosecondsAcrossEras() async throws {
        let dates = [
            Date.utc("2025-03-30T01:00:00.000001Z"), Date.utc("1969-12-31T23:59:59.999999Z"),
            Date.utc("1900-02-28T12:00:00Z"), Date.utc("2200-01-01T00:00:00.5Z"), Date.utc("2024-02-29T23:59:59.25Z"),
        ]
        let back = try await TestDatabase.withAdminPool { pool in
            try await pool.withConnection { connection in
                try dates.map { date in
                    try connection.execute(
                        "SELECT $1::timestamptz AS d, to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS text",
                        [date]
                    ).first.map { (try $0.date("d"), try $0.string("text")) }
                }
            }
        }
        for (date, result) in zip(dates, back) {
            #expect(result?.0 == date)
            #expect(result?.1 == String(PGTimestamp.format(date).dropLast(3)))
        }
    }

    @Test func aSubMicrosecondDateRoundsToTheServersResolution() async throws {
        let date = Date(timeIntervalSince1970: 1_743_300_000.123_456_7)
        let back = try await TestDatabase.withAdminPool { pool in
            try await pool.withConnection { try $0.execute("SELECT $1::timestamptz AS d", [date]).first?.date("d") }
        }
        #expect(back == Date(timeIntervalSince1970: 1_743_300_000.123_457))
    }

    @Test func aNulByteIsRefusedNotTruncated() async throws {
        try await TestDatabase.withAdminPool { pool in
            await expectStoreError(.dataException) {
                try await pool.withConnection { try $0.execute("SELECT $1::text", ["before\0after"]).rowCount }
            }
        }
    }

    @Test func malformedInputIsADataException() async throws {
        try await TestDatabase.withAdminPool { pool in
            await expectStoreError(.dataException) {
                try await pool.withConnection { try $0.execute("SELECT $1::uuid", ["not-a-uuid"]).rowCount }
            }
        }
    }
}

@Suite struct PGTextFormatTests {
    @Test func timestampsParseEveryOffsetForm() {
        let expected = Date.utc("2025-03-30T10:00:00Z")
        #expect(PGTimestamp.parse("2025-03-30 10:00:00+00") == expected)
        #expect(PGTimestamp.parse("2025-03-30 12:00:00+02") == expected)
        #expect(PGTimestamp.parse("2025-03-30 15:30:00+05:30") == expected)
        #expect(PGTimestamp.parse("2025-03-30 05:00:00-05:00:00") == expected)
        #expect(PGTimestamp.parse("2025-03-30 10:00:00.5+00") == expected.addingTimeInterval(0.5))
    }

    @Test func timestampsRejectWhatTheyCannotRepresent() {
        for text in ["infinity", "-infinity", "0044-03-15 12:00:00+00 BC", "2025-13-01 00:00:00+00", "2025-03-30", ""] {
            #expect(PGTimestamp.parse(text) == nil, "\(text)")
        }
    }

    @Test func timestampsFormatInUTCWithMicroseconds() {
        #expect(PGTimestamp.format(Date.utc("2025-03-30T10:00:00Z")) == "2025-03-30 10:00:00.000000+00")
        #expect(PGTimestamp.format(Date(timeIntervalSince1970: -0.000_001)) == "1969-12-31 23:59:59.999999+00")
    }

    @Test func arraysRejectNullsAndNesting() {
        #expect([String](pgText: "{}") == [])
        #expect([String](pgText: "{a,NULL}") == nil)
        #expect([String](pgText: "{{a},{b}}") == nil)
        #expect([String](pgText: #"{"unterminated}"#) == nil)
        #expect([String](pgText: #"{a,"b c",d}"#) == ["a", "b c", "d"])
    }

    @Test func encodedArraysQuoteEveryElement() {
        var bytes: [UInt8] = []
        ["a", #"b"c"#].appendPGText(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a","b\"c"}"#)
    }
}
