import ProtoWire
import Testing

/// The proto3 JSON mapping, checked against what Python's json_format prints and accepts.
@Suite struct JSONMappingTests {
    @Test func everyScalarTypePrintsLikeGoogle() throws {
        let message = Scalars.with {
            $0.i32 = -1; $0.i64 = -2; $0.u32 = 3; $0.u64 = .max; $0.s32 = -2; $0.s64 = -3
            $0.f32 = 7; $0.f64 = 8; $0.sf32 = -9; $0.sf64 = -10; $0.fl = 0.1; $0.db = 1.5
            $0.b = true; $0.s = "héllo"; $0.by = [0, 1, 0xFF]; $0.color = .green
        }
        let json = #"{"i32":-1,"i64":"-2","u32":3,"u64":"18446744073709551615","s32":-2,"s64":"-3","f32":7,"#
            + #""f64":"8","sf32":-9,"sf64":"-10","fl":0.1,"db":1.5,"b":true,"s":"héllo","by":"AAH/","color":"GREEN"}"#
        #expect(try message.jsonString() == json)
        #expect(try Scalars(jsonString: json) == message)
    }

    @Test func defaultsAreOmittedAndEmptyMessageIsAnEmptyObject() throws {
        #expect(try Scalars().jsonString() == "{}")
        #expect(try Nested.with { $0.scalars = Scalars() }.jsonString() == #"{"scalars":{}}"#)
    }

    @Test func optionalFieldsPrintWhenSetEvenToZero() throws {
        let message = Optionals.with { $0.a = 0; $0.b = 0; $0.c = ""; $0.color = .unspecified; $0.flag = false; $0.d = 0 }
        #expect(try message.jsonString() == #"{"a":0,"b":0,"c":"","color":"COLOR_UNSPECIFIED","flag":false,"d":0.0}"#)
        #expect(try Optionals(jsonString: #"{"b": 0}"#).b == 0)
    }

    @Test func repeatedFieldsMapsAndNestedMessagesPrintLikeGoogle() throws {
        let repeated = Repeateds.with {
            $0.i32 = [1, -1, 300]; $0.s64 = [-1, 1]; $0.f32 = [1, 2]; $0.db = [0.5]
            $0.s = ["a", ""]; $0.colors = [.red, Color(rawValue: 7)]; $0.flags = [true, false]; $0.bys = [[], [1]]
        }
        #expect(try repeated.jsonString() == #"{"i32":[1,-1,300],"s64":["-1","1"],"f32":[1,2],"db":[0.5],"#
            + #""s":["a",""],"colors":["RED",7],"flags":[true,false],"bys":["","AQ=="]}"#)
        let nested = Nested.with {
            $0.children = [Nested.with { $0.nameWithUnderScore = "c" }]
            $0.byName = ["k": Scalars.with { $0.i32 = 1 }]
            $0.nameWithUnderScore = "x"
            $0.at = Timestamp(seconds: 1_700_000_000, nanos: 5_000_000)
            $0.labels = ["b": "2", "a": "1"]
        }
        let json = #"{"children":[{"nameWithUnderScore":"c"}],"byName":{"k":{"i32":1}},"nameWithUnderScore":"x","#
            + #""at":"2023-11-14T22:13:20.005Z","labels":{"a":"1","b":"2"}}"#
        #expect(try nested.jsonString() == json)
        #expect(try Nested(jsonString: json) == nested)
    }

    @Test func originalFieldNamesAreAcceptedAndTheLaterSpellingWins() throws {
        #expect(try Nested(jsonString: #"{"name_with_under_score": "a"}"#).nameWithUnderScore == "a")
        #expect(try Nested(jsonString: #"{"nameWithUnderScore": "a", "name_with_under_score": "b"}"#).nameWithUnderScore == "b")
        #expect(try Nested(jsonString: #"{"by_name": {"k": {}}}"#).byName == ["k": Scalars()])
    }

