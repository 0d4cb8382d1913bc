extension JSONParser {
    /// Parses a string starting at its opening quote. Raw bytes are copied through and
    /// validated as UTF-8 at the end; `\u` escapes must pair surrogates correctly.
    mutating func parseString() throws(WireError) -> String {
        self.index += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = self.current else { throw self.error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                self.index += 1
                guard let string = utf8.withUnsafeBytes({ UTF8Validation.string($0) }) else {
                    throw self.error("invalid UTF-8 in string")
                }
                return string
            case UInt8(ascii: "\\"):
                self.index += 1
                try self.parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw self.error("control character in string")
            default:
                // Copy the run of plain bytes in one go.
                let start = self.index
                while self.index < self.bytes.count, Self.isPlain(self.bytes[self.index]) { self.index += 1 }
                utf8.append(contentsOf: self.bytes[start..<self.index])
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(WireError) {
        guard let byte = self.current else { throw self.error("unterminated escape") }
        self.index += 1
        switch byte {
        case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try self.parseHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                guard self.current == UInt8(ascii: "\\") else { throw self.error("unpaired surrogate") }
                self.index += 1
                guard self.current == UInt8(ascii: "u") else { throw self.error("unpaired surrogate") }
                self.index += 1
                let low = UInt32(try self.parseHex4())
                guard (0xDC00..<0xE000).contains(low) else { throw self.error("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw self.error("unpaired surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw self.error("invalid \\u escape") }
            if let encoded = UTF8.encode(unicode) { utf8.append(contentsOf: encoded) }
        default:
            throw self.error("invalid escape")
        }
    }

    @inline(__always)
    private static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    private mutating func parseHex4() throws(WireError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = self.current else { throw self.error("truncated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.error("invalid \\u escape")
            }
            value = value << 4 | UInt16(digit)
            self.index += 1
        }
        return value
    }
}
