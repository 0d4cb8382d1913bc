import Foundation

/// RFC 3339 timestamps as Calendly sends them: UTC `Z`, with zero to six fractional digits
/// (`2025-06-10T14:00:03.000000Z`). Offsets other than `Z` are accepted too.
enum CalendlyTimestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let wholeSeconds = Date.ISO8601FormatStyle()

    static func parse(_ text: String) -> Date? {
        // The fractional style also reads whole seconds; the second style is a fallback only.
        (try? self.style.parse(text)) ?? (try? self.wholeSeconds.parse(text))
    }

    /// Whole seconds in UTC, the form query parameters use (`2025-06-17T09:00:00Z`).
    static func format(_ date: Date) -> String {
        self.wholeSeconds.format(date)
    }
}

extension KeyedDecodingContainer {
    func decodeTimestamp(forKey key: Key) throws -> Date {
        let text = try self.decode(String.self, forKey: key)
        guard let date = CalendlyTimestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "not an RFC 3339 timestamp")
        }
        return date
    }

    func decodeTimestampIfPresent(forKey key: Key) throws -> Date? {
        guard let text = try self.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = CalendlyTimestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "not an RFC 3339 timestamp")
        }
        return date
    }
}
