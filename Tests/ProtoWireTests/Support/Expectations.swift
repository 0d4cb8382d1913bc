import ProtoWire
import Testing

/// Decodes `hex` as `M` and expects the failure to carry `code`.
func expectDecodingFails<M: ProtoMessage>(
    _ type: M.Type, _ hex: String, _ code: WireError.Code,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = #expect(throws: WireError.self, sourceLocation: sourceLocation) {
        _ = try M(serializedBytes: [UInt8](hex: hex))
    }
    #expect(error?.code == code, "\(error.map(String.init(describing:)) ?? "no error")", sourceLocation: sourceLocation)
}

/// Parses `json` as `M` and expects the failure to carry `code`.
func expectJSONFails<M: ProtoMessage>(
    _ type: M.Type, _ json: String, _ code: WireError.Code, ignoringUnknownFields: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = #expect(throws: WireError.self, sourceLocation: sourceLocation) {
        _ = try M(jsonString: json, ignoringUnknownFields: ignoringUnknownFields)
    }
    #expect(error?.code == code, "\(error.map(String.init(describing:)) ?? "no error")", sourceLocation: sourceLocation)
}
