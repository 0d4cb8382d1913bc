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

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
