public import OutboundHTTP
public import Foundation

/// Calendly API v2 (providers.md §2): the calls booking needs, over the `HTTPClient` seam.
///
/// Every request is a GET with `Authorization: Bearer <CALENDLY_API_KEY>` to `baseURL`
/// (`CALENDLY_BASE_URL`, a loopback fake in tests). Paths and query values are built here, with
/// query values percent-encoded down to RFC 3986's unreserved set, so a user URI travels as
/// `https%3A%2F%2F…`, as Calendly's own examples send it.
///
/// Errors: `apiUnreachable` with no response, `apiStatus` (with `status` and Calendly's error
/// `message`) outside 2xx, including 429, whose `retryAfter` says how long to wait;
/// `malformedResponse` for a 2xx the documented shape does not fit.
public struct CalendlyClient: Sendable {
    public static let defaultBaseURL = URL(string: "https://api.calendly.com")!
    /// `GET /user_busy_times` refuses ranges over 7 days.
    public static let maximumBusyTimeWindow: Duration = .seconds(7 * 24 * 3600)

    private let baseURL: String
    private let headers: [String: String]
    private let http: any HTTPClient

    /// `apiKey` is a personal access token or OAuth access token; it only goes to `baseURL`.
    public init(apiKey: String, baseURL: URL = CalendlyClient.defaultBaseURL, httpClient: any HTTPClient) {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.headers = ["Authorization": "Bearer \(apiKey)", "Accept": "application/json"]
        self.http = httpClient
    }

    /// `GET /scheduled_events/{uuid}` for a scheduled event URI (the UUID is its last segment),
    /// used when a webhook lacks the event's details.
    public func scheduledEvent(_ uri: String) async throws(ProviderError) -> ScheduledEvent {
        guard let uuid = CalendlyURI.lastSegment(uri, in: "scheduled_events"), Self.isPathSafe(uuid) else {
            throw ProviderError(.calendly, .invalidArgument, "not a scheduled event URI")
        }
        let body: Resource<ScheduledEvent> = try await self.get("/scheduled_events/\(uuid)", query: [])
        return body.resource
    }

    /// `GET /users/me`: the user the API key belongs to, whose `scheduling_url` is the account's
    /// booking page (the base of a signed booking link).
    public func currentUser() async throws(ProviderError) -> CalendlyUser {
        let body: Resource<CalendlyUser> = try await self.get("/users/me", query: [])
        return body.resource
    }

    /// `GET /user_availability_schedules?user=<user URI>`: the user's schedules, default first
    /// as Calendly lists them.
    public func userAvailabilitySchedules(userURI: String) async throws(ProviderError) -> [AvailabilitySchedule] {
        let body: ResourceCollection<AvailabilitySchedule> = try await self.get(
            "/user_availability_schedules", query: [("user", userURI)])
        return body.collection
    }

    /// `GET /user_busy_times` over `[start, end)`, one request per 7-day slice in order (the API
    /// refuses longer ranges). An event that straddles a slice boundary comes back in both
    /// slices; it is returned once. Calendly also refuses a `start` in the past: callers pass now
    /// or later.
    public func userBusyTimes(userURI: String, start: Date, end: Date) async throws(ProviderError) -> [BusyTime] {
        guard end > start else { throw ProviderError(.calendly, .invalidArgument, "busy-time range ends before it starts") }
        var result: [BusyTime] = []
        var seen = Set<BusyTime>()
        for window in Self.busyTimeWindows(start: start, end: end) {
            let body: ResourceCollection<BusyTime> = try await self.get(
                "/user_busy_times",
                query: [
                    ("user", userURI),
                    ("start_time", CalendlyTimestamp.format(window.start)),
                    ("end_time", CalendlyTimestamp.format(window.end)),
                ])
            for busy in body.collection where seen.insert(busy).inserted { result.append(busy) }
        }
        return result
    }

