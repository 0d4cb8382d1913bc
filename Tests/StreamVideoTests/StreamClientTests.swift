import Foundation
import OutboundHTTP
import Synchronization
import Testing
import TestSupport

@testable import StreamVideo

/// An in-process Stream: records every request and answers from `respond`.
@Suite struct StreamClientTests {
    static let configuration = StreamConfiguration(
        apiKey: "key123", secret: "sekret", baseURL: URL(string: "http://127.0.0.1:9999/")!, callType: "default")
    static let setup = StreamCallSetup(
        callID: "6f1c2a3b-0000-4000-8000-0000000000aa", startsAt: Date(timeIntervalSince1970: 1_750_150_800),
        members: [
            .init(userID: "user_expert", name: "Dr. Ada", role: "host"),
            .init(userID: "user_customer", name: "Bo", role: "call_member"),
        ],
        custom: ["booking_id": "6f1c2a3b-0000-4000-8000-0000000000aa"])
    static let created = #"{"created":true,"call":{"cid":"default:6f1c2a3b-0000-4000-8000-0000000000aa"},"members":[],"duration":"1ms"}"#

    /// The request shape of providers.md §3.2/§3.3: users first, then get-or-create with the
    /// members, their roles and the settings, `?api_key=`, the server JWT without "Bearer".
    @Test func getOrCreateSendsTheDocumentedRequests() async throws {
        let fake = RecordingHTTPClient { request in request.path == "/api/v2/users" ? (201, #"{"users":{}}"#) : (201, Self.created) }
        let created = try await StreamClient(configuration: Self.configuration, httpClient: fake).getOrCreateCall(Self.setup)
        #expect(created.created)
        let requests = fake.recorded
        try #require(requests.count == 2)
        for request in requests {
            #expect(request.method == "POST")
            #expect(request.url.query == "api_key=key123")
            #expect(request.headers["stream-auth-type"] == "jwt")
            #expect(request.headers["Content-Type"] == "application/json")
            #expect(request.headers["Authorization"] == StreamTokens.serverToken(secret: "sekret"))
        }
        #expect(requests[0].path == "/api/v2/users")
        let users = try #require(requests[0].json?["users"] as? [String: [String: String]])
        #expect(users["user_expert"] == ["id": "user_expert", "name": "Dr. Ada", "role": "user"])
        #expect(users["call-booking"]?["id"] == "call-booking")
        #expect(requests[1].path == "/api/v2/video/call/default/6f1c2a3b-0000-4000-8000-0000000000aa")
        let body = try #require(requests[1].json)
        let data = try #require(body["data"] as? [String: Any])
        #expect(data["created_by_id"] as? String == "call-booking")
        #expect(data["starts_at"] as? String == "2025-06-17T09:00:00Z")
        #expect(data["members"] as? [[String: String]] == [
            ["user_id": "user_expert", "role": "host"], ["user_id": "user_customer", "role": "call_member"],
        ])
        #expect(data["custom"] as? [String: String] == ["booking_id": "6f1c2a3b-0000-4000-8000-0000000000aa"])
        let settings = try #require(data["settings_override"] as? [String: [String: Any]])
        #expect(settings["recording"]?["mode"] as? String == "auto-on")
        #expect(settings["screensharing"]?["enabled"] as? Bool == true)
        #expect(body["ring"] as? Bool == false && body["notify"] as? Bool == false)
    }

    @Test func errorsSayWhetherARetryCanHelp() async {
        func failure(_ status: Int, _ body: String) async -> ProviderError? {
            let fake = RecordingHTTPClient { _ in (status, body) }
            do {
                try await StreamClient(configuration: Self.configuration, httpClient: fake).getOrCreateCall(Self.setup)
                return nil
            } catch {
                return error
            }
        }
        let unrecoverable = await failure(
            400, #"{"code":4,"message":"GetOrCreateCall failed","StatusCode":400,"unrecoverable":true}"#)
        #expect(unrecoverable?.reason == .apiStatus && unrecoverable?.isRetryable == false)
        #expect(unrecoverable?.detail.contains("GetOrCreateCall failed") == true)
        #expect(await failure(503, "upstream down")?.isRetryable == true)
        #expect(await failure(429, #"{"message":"slow down"}"#)?.isRetryable == true)
        #expect(await failure(403, #"{"message":"bad key"}"#)?.isRetryable == false)
        #expect(await failure(200, "[]")?.reason == .malformedResponse)
        let unreachable: ProviderError?
        do {
            try await StreamClient(configuration: Self.configuration, httpClient: RecordingHTTPClient.unreachable())
                .getOrCreateCall(Self.setup)
            unreachable = nil
        } catch {
            unreachable = error
        }
        #expect(unreachable?.reason == .apiUnreachable && unreachable?.isRetryable == true)
    }

    @Test func aCallIDStreamWouldRefuseIsNeverSent() async {
        var setup = Self.setup
        setup.callID = "../admin"
        let fake = RecordingHTTPClient { _ in (200, "{}") }
        await #expect(throws: ProviderError.self) {
            try await StreamClient(configuration: Self.configuration, httpClient: fake).getOrCreateCall(setup)
        }
        #expect(fake.recorded.isEmpty)
    }

