import Foundation

/// UUID parsing shared by the id types.
enum UUIDText {
    /// Accepts only the canonical 36-character hyphenated form, in either case.
    ///
    /// Checked by hand before `UUID(uuidString:)` so that the accepted syntax is ours, not
    /// whatever a Foundation version tolerates, and PostgreSQL's looser forms (braces, no
    /// hyphens) are not accepted by one replica and refused by another.
    static func parse(_ text: String) -> UUID? {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return nil }
        for (index, byte) in utf8.enumerated() {
            switch index {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return nil }
            default:
                let isHex = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                guard isHex else { return nil }
            }
        }
        return UUID(uuidString: text)
    }
}
