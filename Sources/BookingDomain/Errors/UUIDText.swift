public import Foundation

/// The canonical text of a UUID, read and written here rather than by Foundation.
///
/// Foundation's `UUID(uuidString:)` and `uuidString` go through `sscanf` and `snprintf`, and a
/// read of one call parses and prints a few ids: together 4% of GetCall's CPU. These do the same
/// with a table of hex digits.
public enum UUIDText {
    /// Accepts only the canonical 36-character hyphenated form, in either case, so that the
    /// accepted syntax is ours, not whatever a Foundation version tolerates, and PostgreSQL's
    /// looser forms (braces, no hyphens) are not accepted by one replica and refused by another.
    public static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { utf8 -> UUID? in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let complete = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var at = 0
                var index = 0
                while index < 36 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard utf8[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                        continue
                    }
                    guard let high = Self.hexValue(utf8[index]), let low = Self.hexValue(utf8[index + 1]) else {
                        return false
                    }
                    out[at] = high << 4 | low
                    at += 1
                    index += 2
                }
                return true
            }
            return complete ? UUID(uuid: bytes) : nil
        }
    }

    /// Lower-case canonical text, as PostgreSQL prints a `uuid`.
    public static func format(_ uuid: UUID) -> String {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                let digits: StaticString = "0123456789abcdef"
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    out[at] = digits.utf8Start[Int(byte >> 4)]
                    out[at + 1] = digits.utf8Start[Int(byte & 0x0f)]
                    at += 2
                }
                return at
            }
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
