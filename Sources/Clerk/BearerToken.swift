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
        let trimmed = header.trimmingSpaces()
        guard trimmed.count > 6 else { return nil }
        let scheme = trimmed.prefix(6)
        guard scheme.lowercased() == "bearer" else { return nil }
        let rest = trimmed.dropFirst(6)
        guard rest.first == " " || rest.first == "\t" else { return nil }
        let token = String(rest).trimmingSpaces()
        return token.isEmpty ? nil : token
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
