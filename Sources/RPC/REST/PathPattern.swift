/// A REST path template such as `/api/v1/calls/{id}/token`: literal segments and `{name}`
/// variables that each match one non-empty segment.
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case variable(String)
    }

    let segments: [Segment]
    public let description: String

    public init(_ template: String) {
        self.description = template
        self.segments = template.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part.first == "{", part.last == "}" {
                return .variable(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    /// Literal segments make a pattern more specific: `/calls/upcoming` wins over
    /// `/calls/{id}` whatever the order of the table.
    var specificity: Int {
        self.segments.reduce(0) { count, segment in
            if case .literal = segment { return count + 1 }
            return count
        }
    }

    /// The variables' values (percent-decoded) when `path` matches.
    func match(_ pathSegments: [Substring]) -> [(name: String, value: String)]? {
        guard pathSegments.count == self.segments.count else { return nil }
        var variables: [(name: String, value: String)] = []
        for (segment, part) in zip(self.segments, pathSegments) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .variable(let name):
                guard let value = PercentDecoding.decode(part), !value.isEmpty else { return nil }
                variables.append((name, value))
            }
        }
        return variables
    }
}

enum PercentDecoding {
    /// RFC 3986 percent-decoding; with `plusIsSpace`, form-style `+` (query strings).
    /// Nil for malformed escapes or bytes that are not UTF-8.
    static func decode(_ text: Substring, plusIsSpace: Bool = false) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
                else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
