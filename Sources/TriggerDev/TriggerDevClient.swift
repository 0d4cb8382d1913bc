public import OutboundHTTP
public import Foundation

/// Trigger.dev's management API (providers.md §6) over the `HTTPClient` seam: trigger a task,
/// cancel a run.
///
/// Both are POSTs to `baseURL` with `Authorization: Bearer <TRIGGER_DEV_API_KEY>`. A trigger's
/// idempotency key travels twice, as `options.idempotencyKey` (the documented field) and as
/// the `Idempotency-Key` header (which the API's trigger route reads first, and the SDK sends):
/// either alone deduplicates, and both agree.
///
/// Errors (`ProviderError`): `rejected` for a 4xx other than 408/429, `unavailable` for
/// 408/429/5xx, `unreachable` without a response, `malformedResponse` for a 2xx without a
/// run id. `isRetryable` says which ones a job worker should try again.
public struct TriggerDevClient: Sendable {
    private let baseURL: String
    private let apiKey: String
    private let http: any HTTPClient

    /// `apiKey` is the environment's secret key; it only goes to `baseURL`.
    public init(apiKey: String, baseURL: URL = TriggerDevConfiguration.defaultBaseURL, httpClient: any HTTPClient) {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.http = httpClient
    }

    /// `nil` without `TRIGGER_DEV_API_KEY`: the caller records the delivery as skipped.
    public init?(configuration: TriggerDevConfiguration, httpClient: any HTTPClient) {
        guard let apiKey = configuration.apiKey else { return nil }
        self.init(apiKey: apiKey, baseURL: configuration.baseURL, httpClient: httpClient)
    }

    /// `POST /api/v1/tasks/{task}/trigger` with `{"payload": …, "options": {…}}`; the run's id.
    public func trigger<Payload: Encodable & Sendable>(
        task: String, payload: Payload, options: TriggerOptions = TriggerOptions()
    ) async throws(ProviderError) -> TriggeredRun {
        guard Self.isPathSegment(task) else {
            throw ProviderError(.triggerDev, .invalidArgument, "task id \(task.debugDescription) is not a path segment")
        }
        let wire = try options.validated()
        let body: Data
        do {
            body = try Self.encoder.encode(TriggerBody(payload: payload, options: wire))
        } catch {
            throw ProviderError(.triggerDev, .invalidArgument, "the payload cannot be encoded as JSON")
        }
        var headers = self.headers
        headers["Content-Type"] = "application/json"
        if let key = options.idempotencyKey { headers["Idempotency-Key"] = key }
        let path = "/api/v1/tasks/\(task)/trigger"
        let response = try await self.post(path, headers: headers, body: body)
        let run = try Self.decodeRunID(response, path: path)
        return TriggeredRun(id: run.id, isCached: run.isCached ?? false)
    }

    /// `POST /api/v2/runs/{runID}/cancel` (v2, unlike the other run routes). Cancelling a run
    /// that already finished does nothing and succeeds; a run the API does not know is
    /// `.notFound` rather than an error, since either way it will not deliver anything.
    public func cancel(runID: String) async throws(ProviderError) -> RunCancellation {
        guard Self.isPathSegment(runID) else {
            throw ProviderError(.triggerDev, .invalidArgument, "run id \(runID.debugDescription) is not a path segment")
        }
        let path = "/api/v2/runs/\(runID)/cancel"
        let response = try await self.post(path, headers: self.headers, body: nil)
        if response.status == 404 { return .notFound }
        _ = try Self.decodeRunID(response, path: path)
        return .cancelled
    }

    // MARK: - Transport

    private var headers: [String: String] {
        ["Authorization": "Bearer \(self.apiKey)", "Accept": "application/json"]
    }

    private func post(_ path: String, headers: [String: String], body: Data?) async throws(ProviderError) -> OutboundResponse {
        guard let url = URL(string: self.baseURL + path) else {
            throw ProviderError(.triggerDev, .invalidArgument, "cannot form a URL for \(path)")
        }
        do {
            return try await self.http.send(OutboundRequest(method: "POST", url: url, headers: headers, body: body))
        } catch {
            throw ProviderError(.triggerDev, .apiUnreachable, "POST \(path): no response from Trigger.dev")
        }
    }

    /// `{"id": "run_…"}` from a 2xx; a non-2xx is `apiStatus` with Trigger.dev's message.
    private static func decodeRunID(_ response: OutboundResponse, path: String) throws(ProviderError) -> RunResponse {
        switch response.status {
        case 200..<300:
            guard let run = try? JSONDecoder().decode(RunResponse.self, from: response.body), Self.isPathSegment(run.id) else {
                throw ProviderError(.triggerDev, .malformedResponse, "POST \(path): a \(response.status) without a run id")
            }
            return run
        default:
            throw ProviderError(.triggerDev, .apiStatus, "POST \(path): \(Self.errorMessage(response.body))", status: response.status)
        }
    }

    /// Trigger.dev's `{"error": "…"}`, capped so a large body cannot flood the logs; another
    /// body is summarised by its size only.
    static func errorMessage(_ body: Data) -> String {
        guard let error = try? JSONDecoder().decode(ErrorBody.self, from: body), !error.error.isEmpty else {
            return "no error message (\(body.count) bytes)"
        }
        return error.error.count > 300 ? String(error.error.prefix(300)) + "…" : error.error
    }

    /// Task and run ids go into the path as they are, so they may only use RFC 3986's
    /// unreserved characters (task ids like `call-booking.reminder`, run ids like `run_1234`).
    static func isPathSegment(_ text: String) -> Bool {
        !text.isEmpty && text != "." && text != ".."
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar))
            }
    }

    /// Sorted keys, so the bytes of a request depend only on its content.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// `TriggerTaskRequestBody`: `payload` is the task's input, `options` how to run it.
private struct TriggerBody<Payload: Encodable>: Encodable {
    var payload: Payload
    var options: TriggerOptions.Wire
}

/// `TriggerTaskResponse`; `isCached` is sent by the API but not listed in the OpenAPI document.
private struct RunResponse: Decodable {
    var id: String
    var isCached: Bool?
}

/// `ErrorResponse`.
private struct ErrorBody: Decodable {
    var error: String
}