    @Test func integersAcceptNumbersStringsAndIntegralExponents() throws {
        #expect(try Scalars(jsonString: #"{"i32": 1e2}"#).i32 == 100)
        #expect(try Scalars(jsonString: #"{"i32": "1e3"}"#).i32 == 1000)
        #expect(try Scalars(jsonString: #"{"i32": 1.0E1}"#).i32 == 10)
        #expect(try Scalars(jsonString: #"{"i32": -2147483648}"#).i32 == .min)
        #expect(try Scalars(jsonString: #"{"i32": -0}"#).i32 == 0)
        #expect(try Scalars(jsonString: #"{"i64": "9223372036854775807"}"#).i64 == .max)
        #expect(try Scalars(jsonString: #"{"i64": -9223372036854775808}"#).i64 == .min)
        #expect(try Scalars(jsonString: #"{"i64": 1e18}"#).i64 == 1_000_000_000_000_000_000)
        #expect(try Scalars(jsonString: #"{"u64": "18446744073709551615"}"#).u64 == .max)
        #expect(try Scalars(jsonString: #"{"u32": 4294967295}"#).u32 == .max)
        #expect(try Scalars(jsonString: #"{"f64": "8", "sf64": "-10", "s64": 12000e-3}"#) == Scalars.with { $0.f64 = 8; $0.sf64 = -10; $0.s64 = 12 })
    }

    @Test func integersRejectFractionsOverflowAndOtherTypes() {
        for json in [#"{"i32": 1.5}"#, #"{"i32": 2147483648}"#, #"{"i32": -2147483649}"#, #"{"u64": -1}"#,
                     #"{"u64": "18446744073709551616"}"#, #"{"i32": true}"#, #"{"i32": " 1"}"#, #"{"i32": "x"}"#,
                     #"{"i64": 1e19}"#, #"{"u32": 1e999999999999}"#, #"{"i32": 0.00011e4}"#, #"{"i32": []}"#] {
            expectJSONFails(Scalars.self, json, .invalidJSONValue)
        }
    }

