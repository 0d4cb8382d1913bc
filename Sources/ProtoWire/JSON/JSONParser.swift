/// A strict RFC 8259 parser: no comments, trailing commas, NaN literals, leading zeros, raw
/// control characters or lone surrogates; only space, tab, CR and LF as whitespace; exactly
/// one value and nothing after it. Nesting is capped so hostile input cannot exhaust the stack.
public struct JSONParser {
    /// Arrays and objects nested deeper than this are rejected. Well above twice the message
    /// recursion limit, since a repeated or map field adds a level between two messages and
    /// the message limit should be the one that answers.
    public static let maxDepth = 256

    let bytes: [UInt8]
    var index = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    public static func parse(_ bytes: [UInt8]) throws(WireError) -> JSONValue {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    public static func parse(_ text: String) throws(WireError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    func error(_ detail: String) -> WireError {
        WireError(.invalidJSON, "\(detail) at offset \(self.index)")
    }

    var current: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    private mutating func skipWhitespace() {
        while let byte = self.current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            self.index += 1
        }
    }

    private mutating func expect(_ literal: StaticString) throws(WireError) {
        let count = literal.utf8CodeUnitCount
        guard self.bytes.count - self.index >= count else { throw self.error("invalid literal") }
        let matches = literal.withUTF8Buffer { expected in
            expected.elementsEqual(self.bytes[self.index..<self.index + count])
        }
        guard matches else { throw self.error("invalid literal") }
        self.index += count
    }

    private mutating func parseValue(depth: Int) throws(WireError) -> JSONValue {
        guard let byte = self.current else { throw self.error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try self.parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try self.parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try self.parseString())
        case UInt8(ascii: "t"): try self.expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try self.expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try self.expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try self.parseNumber())
        default: throw self.error("unexpected character")
        }
    }

    private mutating func parseObject(depth: Int) throws(WireError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw self.error("nesting deeper than \(Self.maxDepth)") }
        self.index += 1
        var members: [JSONMember] = []
        var positionByKey: [String: Int] = [:]
        self.skipWhitespace()
        if self.current == UInt8(ascii: "}") {
            self.index += 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.current == UInt8(ascii: "\"") else { throw self.error("expected a string key") }
            let key = try self.parseString()
            self.skipWhitespace()
            guard self.current == UInt8(ascii: ":") else { throw self.error("expected ':'") }
            self.index += 1
            self.skipWhitespace()
            let value = try self.parseValue(depth: depth)
            if let position = Self.position(of: key, in: members, index: &positionByKey) {
                members[position].value = value
            } else {
                if !positionByKey.isEmpty { positionByKey[key] = members.count }
                members.append(JSONMember(key: key, value: value))
            }
            self.skipWhitespace()
            switch self.current {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "}"): self.index += 1; return .object(members)
            default: throw self.error("expected ',' or '}'")
            }
        }
    }

    /// Where `key` already is among `members`. Small objects (nearly all of ours) are scanned;
    /// from 16 members on, an index is built once so duplicate detection stays linear.
    private static func position(of key: String, in members: [JSONMember], index: inout [String: Int]) -> Int? {
        if members.count < 16 {
            return members.firstIndex { $0.key == key }
        }
        if index.isEmpty {
            for (position, member) in members.enumerated() { index[member.key] = position }
        }
        return index[key]
    }

    private mutating func parseArray(depth: Int) throws(WireError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw self.error("nesting deeper than \(Self.maxDepth)") }
        self.index += 1
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if self.current == UInt8(ascii: "]") {
            self.index += 1
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            elements.append(try self.parseValue(depth: depth))
            self.skipWhitespace()
            switch self.current {
            case UInt8(ascii: ","): self.index += 1
            case UInt8(ascii: "]"): self.index += 1; return .array(elements)
            default: throw self.error("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(WireError) -> String {
        let start = self.index
        let end = JSONNumberLiteral.scan(self.bytes, from: start)
        guard end > start else { throw self.error("invalid number") }
        self.index = end
        return String(decoding: self.bytes[start..<end], as: UTF8.self)
    }
}
