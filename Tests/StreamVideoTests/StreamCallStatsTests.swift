import Foundation
import TestSupport
import OutboundHTTP
import Testing

@testable import StreamVideo

/// Call quality: `call.stats_report_ready` and `GET …/stats/{session}` (`GetCallStatsResponse`,
/// as stream-go and stream-py name its fields).
@Suite struct StreamCallStatsTests {
    /// A report as Stream answers it, abridged: the figures call-booking reads, and others it keeps.
    static let report = """
        {"call_duration_seconds":1512,"call_status":"ended","duration":"3.20ms","max_freezes_duration_seconds":4,\
        "max_participants":2,"max_total_quality_limitation_duration_seconds":0,"publishing_participants":2,\
        "quality_score":87,"sfu_count":1,"participant_report":[],"sfus":[],\
        "jitter":{"average_seconds":0.012,"max_seconds":0.25},"latency":{"average_seconds":0.085,"max_seconds":0.4}}
        """

    @Test func theEventNamesTheCallAndItsSession() throws {
        let event = try StreamWebhookEvent.parse(Array("""
            {"type":"call.stats_report_ready","created_at":"2025-06-17T09:40:00.123456789Z","call_cid":"default:c1",
             "session_id":"5b1f3c2e-8a4d-4c1e-9f0a-1d2e3f4a5b6c","participants_overview":[],"is_trimmed":false}
            """.utf8))
        #expect(event.callID(ofType: "default") == "c1")
        #expect(event.kind == .statsReportReady(sessionID: "5b1f3c2e-8a4d-4c1e-9f0a-1d2e3f4a5b6c"))
        for broken in [
            #"{"type":"call.stats_report_ready","created_at":"2025-06-17T09:40:00Z","call_cid":"default:c1"}"#,
            #"{"type":"call.stats_report_ready","created_at":"2025-06-17T09:40:00Z","call_cid":"default:c1","session_id":""}"#,
            #"{"type":"call.stats_report_ready","created_at":"2025-06-17T09:40:00Z","session_id":"s1"}"#,
        ] {
            #expect(throws: ProviderError.self, "\(broken)") { try StreamWebhookEvent.parse(Array(broken.utf8)) }
        }
    }

    /// Over a real socket: a bodiless GET of the documented path, with the server token.
    @Test func fetchingAReportSendsTheDocumentedRequest() async throws {
        let api = try LoopbackHTTPServer([(200, Self.report)])
        defer { api.stop() }
        var configuration = StreamClientTests.configuration
        configuration.baseURL = api.baseURL
        let client = StreamClient(configuration: configuration, httpClient: URLSessionHTTPClient(timeout: .seconds(5)))
        let stats = try await client.callStats(callID: "c1", sessionID: "5b1f3c2e-8a4d-4c1e-9f0a-1d2e3f4a5b6c")
        let request = try #require(api.requests.first)
        #expect(api.requests.count == 1)
        #expect(request.requestLine
            == "GET /api/v2/video/call/default/c1/stats/5b1f3c2e-8a4d-4c1e-9f0a-1d2e3f4a5b6c?api_key=key123 HTTP/1.1")
        #expect(request.header("Authorization") == StreamTokens.serverToken(secret: "sekret"))
        #expect(request.header("stream-auth-type") == "jwt")
        #expect(request.header("Content-Type") == nil && request.body.isEmpty)
        #expect(stats.qualityScore == 87)
    }

    @Test func theReportsFiguresAreRead() async throws {
        let fake = RecordingHTTPClient { _ in (200, Self.report) }
        let stats = try await StreamClient(configuration: StreamClientTests.configuration, httpClient: fake)
            .callStats(callID: "c1", sessionID: "s1")
        #expect(stats.qualityScore == 87)
        #expect(stats.jitter == .init(averageSeconds: 0.012, maxSeconds: 0.25))
        #expect(stats.latency == .init(averageSeconds: 0.085, maxSeconds: 0.4))
        #expect(stats.maxFreezesDurationSeconds == 4 && stats.maxParticipants == 2)
        #expect(stats.callDurationSeconds == 1512 && stats.callStatus == "ended")
        #expect(stats.report == Self.report)
        // Jitter and latency are left out when Stream measured none.
        let bare = try StreamCallStats(response: Data(#"{"quality_score":0,"duration":"1ms"}"#.utf8))
        #expect(bare.qualityScore == 0 && bare.jitter == nil && bare.latency == nil && bare.maxParticipants == nil)
    }

    @Test func aMissingReportIsPermanentAndAnOutageIsNot() async {
        func failure(_ status: Int, _ body: String) async -> ProviderError? {
            do {
                _ = try await StreamClient(configuration: StreamClientTests.configuration, httpClient: RecordingHTTPClient { _ in (status, body) })
                    .callStats(callID: "c1", sessionID: "s1")
                return nil
            } catch {
                return error
            }
        }
        let missing = await failure(404, #"{"code":16,"message":"call stats not found","StatusCode":404}"#)
        #expect(missing?.status == 404 && missing?.isRetryable == false)
        #expect(missing?.detail.contains("call stats not found") == true)
        #expect(await failure(503, "{}")?.isRetryable == true)
        #expect(await failure(429, "{}")?.isRetryable == true)
        for malformed in ["[]", #"{"jitter":{"average_seconds":1,"max_seconds":1}}"#, #"{"quality_score":"high"}"#,
                          #"{"quality_score":50,"latency":{"average_seconds":-1,"max_seconds":1}}"#] {
            let error = await failure(200, malformed)
            #expect(error?.reason == .malformedResponse, "\(malformed)")
        }
    }

    @Test func aSessionIDStreamWouldRefuseIsNeverSent() async {
        let fake = RecordingHTTPClient { _ in (200, Self.report) }
        await #expect(throws: ProviderError.self) {
            try await StreamClient(configuration: StreamClientTests.configuration, httpClient: fake)
                .callStats(callID: "c1", sessionID: "../../users")
        }
        #expect(fake.recorded.isEmpty)
    }
}