    @Test func floatingPointAcceptsSpecialStringsAndRejectsOverflow() throws {
        let message = try Scalars(jsonString: #"{"fl": "NaN", "db": "-Infinity"}"#)
        #expect(message.fl.isNaN)
        #expect(message.db == -.infinity)
        #expect(try message.jsonString() == #"{"fl":"NaN","db":"-Infinity"}"#)
        #expect(try Scalars(jsonString: #"{"db": "1.5"}"#).db == 1.5)
        #expect(try Scalars(jsonString: #"{"db": 1e-400}"#).db == 0)
        expectJSONFails(Scalars.self, #"{"db": 1e400}"#, .invalidJSONValue)
        expectJSONFails(Scalars.self, #"{"fl": 1e39}"#, .invalidJSONValue)
        expectJSONFails(Scalars.self, #"{"db": "nan"}"#, .invalidJSONValue)
        expectJSONFails(Scalars.self, #"{"db": true}"#, .invalidJSONValue)
    }

    @Test func negativeZeroIsPrinted() throws {
        #expect(try Scalars.with { $0.db = -0.0 }.jsonString() == #"{"db":-0.0}"#)
    }

    @Test func bytesAcceptStandardAndURLSafeBase64WithOrWithoutPadding() throws {
        #expect(try Scalars(jsonString: #"{"by": "+/8="}"#).by == [0xFB, 0xFF])
        #expect(try Scalars(jsonString: #"{"by": "-_8"}"#).by == [0xFB, 0xFF])
        #expect(try Scalars.with { $0.by = [0xFB, 0xFF] }.jsonString() == #"{"by":"+/8="}"#)
        expectJSONFails(Scalars.self, #"{"by": "a"}"#, .invalidJSONValue)
        expectJSONFails(Scalars.self, #"{"by": "a!=="}"#, .invalidJSONValue)
    }

    @Test func enumsAcceptNamesNumbersAndNumericStrings() throws {
        #expect(try Scalars(jsonString: #"{"color": "RED"}"#).color == .red)
        #expect(try Scalars(jsonString: #"{"color": 7}"#).color == Color(rawValue: 7))
        #expect(try Scalars(jsonString: #"{"color": "7"}"#).color == Color(rawValue: 7))
        #expect(try Scalars.with { $0.color = Color(rawValue: 7) }.jsonString() == #"{"color":7}"#)
        expectJSONFails(Scalars.self, #"{"color": "BLUE"}"#, .invalidJSONValue)
        expectJSONFails(Scalars.self, #"{"color": 2147483648}"#, .invalidJSONValue)
        expectJSONFails(Scalars.self, #"{"color": true}"#, .invalidJSONValue)
    }

    @Test func unknownEnumNamesAreSkippedWhenIgnoringUnknownFields() throws {
        #expect(try Scalars(jsonString: #"{"color": "BLUE"}"#, ignoringUnknownFields: true) == Scalars())
        #expect(try Repeateds(jsonString: #"{"colors": ["RED", "BLUE"]}"#, ignoringUnknownFields: true).colors == [.red])
    }

    @Test func unknownKeysFailUnlessIgnored() throws {
        expectJSONFails(Scalars.self, #"{"unknown": 1}"#, .unknownJSONField)
        expectJSONFails(Nested.self, #"{"scalars": {"nope": {}}}"#, .unknownJSONField)
        #expect(try Scalars(jsonString: #"{"unknown": {"x": [1]}, "i32": 1}"#, ignoringUnknownFields: true).i32 == 1)
    }

    @Test func nullMeansUnset() throws {
        #expect(try Nested(jsonString: #"{"scalars": null, "at": null, "labels": null, "children": null}"#) == Nested())
        #expect(try Optionals(jsonString: #"{"b": null}"#).b == nil)
        #expect(try Scalars(jsonString: #"{"i32": null}"#) == Scalars())
    }

    @Test func nullInsideArraysAndMapsFails() {
        expectJSONFails(Repeateds.self, #"{"i32": [1, null]}"#, .invalidJSONValue)
        expectJSONFails(Nested.self, #"{"labels": {"a": null}}"#, .invalidJSONValue)
    }

    @Test func wrongJSONTypesFail() {
        expectJSONFails(Scalars.self, #"{"b": "true"}"#, .invalidJSONValue)
        expectJSONFails(Scalars.self, #"{"s": 1}"#, .invalidJSONValue)
        expectJSONFails(Repeateds.self, #"{"i32": 1}"#, .invalidJSONValue)
        expectJSONFails(Nested.self, #"{"scalars": []}"#, .invalidJSONValue)
        expectJSONFails(Nested.self, #"{"labels": []}"#, .invalidJSONValue)
        expectJSONFails(Scalars.self, "[]", .invalidJSONValue)
    }

    @Test func errorsNameTheField() {
        let error = #expect(throws: WireError.self) { try Nested(jsonString: #"{"scalars": {"i32": "x"}}"#) }
        #expect(error?.path == ["wiretest.Nested.scalars", "wiretest.Scalars.i32"])
    }

    /// 100 messages in all, counting the top one, as Python's json_format allows.
    @Test func deeplyNestedMessagesHitTheRecursionLimit() throws {
        func chain(_ depth: Int) -> String {
            String(repeating: #"{"children":["#, count: depth) + "{}" + String(repeating: "]}", count: depth)
        }
        #expect(throws: Never.self) { try Nested(jsonString: chain(99)) }
        expectJSONFails(Nested.self, chain(100), .recursionLimit)
    }

    @Test func stringsWithEscapesRoundTrip() throws {
        let message = Scalars.with { $0.s = "line\nbreak \"quoted\" \\ tab\t \u{7} ✓" }
        let json = try message.jsonString()
        #expect(!json.contains("\n"))
        #expect(try Scalars(jsonString: json) == message)
    }
}
