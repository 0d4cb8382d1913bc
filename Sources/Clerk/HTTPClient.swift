public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one network call Clerk verification makes, fetching the JWKS, behind a seam: unit tests
/// pass an in-process fake, the app a real client.
public protocol HTTPClient: Sendable {
    /// The status and whole body of a GET. Throws only when there is no HTTP response at all.
    func get(_ url: URL, headers: [String: String]) async throws -> (status: Int, body: Data)
}

/// `HTTPClient` over URLSession (libcurl-backed FoundationNetworking on Linux). No caching: a
/// JWKS refetch happens because a key is unknown, so a cached copy would be the wrong answer.
public struct URLSessionHTTPClient: HTTPClient {
    private let session: URLSession
    private let timeout: TimeInterval

    /// `timeout` bounds each fetch: requests with an unknown `kid` wait for it.
    public init(timeout: Duration = .seconds(5)) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        self.session = URLSession(configuration: configuration)
        let (seconds, attoseconds) = timeout.components
        self.timeout = Double(seconds) + Double(attoseconds) / 1e18
    }

    public func get(_ url: URL, headers: [String: String]) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: self.timeout)
        request.httpMethod = "GET"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (body, response) = try await self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return (http.statusCode, body)
    }
}
