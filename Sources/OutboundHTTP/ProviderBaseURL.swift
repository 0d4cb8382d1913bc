public import Foundation

/// A provider's base URL from a setting (`CALENDLY_BASE_URL`, `STREAM_BASE_URL`,
/// `TRIGGER_DEV_BASE_URL`): https, or plain http to a loopback address only (the tests' fakes),
/// so a typo or a hostile setting cannot send keys and tokens over the network in clear.
public enum ProviderBaseURL {
    public static func parse(_ text: String, variable: String, provider: ProviderError.Provider) throws(ProviderError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            url.query == nil, url.user == nil, url.password == nil
        else {
            throw ProviderError(
                provider, .invalidConfiguration, "\(variable) must be an absolute URL without a query, not \(text.debugDescription)")
        }
        guard scheme == "https" || (scheme == "http" && Self.isLoopback(host)) else {
            throw ProviderError(provider, .invalidConfiguration, "\(variable) must use https (plain http only to a loopback address)")
        }
        return url
    }

    /// `localhost`, `::1`, or an IPv4 address in 127.0.0.0/8 (four numeric parts: a name
    /// such as `127.example.com` is not one).
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in part.count <= 3 && UInt8(part) != nil }
    }
}
