public import Foundation

extension OutboundResponse {
    /// How long the answer says it stays fresh, in seconds from now, or nil when it says
    /// nothing (no `Cache-Control`, or one without `max-age`, `no-cache` or `no-store`).
    ///
    /// RFC 9111 as a private cache reads it: `max-age` less the `Age` it has already spent in
    /// caches on the way (§4.2.1, §4.2.3), never below 0. `no-store` and `no-cache` (§5.2.2.4–5)
    /// say "do not reuse without asking again": 0. A `max-age` that is not a number counts as 0
    /// (stale, §4.2.1's advice for invalid values); one too large for an `Int` is `Int.max`
    /// (§1.2.2). The caller decides what to make of 0 and of huge values.
    public var statedFreshnessLifetime: TimeInterval? {
        guard let field = self.header("Cache-Control") else { return nil }
        var maxAge: TimeInterval?
        for directive in field.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first?.lowercased() else { continue }
            switch (name, parts.count) {
            case ("no-store", 1), ("no-cache", 1):
                return 0
            case ("max-age", 2) where maxAge == nil:
                maxAge = Self.deltaSeconds(parts[1]) ?? 0
            default:
                continue   // s-maxage is for shared caches; qualified no-cache names fields only
            }
        }
        guard let maxAge else { return nil }
        let age = self.header("Age").flatMap(Self.deltaSeconds) ?? 0
        return max(0, maxAge - age)
    }

    /// RFC 9111 §1.2.2 delta-seconds: ASCII digits (a quoted value is taken too), as seconds.
    static func deltaSeconds(_ text: String) -> TimeInterval? {
        let digits = text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return TimeInterval(Int(digits) ?? Int.max)
    }
}