    /// `[start, end)` cut into consecutive slices of at most `maximumBusyTimeWindow`.
    static func busyTimeWindows(start: Date, end: Date) -> [(start: Date, end: Date)] {
        let step = TimeInterval(Self.maximumBusyTimeWindow.components.seconds)
        var windows: [(start: Date, end: Date)] = []
        var cursor = start
        while cursor < end {
            let next = min(cursor.addingTimeInterval(step), end)
            windows.append((cursor, next))
            cursor = next
        }
        return windows
    }

    // MARK: - Transport

    private func get<Body: Decodable>(_ path: String, query: [(String, String)]) async throws(ProviderError) -> Body {
        let url = try self.url(path, query: query)
        let response: OutboundResponse
        do {
            response = try await self.http.get(url, headers: self.headers)
        } catch {
            throw ProviderError(.calendly, .apiUnreachable, "GET \(path): no response from Calendly")
        }
        guard (200..<300).contains(response.status) else {
            throw ProviderError(
                .calendly, .apiStatus, "GET \(path): \(Self.errorMessage(response.body))", status: response.status,
                retryAfter: Self.retryAfter(response, now: Date()))
        }
        do {
            return try JSONDecoder().decode(Body.self, from: response.body)
        } catch let error as DecodingError {
            throw ProviderError(.calendly, .malformedResponse, "GET \(path): \(CalendlyWebhook.describe(error))")
        } catch {
            throw ProviderError(.calendly, .malformedResponse, "GET \(path): unreadable response")
        }
    }

    func url(_ path: String, query: [(String, String)]) throws(ProviderError) -> URL {
        var text = self.baseURL + path
        if !query.isEmpty {
            text += "?" + query.map { "\(Self.percentEncode($0.0))=\(Self.percentEncode($0.1))" }.joined(separator: "&")
        }
        guard let url = URL(string: text) else { throw ProviderError(.calendly, .invalidArgument, "cannot form a URL for \(path)") }
        return url
    }

    private static let unreserved: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        set.insert(charactersIn: "-._~")
        return set
    }()

    static func percentEncode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: self.unreserved) ?? ""
    }

    private static func isPathSafe(_ segment: String) -> Bool {
        segment.unicodeScalars.allSatisfy { self.unreserved.contains($0) }
    }

    /// How long Calendly asked us to wait: `Retry-After` when it sent one, else, on a 429,
    /// `X-RateLimit-Reset` (providers.md §2 "Rate limits": seconds until the per-user limit
    /// resets; every answer carries it, so it means "wait" only on a 429).
    static func retryAfter(_ response: OutboundResponse, now: Date) -> Duration? {
        if let wait = response.retryAfter(now: now) { return wait }
        return response.status == 429 ? response.seconds("X-RateLimit-Reset") : nil
    }

    /// Calendly's `{title, message, details}` as one line, capped so a large body cannot flood
    /// the logs; a non-JSON body is summarised by its size only.
    static func errorMessage(_ body: Data) -> String {
        guard let error = try? JSONDecoder().decode(APIErrorBody.self, from: body) else {
            return "non-JSON error body (\(body.count) bytes)"
        }
        var text = [error.title, error.message].compactMap { $0 }.joined(separator: ": ")
        let details = (error.details ?? []).compactMap { detail -> String? in
            guard let message = detail.message else { return nil }
            return detail.parameter.map { "\($0) \(message)" } ?? message
        }
        if !details.isEmpty { text += " (" + details.joined(separator: "; ") + ")" }
        if text.isEmpty { text = "error body without a message" }
        return text.count > 500 ? String(text.prefix(500)) + "…" : text
    }
}

/// `{"resource": …}`
struct Resource<Value: Decodable>: Decodable {
    var resource: Value
}

/// `{"collection": […], "pagination": …}`
struct ResourceCollection<Element: Decodable>: Decodable {
    var collection: [Element]
}

/// `{title, message, details: [{parameter, message}]}` (providers.md §2 "Error body").
struct APIErrorBody: Decodable {
    struct Detail: Decodable {
        var parameter: String?
        var message: String?
    }
    var title: String?
    var message: String?
    var details: [Detail]?
}
