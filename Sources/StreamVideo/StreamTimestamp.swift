import Foundation

/// RFC 3339 timestamps as Stream sends them: up to nine fractional digits
/// (`2025-06-17T09:00:41.123456789Z`), which Foundation's ISO 8601 parser does not read, so the
/// fraction is taken apart here and the rest parsed as whole seconds.
enum StreamTimestamp {
    private static let wholeSeconds = Date.ISO8601FormatStyle()

    static func parse(_ text: String) -> Date? {
        guard let dot = text.firstIndex(of: ".") else { return try? self.wholeSeconds.parse(text) }
        let afterDot = text.index(after: dot)
        let digitsEnd = text[afterDot...].firstIndex { !$0.isASCII || !$0.isNumber } ?? text.endIndex
        let digits = text[afterDot..<digitsEnd]
        guard !digits.isEmpty, digits.count <= 9, let whole = try? self.wholeSeconds.parse(String(text[..<dot] + text[digitsEnd...]))
        else { return nil }
        let fraction = Double("0." + digits) ?? 0
        return whole.addingTimeInterval(fraction)
    }

    /// Whole seconds in UTC (`2025-06-17T09:00:00Z`), as `starts_at` is sent.
    static func format(_ date: Date) -> String {
        self.wholeSeconds.format(date)
    }
}
