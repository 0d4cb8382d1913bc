#if canImport(Glibc)
import Foundation
import TestSupport
import OutboundHTTP
import Testing

@testable import TriggerDev

/// The client over a real socket: `URLSessionHTTPClient` (libcurl) against `LoopbackHTTPServer`,
/// checked against the documented request (providers.md §6, Trigger.dev's OpenAPI
/// `TriggerTaskRequestBody`) and each class of answer.
@Suite struct TriggerDevClientTests {
    static let key = "tr_dev_loopbackKey0001"

    /// A payload as a task would take it; the real ones are BookingDomain's.
    struct Payload: Encodable, Sendable {
        var kind: String
        var callId: String
        var link: String
    }
    static let payload = Payload(kind: "call.reminder", callId: "5f0c…", link: "https://app.example/calls/1")

    func client(_ api: LoopbackHTTPServer, base: URL? = nil) -> TriggerDevClient {
        TriggerDevClient(apiKey: Self.key, baseURL: base ?? api.baseURL, httpClient: URLSessionHTTPClient(timeout: .seconds(5)))
    }

    @Test func triggerSendsTheDocumentedRequestAndReturnsTheRunID() async throws {
        let api = try LoopbackHTTPServer([(200, #"{"id":"run_p4omhh45hgxxnq1re6ovy"}"#)])
        defer { api.stop() }
        let run = try await client(api).trigger(
            task: "call-booking.reminder", payload: Self.payload,
            options: TriggerOptions(
                idempotencyKey: "call-booking:reminder:c1:1894006800:15m:customer",
                delay: Date(timeIntervalSince1970: 1_894_005_900),   // 2030-01-07T08:45:00Z
                ttl: .seconds(900), tags: ["call_c1"]))
        #expect(run == TriggeredRun(id: "run_p4omhh45hgxxnq1re6ovy", isCached: false))

        let request = try #require(api.requests.first)
        #expect(api.requests.count == 1)
        #expect(request.requestLine == "POST /api/v1/tasks/call-booking.reminder/trigger HTTP/1.1")
        #expect(request.header("Authorization") == "Bearer \(Self.key)")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Accept") == "application/json")
        #expect(request.header("Idempotency-Key") == "call-booking:reminder:c1:1894006800:15m:customer")
        #expect(request.header("Content-Length") == String(request.body.count))
        #expect(request.bodyText == """
            {"options":{"delay":"2030-01-07T08:45:00Z","idempotencyKey":"call-booking:reminder:c1:1894006800:15m:customer",\
            "tags":["call_c1"],"ttl":900},\
            "payload":{"callId":"5f0c…","kind":"call.reminder","link":"https://app.example/calls/1"}}
            """)
    }

    @Test func optionsLeftUnsetAreLeftOutAndNoKeyHeaderIsSent() async throws {
        let api = try LoopbackHTTPServer([(200, #"{"id":"run_1"}"#)])
        defer { api.stop() }
        _ = try await client(api).trigger(task: "call-booking.follow-up", payload: ["callId": "c1"])
        let request = try #require(api.requests.first)
        #expect(request.bodyText == #"{"options":{},"payload":{"callId":"c1"}}"#)
        #expect(request.header("Idempotency-Key") == nil)
    }

    @Test func aRepeatedKeyReturnsTheExistingRunMarkedCached() async throws {
        let api = try LoopbackHTTPServer([(200, #"{"id":"run_1","isCached":false}"#), (200, #"{"id":"run_1","isCached":true}"#)])
        defer { api.stop() }
        let options = TriggerOptions(idempotencyKey: "k1")
        let first = try await client(api).trigger(task: "t", payload: Self.payload, options: options)
        let second = try await client(api).trigger(task: "t", payload: Self.payload, options: options)
        #expect(first == TriggeredRun(id: "run_1", isCached: false))
        #expect(second == TriggeredRun(id: "run_1", isCached: true))
        #expect(api.requests.map(\.bodyText) == [api.requests[0].bodyText, api.requests[0].bodyText])
    }

    @Test func honoursABaseURLWithAPathAndATrailingSlash() async throws {
        let api = try LoopbackHTTPServer([(200, #"{"id":"run_1"}"#)])
        defer { api.stop() }
        let base = URL(string: "http://127.0.0.1:\(api.port)/trigger/")!
        _ = try await client(api, base: base).trigger(task: "t", payload: Self.payload)
        #expect(api.requests.first?.requestLine == "POST /trigger/api/v1/tasks/t/trigger HTTP/1.1")
    }

    /// 4xx is final, 408/429/5xx and a 2xx without a run id are worth retrying (the key makes a
    /// retry safe), and the API's `error` text is kept without the key.
    @Test(arguments: [
        (400, #"{"error":"Invalid request body"}"#, ProviderError.Reason.apiStatus, "Invalid request body"),
        (401, #"{"error":"Invalid or Missing API key"}"#, .apiStatus, "Invalid or Missing API key"),
        (404, #"{"error":"Task not found"}"#, .apiStatus, "Task not found"),
        (422, #"{"error":"You can't trigger a task because you have run out of credits."}"#, .apiStatus, "run out of credits"),
        (408, "", .apiStatus, "no error message (0 bytes)"),
        (429, #"{"error":"Rate limit exceeded"}"#, .apiStatus, "Rate limit exceeded"),
        (500, #"{"error":"Something went wrong"}"#, .apiStatus, "Something went wrong"),
        (503, "<html>busy</html>", .apiStatus, "no error message (17 bytes)"),
        (200, #"{"ok":true}"#, .malformedResponse, "without a run id"),
        (200, #"{"id":""}"#, .malformedResponse, "without a run id"),
        (200, "not json", .malformedResponse, "without a run id"),
    ])
    func answersMapToErrorsByStatus(status: Int, body: String, reason: ProviderError.Reason, detail: String) async throws {
        let api = try LoopbackHTTPServer([(status, body)])
        defer { api.stop() }
        let error = await #expect(throws: ProviderError.self) {
            try await client(api).trigger(task: "call-booking.reminder", payload: Self.payload)
        }
        #expect(error?.reason == reason)
        #expect(error?.isRetryable == (reason == .malformedResponse || ProviderError.isTransient(status: status)))
        #expect(error?.status == (reason == .malformedResponse ? nil : status))
        #expect(error?.detail.contains(detail) == true)
        #expect(error.map { !String(describing: $0).contains(Self.key) } == true)
    }

    @Test func nothingListeningIsUnreachableAndRetryable() async throws {
        let api = try LoopbackHTTPServer([(200, #"{"id":"run_1"}"#)])
        api.stop()   // the port is closed now: connection refused
        let error = await #expect(throws: ProviderError.self) {
            try await client(api).trigger(task: "t", payload: Self.payload)
        }
        #expect(error?.reason == .apiUnreachable)
        #expect(error?.isRetryable == true)
    }

    @Test func cancelPostsToTheV2RouteWithoutABody() async throws {
        let api = try LoopbackHTTPServer([(200, #"{"id":"run_p4omhh45hgxxnq1re6ovy"}"#)])
        defer { api.stop() }
        let result = try await client(api).cancel(runID: "run_p4omhh45hgxxnq1re6ovy")
        #expect(result == .cancelled)
        let request = try #require(api.requests.first)
        #expect(request.requestLine == "POST /api/v2/runs/run_p4omhh45hgxxnq1re6ovy/cancel HTTP/1.1")
        #expect(request.header("Authorization") == "Bearer \(Self.key)")
        #expect(request.body.isEmpty)
        #expect((request.header("Content-Length") ?? "0") == "0")
    }

    @Test func cancellingAnUnknownRunIsNotFoundAndA5xxIsRetryable() async throws {
        let api = try LoopbackHTTPServer([(404, #"{"error":"Run not found"}"#), (502, "")])
        defer { api.stop() }
        #expect(try await client(api).cancel(runID: "run_gone") == .notFound)
        let error = await #expect(throws: ProviderError.self) { try await client(api).cancel(runID: "run_x") }
        #expect(error?.reason == .apiStatus && error?.isRetryable == true)
        #expect(error?.status == 502)
    }

    @Test func refusesWhatCannotBeSentBeforeSendingAnything() async throws {
        let api = try LoopbackHTTPServer([(200, #"{"id":"run_1"}"#)])
        defer { api.stop() }
        let client = client(api)
        for task in ["", "a/b", "..", "tasks?x=1", "tâche"] {
            let error = await #expect(throws: ProviderError.self) { try await client.trigger(task: task, payload: Self.payload) }
            #expect(error?.reason == .invalidArgument)
        }
        let tooMany = TriggerOptions(tags: (1...11).map { "tag\($0)" })
        let tooLong = TriggerOptions(tags: [String(repeating: "x", count: 128)])
        for options in [tooMany, tooLong, TriggerOptions(idempotencyKey: ""), TriggerOptions(ttl: .milliseconds(500))] {
            let error = await #expect(throws: ProviderError.self) {
                try await client.trigger(task: "t", payload: Self.payload, options: options)
            }
            #expect(error?.reason == .invalidArgument)
        }
        let error = await #expect(throws: ProviderError.self) { try await client.cancel(runID: "../tasks") }
        #expect(error?.reason == .invalidArgument)
        #expect(api.requests.isEmpty)
    }

    @Test func noClientWithoutAKey() {
        #expect(TriggerDevClient(configuration: TriggerDevConfiguration(), httpClient: URLSessionHTTPClient()) == nil)
        #expect(TriggerDevClient(configuration: TriggerDevConfiguration(apiKey: "k"), httpClient: URLSessionHTTPClient()) != nil)
    }
}
#endif
