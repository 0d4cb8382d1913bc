public import Foundation

/// Lower-case hex of `bytes`, as digests and signatures are printed.
public func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
}

extension Date {
    /// `2030-01-07T09:00:00Z`, with or without fractional seconds, or with an offset: fixed
    /// instants for fixtures. A text that is not one traps, as a typo in a fixture should.
    public static func utc(_ text: String) -> Date {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
            preconditionFailure("not an RFC 3339 time: \(text)")
        }
        return date
    }
}
