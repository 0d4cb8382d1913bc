/// Test helpers: byte arrays from and to the hex strings used by golden vectors.
extension Array where Element == UInt8 {
    /// Whitespace and line continuations are ignored; invalid text yields a shorter array,
    /// which every golden comparison would then reject.
    init(hex: String) {
        let digits = hex.utf8.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        self = stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    var hex: String {
        self.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