    @Test func listRecordingsReadsFreshSignedURLs() async throws {
        let fake = RecordingHTTPClient { _ in
            (200, """
                {"duration":"2ms","recordings":[{"filename":"rec.mp4","url":"https://cdn.example/rec.mp4?Expires=1900000000",
                 "start_time":"2025-06-17T09:00:45.123456789Z","end_time":"2025-06-17T09:31:10Z","session_id":"s1",
                 "recording_type":"composite"}]}
                """)
        }
        let recordings = try await StreamClient(configuration: Self.configuration, httpClient: fake)
            .listRecordings(callID: "c1")
        #expect(fake.recorded.map { "\($0.method) \($0.path)" } == ["GET /api/v2/video/call/default/c1/recordings"])
        #expect(fake.recorded.first?.body == nil)
        #expect(recordings.map(\.filename) == ["rec.mp4"])
        #expect(recordings.first?.urlExpiry == Date(timeIntervalSince1970: 1_900_000_000))
        let malformed = RecordingHTTPClient { _ in (200, #"{"recordings":[{"url":"x"}]}"#) }
        await #expect(throws: ProviderError.self) {
            try await StreamClient(configuration: Self.configuration, httpClient: malformed).listRecordings(callID: "c1")
        }
    }
}

@Suite struct StreamConfigurationTests {
    @Test func theKeysAreRequiredAndNamedWhenMissing() {
        for missing in ["STREAM_API_KEY", "STREAM_SECRET_KEY"] {
            var environment = ["STREAM_API_KEY": "k", "STREAM_SECRET_KEY": "s"]
            environment[missing] = "  "
            do {
                _ = try StreamConfiguration(environment: environment)
                Issue.record("expected an error for \(missing)")
            } catch {
                #expect(error.reason == .invalidConfiguration && error.detail == "\(missing) is not set")
            }
        }
    }

    @Test func defaultsAndOverrides() throws {
        let defaults = try StreamConfiguration(environment: ["STREAM_API_KEY": "k", "STREAM_SECRET_KEY": "s"])
        #expect(defaults.baseURL == StreamConfiguration.defaultBaseURL)
        #expect(defaults.callType == "default" && defaults.tokenGrace == .seconds(3600))
        #expect(defaults.webhookTolerance == .seconds(300))
        let custom = try StreamConfiguration(environment: [
            "STREAM_API_KEY": "k", "STREAM_SECRET_KEY": "s", "STREAM_BASE_URL": "http://127.0.0.1:7000",
            "STREAM_CALL_TYPE": "consult", "STREAM_TOKEN_GRACE_MINUTES": "15", "STREAM_WEBHOOK_TOLERANCE_SECONDS": "60",
        ])
        #expect(custom.baseURL.absoluteString == "http://127.0.0.1:7000" && custom.callType == "consult")
        #expect(custom.tokenGrace == .seconds(900) && custom.webhookTolerance == .seconds(60))
        for (name, value) in [
            ("STREAM_BASE_URL", "ftp://x"), ("STREAM_CALL_TYPE", "a:b"), ("STREAM_TOKEN_GRACE_MINUTES", "-1"),
            ("STREAM_WEBHOOK_TOLERANCE_SECONDS", "0"), ("STREAM_WEBHOOK_TOLERANCE_SECONDS", "31536001"),
        ] {
            #expect(throws: ProviderError.self, "\(name)=\(value)") {
                try StreamConfiguration(environment: ["STREAM_API_KEY": "k", "STREAM_SECRET_KEY": "s", name: value])
            }
        }
    }
}
