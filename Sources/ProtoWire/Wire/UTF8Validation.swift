/// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing past
/// U+10FFFF, no truncated sequences. Google's parsers reject exactly these in `string` fields.
///
/// Ours rather than `String(validating:as:)`, whose generic implementation showed up in
/// profiles as runtime metadata lookups on every string; ASCII runs are checked 8 bytes at a time.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            if count - index >= 8,
               bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00..<0x80: index += 1; continue
            case 0xC2..<0xE0: length = 2
            case 0xE0..<0xF0: length = 3
            case 0xF0..<0xF5: length = 4
            default: return false  // a continuation byte, an overlong 2-byte lead, or past U+10FFFF
            }
            guard count - index >= length else { return false }
            for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            let second = bytes[index + 1]
            switch lead {
            case 0xE0 where second < 0xA0: return false  // overlong 3-byte form
            case 0xED where second >= 0xA0: return false  // UTF-16 surrogate
            case 0xF0 where second < 0x90: return false  // overlong 4-byte form
            case 0xF4 where second >= 0x90: return false  // past U+10FFFF
            default: break
            }
            index += length
        }
        return true
    }

    /// A `String` from bytes known or checked to be valid, nil otherwise.
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        self.isValid(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
    }
}
