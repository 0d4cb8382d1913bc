/// Where a Clerk session token travels (providers.md 5.2): `Authorization: Bearer <token>`
/// (gRPC metadata or an HTTP header; cross-origin and native apps), or else the `__session`
/// cookie (same-origin browsers).
public enum BearerToken {
    /// The token, or nil when neither place holds one. A bearer header wins over the cookie. Any
    /// other scheme (`Basic …`) is ignored rather than an error, so the cookie is still tried.
    public static func extract(authorization: String?, cookie: String?) -> String? {
        if let authorization, let token = fromAuthorization(authorization) { return token }
        if let cookie, let token = fromCookie(cookie) { return token }
        return nil
    }

    /// RFC 6750 §2.1: the scheme is case-insensitive (RFC 9110 §11.1), then one or more spaces.
    static func fromAuthorization(_ header: String) -> String? {
        // On the UTF-8 bytes: every request carries a JWT of a kilobyte here, and counting or
        // trimming it as Characters walked it grapheme by grapheme, several times.
        let bytes = header.utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while start < end, isBlank(bytes[start]) { start = bytes.index(after: start) }
        while start < end, isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        var cursor = start
        for letter in "bearer".utf8 {
            // ASCII letters compare case-insensitively with their 0x20 bit set.
            guard cursor < end, bytes[cursor] | 0x20 == letter else { return nil }
            cursor = bytes.index(after: cursor)
        }
        guard cursor < end, isBlank(bytes[cursor]) else { return nil }
        while cursor < end, isBlank(bytes[cursor]) { cursor = bytes.index(after: cursor) }
        guard cursor < end else { return nil }
        return String(Substring(bytes[cursor..<end]))
    }

    /// The first `__session` in a Cookie header (`a=b; __session=…`, RFC 6265 §4.2.1). Cookie
    /// names are case-sensitive; a value in double quotes loses them.
    static func fromCookie(_ header: String) -> String? {
        for pair in header.split(separator: ";") {
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2, String(pieces[0]).trimmingSpaces() == "__session" else { continue }
            var value = String(pieces[1]).trimmingSpaces()
            if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (header whitespace, RFC 9110 §5.6.3).
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
