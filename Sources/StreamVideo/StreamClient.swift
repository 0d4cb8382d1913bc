import Foundation
public import OutboundHTTP

/// Stream's server-side REST API (providers.md §3.2, §3.3) over the `HTTPClient` seam: Video
/// (rooms, members, permissions, recordings) and the Chat channel each room comes with.
///
/// Every request goes to `baseURL` (`STREAM_BASE_URL`, a loopback fake in tests) with
/// `?api_key=<key>`, `Authorization: <server JWT>` (no "Bearer"), `stream-auth-type: jwt` and
/// JSON bodies. Errors (`ProviderError`): `apiUnreachable` with no response; `apiStatus`
/// outside 2xx with Stream's `message` and `unrecoverable`; `malformedResponse` for a 2xx of
/// the wrong shape.
public struct StreamClient: Sendable {
    private let configuration: StreamConfiguration
    private let baseURL: String
    private let http: any HTTPClient

    public init(configuration: StreamConfiguration, httpClient: any HTTPClient) {
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.configuration = configuration
        self.http = httpClient
    }

    /// Upserts the users, then get-or-creates the call with its members and settings.
    /// Idempotent: a call that exists is returned as it is (Stream ignores `data` then, members
    /// included, so `setUpRoom` brings those up to date), so a retried job cannot create a
    /// second room. Returns whether this request created it and the members Stream lists.
    @discardableResult
    public func getOrCreateCall(_ setup: StreamCallSetup) async throws(ProviderError) -> StreamCallState {
        let path = try self.callPath(setup.callID)
        _ = try await self.send("POST", "/api/v2/users", body: setup.usersBody())
        let data = try await self.send("POST", path, body: setup.body())
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], object["call"] is [String: Any]
        else { throw ProviderError(.stream, .malformedResponse, "POST \(path): no call in the response") }
        return StreamCallState(response: object)
    }

    /// `GET /api/v2/video/call/{type}/{id}/recordings`: the call's recordings with fresh
    /// signed URLs.
    public func listRecordings(callID: String) async throws(ProviderError) -> [StreamRecording] {
        let path = try self.callPath(callID) + "/recordings"
        let data = try await self.send("GET", path, body: nil)
        struct Listing: Decodable { var recordings: [RecordingBody] }
        do {
            return try JSONDecoder().decode(Listing.self, from: data).recordings.map { body throws(ProviderError) in
                try body.recording()
            }
        } catch let error as ProviderError {
            throw ProviderError(.stream, .malformedResponse, "GET \(path): \(error.detail)")
        } catch {
            throw ProviderError(.stream, .malformedResponse, "GET \(path): \(StreamWebhookEvent.describe(error))")
        }
    }

    // MARK: - Transport

    /// `/api/v2/video/call/{type}/{id}`, for an id Stream accepts (never sent otherwise).
    func callPath(_ callID: String) throws(ProviderError) -> String {
        guard StreamIdentifier.isValid(callID) else {
            throw ProviderError(.stream, .invalidArgument, "a Stream call id must be letters, digits, - or _")
        }
        return "/api/v2/video/call/\(self.configuration.callType)/\(callID)"
    }

    /// One request; the answer's body when its status is 2xx. Video, chat and users share the
    /// host, the key, the server token and the error shape.
    func send(_ method: String, _ path: String, body: [String: Any]?) async throws(ProviderError) -> Data {
        let query = "api_key=" + (self.configuration.apiKey.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        guard let url = URL(string: self.baseURL + path + "?" + query) else {
            throw ProviderError(.stream, .invalidArgument, "cannot form a URL for \(path)")
        }
        var headers = [
            "Authorization": StreamTokens.serverToken(secret: self.configuration.secret),
            "stream-auth-type": "jwt",
            "Accept": "application/json",
            "X-Stream-Client": "call-booking",
        ]
        var payload: Data?
        if let body {
            headers["Content-Type"] = "application/json"
            payload = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        }
        let response: OutboundResponse
        do {
            response = try await self.http.send(OutboundRequest(method: method, url: url, headers: headers, body: payload))
        } catch {
            throw ProviderError(.stream, .apiUnreachable, "\(method) \(path): no response from Stream")
        }
        guard (200..<300).contains(response.status) else {
            let failure = Self.apiError(response.body)
            throw ProviderError(
                .stream, .apiStatus, "\(method) \(path): \(failure.message)", status: response.status,
                unrecoverable: failure.unrecoverable)
        }
        return response.body
    }

    /// Stream's `{code, message, StatusCode, unrecoverable, …}` (providers.md §3.4), the
    /// message capped so a large body cannot flood the logs.
    static func apiError(_ body: Data) -> (message: String, unrecoverable: Bool) {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            return ("non-JSON error body (\(body.count) bytes)", false)
        }
        var message = object["message"] as? String ?? "error body without a message"
        if message.count > 500 { message = String(message.prefix(500)) + "…" }
        return (message, object["unrecoverable"] as? Bool ?? false)
    }
}
