public import Foundation

extension OutboundResponse {
    /// How long `Retry-After` (RFC 9110 §10.2.3) asks us to wait: delay-seconds, or an
    /// HTTP-date taken against `now` (a date already past is zero). Nil without the field or
    /// when it is neither form. Recipients must read all three HTTP-date forms (§5.6.7): the
    /// IMF-fixdate servers send, and the obsolete RFC 850 and asctime forms.
    public func retryAfter(now: Date) -> Duration? {
        guard let field = self.header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Self.deltaSeconds(field) { return .seconds(seconds) }
        guard let date = Self.httpDate(field) else { return nil }
        return .seconds(max(0, date.timeIntervalSince(now)))
    }

    /// A field whose value is a whole number of seconds, such as Calendly's `X-RateLimit-Reset`
    /// (seconds until the limit resets); nil without the field or when it is not digits.
    public func seconds(_ name: String) -> Duration? {
        self.header(name).flatMap { Self.deltaSeconds($0.trimmingCharacters(in: .whitespaces)) }.map { .seconds($0) }
    }

    private static let httpDateFormats = ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"]

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        // asctime pads a one-digit day with a space: "Sun Nov  6 08:49:37 1994".
        let single = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        for format in Self.httpDateFormats {
            formatter.dateFormat = format
            if let date = formatter.date(from: format.hasPrefix("EEE MMM") ? single : text) { return date }
        }
        return nil
    }
}
