/// Finds a member name repeated within one object of a JSON document.
///
/// For documents JSONDecoder has already accepted, so it only needs to tell names from values:
/// a string followed by `:` is a name. Names are compared as decoded strings, as JSONDecoder's
/// dictionary keys are, so `"\u0073ub"` repeats `"sub"`. A loop with a stack of open
/// containers rather than recursion: nesting depth is the input's choice.
enum JSONMemberNames {
    static func areUnique(in bytes: [UInt8]) -> Bool {
        // The names seen so far in each open container; nil for an array.
        var open: [Set<String>?] = []
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                open.append([])
                index += 1
            case UInt8(ascii: "["):
                open.append(nil)
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard open.popLast() != nil else { return false }
                index += 1
            case UInt8(ascii: "\""):
                guard let (text, end) = self.string(in: bytes, from: index) else { return false }
                index = end
                while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { continue }
                guard let last = open.indices.last, let inserted = open[last]?.insert(text).inserted, inserted else {
                    return false
                }
            default:
                index += 1
            }
        }
        return open.isEmpty
    }

    /// The decoded text of the string whose opening quote is at `start`, and the index after
    /// its closing quote; nil if it does not end.
    private static func string(in bytes: [UInt8], from start: Int) -> (String, Int)? {
        var utf8: [UInt8] = []
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                return (String(decoding: utf8, as: UTF8.self), index + 1)
            }
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = self.hex4(bytes, at: index) else { return nil }
                index += 4
                var value = UInt32(unit)
                // A high surrogate followed by an escaped low one is one character.
                if (0xD800..<0xDC00).contains(unit), index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                   bytes[index + 1] == UInt8(ascii: "u"), let low = self.hex4(bytes, at: index + 2),
                   (0xDC00..<0xE000).contains(low) {
                    value = 0x10000 + ((value - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    index += 6
                }
                if let encoded = UTF8.encode(Unicode.Scalar(value) ?? "\u{FFFD}") { utf8.append(contentsOf: encoded) }
            default:
                utf8.append(escape)  // \" \\ \/
            }
        }
        return nil
    }

    private static func hex4(_ bytes: [UInt8], at index: Int) -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for byte in bytes[index..<index + 4] {
            guard let digit = Self.hexDigit(byte) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
