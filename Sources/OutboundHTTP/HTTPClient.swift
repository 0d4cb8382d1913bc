public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One request to a provider's API (Clerk JWKS, Calendly, Stream, Trigger.dev).
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The network seam of every provider client: the app passes `URLSessionHTTPClient`; tests
/// pass an in-process fake, or the real client pointed at a loopback server.
public protocol HTTPClient: Sendable {
    /// The status and whole body of the response. Throws only when there is no HTTP response
    /// at all (refused, timed out, TLS failure).
    func send(_ request: OutboundRequest) async throws -> (status: Int, body: Data)
}

extension HTTPClient {
    public func get(_ url: URL, headers: [String: String]) async throws -> (status: Int, body: Data) {
        try await self.send(OutboundRequest(method: "GET", url: url, headers: headers))
    }
}

/// `HTTPClient` over URLSession (libcurl on OpenSSL in FoundationNetworking on Linux: the one
/// TLS stack of the service). No caching: every provider call wants the current answer.
public struct URLSessionHTTPClient: HTTPClient {
    private let session: URLSession
    private let timeout: TimeInterval

    /// `timeout` bounds each request: callers wait for it.
    public init(timeout: Duration = .seconds(5)) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        self.session = URLSession(configuration: configuration)
        let (seconds, attoseconds) = timeout.components
        self.timeout = Double(seconds) + Double(attoseconds) / 1e18
    }

    public func send(_ outbound: OutboundRequest) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: outbound.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: self.timeout)
        request.httpMethod = outbound.method
        for (name, value) in outbound.headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = outbound.body
        let (body, response) = try await self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return (http.statusCode, body)
    }
}
