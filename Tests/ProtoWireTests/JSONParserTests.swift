import ProtoWire
import Testing

@Suite struct JSONParserTests {
    private func fails(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: WireError.self, sourceLocation: sourceLocation) { try JSONParser.parse(text) }
        #expect(error?.code == .invalidJSON, sourceLocation: sourceLocation)
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" { "a" : [1, -2.5e+3, true, false, null, "x"], "b": {} } "#)
        #expect(value == .object([
            JSONMember(key: "a", value: .array([.number("1"), .number("-2.5e+3"), .bool(true), .bool(false), .null, .string("x")])),
            JSONMember(key: "b", value: .object([])),
        ]))
    }

    @Test func numbersKeepTheirLiteralText() throws {
        #expect(try JSONParser.parse("18446744073709551615") == .number("18446744073709551615"))
        #expect(try JSONParser.parse("9007199254740993") == .number("9007199254740993"))
    }

    @Test func duplicateKeysKeepTheLastValueInTheFirstPosition() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value == .object([JSONMember(key: "a", value: .number("3")), JSONMember(key: "b", value: .number("2"))]))
    }

    @Test func duplicateKeysInLargeObjectsAlsoKeepTheLastValue() throws {
        let keys = (0..<40).map { "k\($0)" }
        let text = "{" + (keys + ["k3", "k30"]).enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ",") + "}"
        guard case .object(let members) = try JSONParser.parse(text) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == keys)
        #expect(members[3].value == .number("40"))
        #expect(members[30].value == .number("41"))
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        #expect(try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("\"\\/\u{8}\u{c}\n\r\té😀"))
    }

    @Test func rawUTF8PassesThrough() throws {
        #expect(try JSONParser.parse("\"héllo ✓\"") == .string("héllo ✓"))
    }

    @Test func loneSurrogatesAreRejected() {
        self.fails(#""\ud800""#)
        self.fails(#""\ud800x""#)
        self.fails(#""\udc00""#)
        self.fails(#""\ud800\u0041""#)
    }

    @Test func nonStandardSyntaxIsRejected() {
        for text in ["", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "1e", "-", "NaN", "Infinity",
                     "'a'", "{a:1}", "// c\n1", "tru", "nul", "[1 2]", "{\"a\" 1}", "1 2", "\"\\x\"", "\"\\u12\"",
                     "\u{FEFF}{}", "{\"a\":1}}"] {
            self.fails(text)
        }
    }

    @Test func controlCharactersInsideStringsAreRejected() {
        self.fails("\"a\nb\"")
        self.fails("\"\u{0}\"")
    }

    @Test func invalidUTF8IsRejected() {
        let error = #expect(throws: WireError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        #expect(error?.code == .invalidJSON)
    }

    @Test func nestingIsCapped() throws {
        let deep = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(throws: Never.self) { try JSONParser.parse(deep) }
        let tooDeep = "[" + deep + "]"
        self.fails(tooDeep)
        self.fails(String(repeating: "{\"a\":", count: 100_000))
    }

    @Test func onlyJSONWhitespaceIsSkipped() throws {
        #expect(try JSONParser.parse(" \t\r\n1\n") == .number("1"))
        self.fails("\u{0B}1")
    }
}

@Suite struct JSONWriterTests {
    @Test func stringsEscapeQuotesBackslashesAndControlCharacters() {
        var writer = JSONWriter()
        writer.writeString("a\"b\\c\n\u{1}\u{1F}é/")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""a\"b\\c\n\u0001\u001fé/""#)
    }

    @Test func doublesUseTheShortestRoundTripText() {
        for (value, text) in [(0.1, "0.1"), (1.5, "1.5"), (1e-7, "1e-07"), (1e22, "1e+22"), (-0.0, "-0.0"), (5, "5.0")] {
            var writer = JSONWriter()
            writer.writeNumber(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == text)
        }
    }

    @Test func nonFiniteDoublesAreStrings() {
        var writer = JSONWriter()
        writer.beginArray()
        var first = true
        for value in [Double.nan, .infinity, -.infinity] {
            writer.writeSeparator(first: &first)
            writer.writeNumber(value)
        }
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"["NaN","Infinity","-Infinity"]"#)
    }
}
