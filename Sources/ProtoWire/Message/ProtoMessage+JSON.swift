extension ProtoMessage {
    /// Canonical proto3 JSON, compact: lowerCamelCase keys in field order, defaults omitted
    /// unless `options` asks for them. Throws only for values proto3 JSON cannot express (a
    /// Timestamp outside 0001…9999).
    public func jsonUTF8Bytes(options: JSONEncodingOptions = JSONEncodingOptions()) throws(WireError) -> [UInt8] {
        var writer = JSONWriter(options: options)
        try self.writeJSON(to: &writer)
        return writer.bytes
    }

    public func jsonString() throws(WireError) -> String {
        String(decoding: try self.jsonUTF8Bytes(), as: UTF8.self)
    }

    /// Parses proto3 JSON. Keys may be lowerCamelCase or the .proto names; `null` leaves a
    /// field unset; unknown keys fail unless `ignoringUnknownFields`.
    public init(jsonUTF8Bytes bytes: [UInt8], ignoringUnknownFields: Bool = false) throws(WireError) {
        self.init()
        let value = try JSONParser.parse(bytes)
        try self.mergeJSON(value, options: JSONDecodingOptions(ignoreUnknownFields: ignoringUnknownFields))
    }

    public init(jsonString: String, ignoringUnknownFields: Bool = false) throws(WireError) {
        try self.init(jsonUTF8Bytes: Array(jsonString.utf8), ignoringUnknownFields: ignoringUnknownFields)
    }

    /// The schema-driven JSON object: what `writeJSON(to:)` does unless a type overrides it.
    public func writeJSONObject(to writer: inout JSONWriter) throws(WireError) {
        writer.beginObject()
        var first = true
        let emitUnpopulated = writer.options.emitUnpopulatedFields
        for field in Self.schema.fields {
            let coding = field.coding
            if coding.isPresentInJSON(self) {
                writer.writeKey(field.jsonName, first: &first)
                do throws(WireError) {
                    try coding.writeJSONValue(of: self, to: &writer)
                } catch {
                    throw error.prefixed(by: "\(Self.protoName).\(field.name)")
                }
            } else if emitUnpopulated {
                switch coding.unpopulatedJSON {
                case .omitted:
                    continue
                case .defaultValue:
                    writer.writeKey(field.jsonName, first: &first)
                    // Scalars, lists and maps print their default; none of them can fail there.
                    try coding.writeJSONValue(of: self, to: &writer)
                case .null:
                    writer.writeKey(field.jsonName, first: &first)
                    writer.writeNull()
                }
            }
        }
        writer.endObject()
    }

    /// The schema-driven JSON object reader: what `mergeJSON(_:options:)` does unless a type
    /// overrides it. A field given under both its names (`expertId` and `expert_id`) takes the
    /// later one, as Python's json_format does.
    public mutating func mergeJSONObject(_ value: JSONValue, options: JSONDecodingOptions) throws(WireError) {
        guard case .object(let members) = value else {
            throw WireError(.invalidJSONValue, "expected an object for \(Self.protoName), got \(value.kindDescription)")
        }
        let schema = Self.schema
        for member in members {
            guard let index = schema.fieldIndex(jsonKey: member.key) else {
                if options.ignoreUnknownFields { continue }
                throw WireError(.unknownJSONField, "\"\(member.key)\" is not a field of \(Self.protoName)")
            }
            let field = schema.fields[index]
            do throws(WireError) {
                if case .null = member.value {
                    field.coding.clear(in: &self)
                } else {
                    try field.coding.mergeJSON(member.value, into: &self, options: options)
                }
            } catch {
                throw error.prefixed(by: "\(Self.protoName).\(field.name)")
            }
        }
    }
}
