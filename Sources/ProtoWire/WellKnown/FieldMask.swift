/// `google.protobuf.FieldMask`: the field paths an update touches, e.g. `name` or
/// `scheduling.weight`.
///
/// On the wire an ordinary message (`repeated string paths = 1;`); in proto3 JSON one string,
/// the paths in lowerCamelCase joined by commas (`"name,calendlyUserUri"`), which is why it
/// overrides `writeJSON`/`mergeJSON`.
public struct FieldMask: ProtoMessage, Hashable {
    /// snake_case field names, `.` between the levels of nested messages.
    public var paths: [String] = []

    public init() {}

    public init(paths: [String]) {
        self.paths = paths
    }

    public static let protoName = "google.protobuf.FieldMask"
    public static let schema: MessageSchema<FieldMask> = [
        .string(1, "paths", \.paths)
    ]

    /// Like Google's printer, refuses a path that would not read back the same: one with an
    /// upper-case letter, or an `_` not followed by a lower-case letter.
    public func writeJSON(to writer: inout JSONWriter) throws(WireError) {
        var camelPaths: [String] = []
        for path in self.paths {
            guard let camel = Self.lowerCamelCase(path) else {
                throw WireError(.invalidJSONValue, "FieldMask path \"\(path)\" has no lowerCamelCase JSON form")
            }
            camelPaths.append(camel)
        }
        writer.writeString(camelPaths.joined(separator: ","))
    }

    public mutating func mergeJSON(_ value: JSONValue, options: JSONDecodingOptions) throws(WireError) {
        guard case .string(let text) = value else {
            throw WireError(.invalidJSONValue, "expected a comma-separated string for a FieldMask, got \(value.kindDescription)")
        }
        var paths: [String] = []
        for camel in text.split(separator: ",", omittingEmptySubsequences: true) {
            guard !camel.contains("_") else {
                throw WireError(.invalidJSONValue, "FieldMask path \"\(camel)\" must be lowerCamelCase")
            }
            paths.append(Self.snakeCase(camel))
        }
        self.paths = paths
    }

    static func lowerCamelCase(_ path: String) -> String? {
        var result = ""
        var afterUnderscore = false
        for character in path {
            if character.isUppercase { return nil }
            if character == "_" {
                if afterUnderscore { return nil }
                afterUnderscore = true
            } else if afterUnderscore {
                guard character.isLowercase else { return nil }
                result.append(contentsOf: character.uppercased())
                afterUnderscore = false
            } else {
                result.append(character)
            }
        }
        return afterUnderscore ? nil : result
    }

    static func snakeCase(_ camel: Substring) -> String {
        var result = ""
        for character in camel {
            if character.isUppercase {
                result.append("_")
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }
}
