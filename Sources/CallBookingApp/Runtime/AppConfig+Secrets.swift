import Foundation

extension AppConfig {
    /// Variables whose values must never reach a log line: the log handler redacts them
    /// wherever they appear (an error description, a URL), along with anything shaped like a JWT.
    public static let secretVariables = [
        "CLERK_SECRET_KEY", "STREAM_SECRET_KEY", "CALENDLY_API_KEY", "CALENDLY_WEBHOOK_SECRET",
        "TRIGGER_DEV_API_KEY", "METRICS_TOKEN", "BOOKING_LINK_SECRET",
    ]

    /// The secret values set in `environment`, the database password included (read from
    /// `DATABASE_URL` without parsing the rest of the configuration, so that even a start-up
    /// error about it is logged redacted).
    public static func secretValues(in environment: [String: String]) -> [String] {
        var values = Self.secretVariables.compactMap { environment[$0] }.filter { !$0.isEmpty }
        if let url = environment["DATABASE_URL"] { values += Self.passwords(inURL: url) }
        return values
    }

    /// `postgresql://user:password@host/…`: the part between the first `:` after the scheme and
    /// the last `@` before the host, as written and percent-decoded (either may be logged).
    static func passwords(inURL url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [] }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@") else { return [] }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return [] }
        let written = String(userInfo[userInfo.index(after: colon)...])
        guard !written.isEmpty else { return [] }
        return [written] + (written.removingPercentEncoding.map { $0 == written ? [] : [$0] } ?? [])
    }
}
