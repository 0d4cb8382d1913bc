import Foundation

/// A job's payload type: a JSON object as `calls.jobs.payload` holds it, with keys sorted so the
/// same payload is always the same text.
public protocol JobPayload: Codable, Sendable {}

extension JobPayload {
    /// Nil when `text` is not such a JSON object.
    public init?(json text: String) {
        guard let value = try? JSONDecoder().decode(Self.self, from: Data(text.utf8)) else { return nil }
        self = value
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
