import NIOCore
import ProtoWire

/// Builds the JSON form of a request message from a REST request, as google.api.http does:
/// the body (the whole message, or one field of it), then path variables (`expert.id` sets
/// `id` inside `expert`), then query parameters for the fields the body does not carry. A
/// field body without a mask in the query gets the mask of the fields it sets, less those
/// the path sets.
/// Query keys may be snake_case or lowerCamelCase: the JSON mapping accepts both. A key given
/// several times is a repeated field's elements, in order (`?states=A&states=B`), and a message
/// read from the query takes text for its bools and one value for a repeated field.
enum RESTRequestMessage {
    static func assemble(body: ByteBuffer, as rule: RPCBody, path: String, variables: [(name: String, value: String)])
        throws(RPCError) -> EncodedRequest
    {
        var fields: [JSONMember] = []
        var options = JSONDecodingOptions()
        switch rule {
        case .none:
            fields = try Self.query(of: path)
            options.fromQueryParameters = true
        case .message:
            if body.readableBytes > 0 { fields = try Self.object(in: body) }
        case .field(let name, let updateMask):
            fields = try Self.query(of: path).filter { !Self.names($0.key, name) }
            let members = body.readableBytes > 0 ? try Self.object(in: body) : []
            if let updateMask, !fields.contains(where: { Self.names($0.key, updateMask) }) {
                // A field the path sets (`expert.id`) says which resource, not what changes.
                let bound = variables.compactMap { variable -> String? in
                    guard variable.name.hasPrefix(name + ".") else { return nil }
                    return Self.lowerCamelCase(String(variable.name.dropFirst(name.count + 1)))
                }
                let paths = Self.paths(of: members).map(Self.lowerCamelCase).filter { !bound.contains($0) }
                fields.append(JSONMember(key: updateMask, value: .string(paths.joined(separator: ","))))
            }
            fields.append(JSONMember(key: name, value: .object(members)))
        }
        for variable in variables {
            Self.set(variable.value, at: variable.name.split(separator: ".").map(String.init)[...], in: &fields)
        }
        return .json(.object(fields), options)
    }

    private static func object(in body: ByteBuffer) throws(RPCError) -> [JSONMember] {
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(body)
        } catch {
            throw RPCError(.invalidArgument, "request body is not valid JSON: \(error)")
        }
        guard case .object(let members) = parsed else {
            throw RPCError(.invalidArgument, "request body must be a JSON object")
        }
        return members
    }

    private static func query(of path: String) throws(RPCError) -> [JSONMember] {
        guard let queryStart = path.firstIndex(of: "?") else { return [] }
        var positions: [String: Int] = [:]
        var parameters: [(key: String, values: [JSONValue])] = []
        for pair in path[path.index(after: queryStart)...].split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = PercentDecoding.decode(parts[0], plusIsSpace: true),
                let value = PercentDecoding.decode(parts.count > 1 ? parts[1] : "", plusIsSpace: true)
            else {
                throw RPCError(.invalidArgument, "malformed query parameter: \(pair)")
            }
            if let position = positions[key] {
                parameters[position].values.append(.string(value))
            } else {
                positions[key] = parameters.count
                parameters.append((key, [.string(value)]))
            }
        }
        return parameters.map { JSONMember(key: $0.key, value: $0.values.count == 1 ? $0.values[0] : .array($0.values)) }
    }

    /// A path variable replaces whatever the body or query gave for the same field.
    private static func set(_ value: String, at path: ArraySlice<String>, in fields: inout [JSONMember]) {
        guard let first = path.first else { return }
        let rest = path.dropFirst()
        let existing = fields.last { Self.names($0.key, first) }
        fields.removeAll { Self.names($0.key, first) }
        if rest.isEmpty {
            fields.append(JSONMember(key: first, value: .string(value)))
            return
        }
        var nested: [JSONMember] = []
        if case .object(let members)? = existing?.value { nested = members }
        Self.set(value, at: rest, in: &nested)
        fields.append(JSONMember(key: first, value: .object(nested)))
    }

    /// Whether a JSON key (either spelling) names the proto field `field`.
    private static func names(_ key: String, _ field: String) -> Bool {
        key == field || key == Self.lowerCamelCase(field)
    }

    /// The field paths a partial message sets: its keys, and the keys inside nested objects
    /// (a nested message sets only what it carries), as grpc-gateway derives an update mask.
    private static func paths(of members: [JSONMember], prefix: String = "") -> [String] {
        members.flatMap { member -> [String] in
            let path = prefix + member.key
            if case .object(let nested) = member.value, !nested.isEmpty {
                return Self.paths(of: nested, prefix: path + ".")
            }
            return [path]
        }
    }

    /// `calendly_user_uri` → `calendlyUserUri`; keys already in lowerCamelCase are unchanged.
    static func lowerCamelCase(_ name: String) -> String {
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result.append(contentsOf: character.uppercased())
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }
}
