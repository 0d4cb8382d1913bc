import Foundation

/// Checks shared by the request validators; each throws INVALID_ARGUMENT naming the field.
enum FieldRules {
    /// A zone this machine's tz database knows. `TimeZone(identifier:)` is the same lookup
    /// availability uses later, so a zone accepted here can always be computed with.
    static func timeZone(_ identifier: String, field: String) throws(BookingError) {
        guard !identifier.isEmpty, identifier.utf8.count <= 64, TimeZone(identifier: identifier) != nil else {
            throw .invalidArgument("\(field) must be an IANA timezone such as \"Europe/Berlin\", got \(InputText.quoted(identifier))")
        }
    }

    /// Deliberately loose: one "@" with something on each side, a dot inside the domain, no
    /// spaces or control characters. The provider that sends mail is the real check.
    static func email(_ text: String, field: String) throws(BookingError) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let wellFormed = text.utf8.count <= CallLimits.maximumEmailLength
            && parts.count == 2 && !parts[0].isEmpty
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
        guard wellFormed else {
            throw .invalidArgument("\(field) must be an email address, got \(InputText.quoted(text))")
        }
    }

    /// At most `limit` characters (grapheme clusters, as a user counts them).
    static func length(_ text: String, atMost limit: Int, field: String) throws(BookingError) {
        guard text.count <= limit else {
            throw .invalidArgument("\(field) may have at most \(limit) characters")
        }
    }

    /// Not empty once surrounding whitespace is ignored.
    static func required(_ text: String, field: String) throws(BookingError) {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidArgument("\(field) is required")
        }
    }
}
