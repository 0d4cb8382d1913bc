import ProtoWire
import Testing

/// `JSONEncodingOptions.emitUnpopulatedFields`: what Python's json_format prints with
/// `always_print_fields_with_no_presence=True` (the goldens below), plus Go protojson's
/// `EmitUnpopulated` null for unset singular messages, which Python leaves out.
@Suite struct JSONUnpopulatedFieldsTests {
    static let emitting = JSONEncodingOptions(emitUnpopulatedFields: true)

    static func json(_ message: some ProtoMessage) throws -> String {
        String(decoding: try message.jsonUTF8Bytes(options: Self.emitting), as: UTF8.self)
    }

    @Test func scalarsPrintTheirZeroValueAndEnumsTheirZeroName() throws {
        #expect(try Self.json(Scalars()) == #"{"i32":0,"i64":"0","u32":0,"u64":"0","s32":0,"s64":"0","f32":0,"#
            + #""f64":"0","sf32":0,"sf64":"0","fl":0.0,"db":0.0,"b":false,"s":"","by":"","color":"COLOR_UNSPECIFIED"}"#)
    }

    @Test func unsetOptionalFieldsStayOmittedAndSetOnesPrint() throws {
        #expect(try Self.json(Optionals()) == "{}")
        #expect(try Self.json(Optionals.with { $0.b = 0 }) == #"{"b":0}"#)
    }

    @Test func emptyListsAndMapsPrintAsEmptyAndUnsetMessagesAsNull() throws {
        #expect(try Self.json(Repeateds()) == #"{"i32":[],"s64":[],"f32":[],"db":[],"s":[],"colors":[],"flags":[],"bys":[]}"#)
        #expect(try Self.json(Nested()) == #"{"children":[],"byName":{},"nameWithUnderScore":"","at":null,"labels":{},"scalars":null}"#)
    }

    @Test func nestedMessagesInListsAndMapsEmitTheirUnpopulatedFieldsToo() throws {
        let message = Nested.with {
            $0.children = [Nested()]
            $0.byName = ["k": Scalars.with { $0.i32 = 1 }]
            $0.at = Timestamp(seconds: 0, nanos: 0)
        }
        let json = try Self.json(message)
        #expect(json.hasPrefix(#"{"children":[{"children":[],"byName":{},"nameWithUnderScore":"","at":null,"labels":{},"scalars":null}],"#
            + #""byName":{"k":{"i32":1,"i64":"0","#))
        #expect(json.hasSuffix(#""color":"COLOR_UNSPECIFIED"}},"nameWithUnderScore":"","at":"1970-01-01T00:00:00Z","labels":{},"scalars":null}"#))
    }

    @Test func theDefaultOptionsStillOmitUnpopulatedFields() throws {
        #expect(try Nested.with { $0.children = [Nested()] }.jsonString() == #"{"children":[{}]}"#)
        #expect(try Scalars().jsonUTF8Bytes(options: JSONEncodingOptions()) == Array("{}".utf8))
    }

    @Test func emittedDefaultsReadBackAsTheSameMessage() throws {
        let message = Nested.with { $0.children = [Nested()]; $0.labels = ["a": ""] }
        #expect(try Nested(jsonString: try Self.json(message)) == message)
        #expect(try Scalars(jsonString: try Self.json(Scalars())) == Scalars())
    }
}
