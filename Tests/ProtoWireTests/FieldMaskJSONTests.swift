import ProtoWire
import Testing

/// FieldMask's proto3 JSON form: lowerCamelCase paths joined by commas, both ways, and the
/// paths Google's printer refuses refused here too.
@Suite struct FieldMaskJSONTests {
    @Test func pathsPrintAsOneCamelCaseStringAndReadBack() throws {
        let mask = FieldMask(paths: ["name", "calendly_user_uri", "scheduling.max_calls_per_day"])
        var writer = JSONWriter()
        try mask.writeJSON(to: &writer)
        var read = FieldMask()
        try read.mergeJSON(.string("name,calendlyUserUri,scheduling.maxCallsPerDay"), options: JSONDecodingOptions())
        #expect(read == mask)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""name,calendlyUserUri,scheduling.maxCallsPerDay""#)
    }

    @Test func pathsWithoutAJSONFormAreRefused() {
        for path in ["calendlyUser", "a__b", "a_1", "trailing_"] {
            var writer = JSONWriter()
            #expect(throws: WireError.self, "\(path)") { try FieldMask(paths: [path]).writeJSON(to: &writer) }
        }
        var mask = FieldMask()
        #expect(throws: WireError.self) { try mask.mergeJSON(.string("snake_case"), options: JSONDecodingOptions()) }
        #expect(throws: WireError.self) { try mask.mergeJSON(.array([]), options: JSONDecodingOptions()) }
    }
}
