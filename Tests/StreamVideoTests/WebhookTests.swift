import OutboundHTTP
import Foundation
import Testing

@testable import StreamVideo

/// `X-Signature` / `X-Api-Key` checks and the events of providers.md §4.2.
@Suite struct WebhookTests {
    static func verifier() throws -> StreamWebhookVerifier {
        try StreamWebhookVerifier(apiKey: "app-key", secret: "app-secret")
    }
    static let body = Array(#"{"type":"call.session_started","created_at":"2025-06-17T09:00:40.5Z","call_cid":"default:c1"}"#.utf8)

    static func refusal(
        signature: String?, apiKey: String? = "app-key", body: [UInt8] = WebhookTests.body
    ) throws -> ProviderError.Reason? {
        let verifier = try Self.verifier()
        do {
            try verifier.verify(signature: signature, apiKey: apiKey, body: body)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func theHMACOfTheRawBodyWithTheRightKeyIsAccepted() throws {
        let signature = try Self.verifier().signature(for: Self.body)
        #expect(signature.count == 64 && signature == signature.lowercased())
        #expect(try Self.refusal(signature: signature) == nil)
        #expect(try Self.refusal(signature: signature.uppercased()) == nil)
    }

    @Test func aKnownSignatureMatchesOpenSSL() throws {
        // printf '%s' '{"type":"x"}' | openssl dgst -sha256 -hmac app-secret
        let expected = "36c7ea2a74e93b1daf9a9cc0781915807810389aea54af42fb8a0587f1d8f221"
        #expect(try Self.verifier().signature(for: Array(#"{"type":"x"}"#.utf8)) == expected)
        #expect(try Self.refusal(signature: expected, body: Array(#"{"type":"x"}"#.utf8)) == nil)
    }

    @Test func everythingElseIsRefusedWithItsReason() throws {
        let signature = try Self.verifier().signature(for: Self.body)
        var altered = Self.body
        altered[altered.count - 3] = UInt8(ascii: "2")
        #expect(try Self.refusal(signature: signature, body: altered) == .signatureMismatch)
        #expect(try Self.refusal(signature: nil) == .missingSignature)
        #expect(try Self.refusal(signature: "zz") == .missingSignature)
        #expect(try Self.refusal(signature: String(repeating: "0", count: 64)) == .signatureMismatch)
        #expect(try Self.refusal(signature: signature, apiKey: "other-app") == .apiKeyMismatch)
        #expect(try Self.refusal(signature: signature, apiKey: nil) == .apiKeyMismatch)
        #expect(throws: ProviderError.self) { try StreamWebhookVerifier(apiKey: "k", secret: "") }
    }

    @Test func gzipIsTheHeadersOrTheMagicBytesAndOtherEncodingsAreRefused() throws {
        let gzipBytes: [UInt8] = [0x1f, 0x8b, 0x08]
        func encoding(_ header: String?, _ body: [UInt8] = WebhookTests.body) throws -> StreamWebhookVerifier.BodyEncoding {
            try StreamWebhookVerifier.encoding(contentEncoding: header, body: body)
        }
        #expect(try [nil, "", "identity", " Identity "].map { try encoding($0) } == [.identity, .identity, .identity, .identity])
        #expect(try ["gzip", "GZIP", "x-gzip"].map { try encoding($0) } == [.gzip, .gzip, .gzip])
        #expect(try [nil, "identity"].map { try encoding($0, gzipBytes) } == [.gzip, .gzip], "Stream's SDKs go by the magic bytes")
        for header in ["br", "deflate", "gzip, br", "zstd"] {
            let error = #expect(throws: ProviderError.self) { try encoding(header) }
            #expect(error?.reason == .unsupportedEncoding && error?.detail.contains("Content-Encoding \(header)") == true)
        }
    }

    static func parse(_ json: String) throws -> StreamWebhookEvent {
        try StreamWebhookEvent.parse(Array(json.utf8))
    }

    @Test func sessionStartedUsesTheSessionsStartTime() throws {
        let event = try Self.parse("""
            {"type":"call.session_started","created_at":"2025-06-17T09:00:41.123456789Z","call_cid":"default:c1",
             "session_id":"s1","call":{"cid":"default:c1","session":{"started_at":"2025-06-17T09:00:40Z"}}}
            """)
        #expect(event.callCID == "default:c1")
        #expect(event.callID(ofType: "default") == "c1")
        #expect(event.callID(ofType: "livestream") == nil)
        #expect(event.kind == .sessionStarted(sessionID: "s1", at: Date(timeIntervalSince1970: 1_750_150_840)))
        let created = event.createdAt.timeIntervalSince1970
        #expect(abs(created - 1_750_150_841.123456789) < 0.000_001, "nine fractional digits")
    }

    @Test func endedEventsCarryTheEndAndTheSessionsStart() throws {
        let ended = try Self.parse("""
            {"type":"call.session_ended","created_at":"2025-06-17T09:31:00Z","call_cid":"default:c1","session_id":"s1",
             "call":{"session":{"started_at":"2025-06-17T09:00:40Z","ended_at":"2025-06-17T09:30:40.5Z"}}}
            """)
        #expect(ended.kind == .ended(
            sessionID: "s1", at: Date(timeIntervalSince1970: 1_750_152_640.5), startedAt: Date(timeIntervalSince1970: 1_750_150_840)))
        let callEnded = try Self.parse(#"{"type":"call.ended","created_at":"2025-06-17T09:31:00Z","call_cid":"default:c1","call":{}}"#)
        #expect(callEnded.kind == .ended(sessionID: nil, at: Date(timeIntervalSince1970: 1_750_152_660), startedAt: nil))
    }

    @Test func participantEventsNameTheUserAndTheirSession() throws {
        let joined = try Self.parse("""
            {"type":"call.session_participant_joined","created_at":"2025-06-17T09:00:41Z","call_cid":"default:c1",
             "session_id":"s1","participant":{"user_session_id":"a1","role":"host","joined_at":"2025-06-17T09:00:41.1Z",
             "user":{"id":"user_host_01","name":"Alex","custom":{}}}}
            """)
        guard case .participantJoined(let participant) = joined.kind else {
            Issue.record("expected joined, got \(joined.kind)")
            return
        }
        #expect(participant.userID == "user_host_01" && participant.userSessionID == "a1" && participant.role == "host")
        #expect(abs((participant.joinedAt?.timeIntervalSince1970 ?? 0) - 1_750_150_841.1) < 0.000_001)
        let left = try Self.parse("""
            {"type":"call.session_participant_left","created_at":"2025-06-17T09:30:00Z","call_cid":"default:c1",
             "session_id":"s1","duration_seconds":1759,"participant":{"user_session_id":"a1","user":{"id":"user_host_01"}}}
            """)
        guard case .participantLeft(let leaving) = left.kind else {
            Issue.record("expected left, got \(left.kind)")
            return
        }
        #expect(leaving.durationSeconds == 1759 && leaving.joinedAt == nil)
        let older = try Self.parse("""
            {"type":"call.session_participant_joined","created_at":"2025-06-17T09:00:41Z","call_cid":"default:c1",
             "session_id":"s1","user":{"id":"user_old"}}
            """)
        guard case .participantJoined(let old) = older.kind else {
            Issue.record("expected joined, got \(older.kind)")
            return
        }
        #expect(old.userID == "user_old" && old.userSessionID == nil)
        #expect(throws: ProviderError.self) {
            try Self.parse(#"{"type":"call.session_participant_left","created_at":"2025-06-17T09:30:00Z","call_cid":"default:c1","participant":{}}"#)
        }
    }

    @Test func aDurationThatIsNoLengthOfTimeIsLeftOut() throws {
        for value in ["1e300", "9223372036854775807", "-5"] {
            let left = try Self.parse("""
                {"type":"call.session_participant_left","created_at":"2025-06-17T09:30:00Z","call_cid":"default:c1",
                 "session_id":"s1","duration_seconds":\(value),"participant":{"user":{"id":"user_host_01"}}}
                """)
            guard case .participantLeft(let participant) = left.kind else {
                Issue.record("expected left, got \(left.kind)")
                continue
            }
            #expect(participant.durationSeconds == nil, "\(value)")
        }
    }

    @Test func recordingEventsCarryTheRecordingOrTheFailure() throws {
        let ready = try Self.parse("""
            {"type":"call.recording_ready","created_at":"2025-06-17T09:34:02Z","call_cid":"default:c1","egress_id":"EG1",
             "recording_type":"composite","call_recording":{"filename":"rec.mp4",
             "url":"https://cdn.example/rec.mp4?Expires=1750756442&Signature=abc","start_time":"2025-06-17T09:00:45Z",
             "end_time":"2025-06-17T09:31:10Z","session_id":"s1","recording_type":"composite"}}
            """)
        guard case .recordingReady(let recording) = ready.kind else {
            Issue.record("expected a recording, got \(ready.kind)")
            return
        }
        #expect(recording.filename == "rec.mp4" && recording.sessionID == "s1")
        #expect(recording.urlExpiry == Date(timeIntervalSince1970: 1_750_756_442))
        let failed = try Self.parse("""
            {"type":"call.recording_failed","created_at":"2025-06-17T09:34:02Z","call_cid":"default:c1","egress_id":"EG1",
             "recording_type":"composite"}
            """)
        #expect(failed.kind == .recordingFailed(egressID: "EG1", recordingType: "composite"))
    }

    @Test func unknownTypesAreOtherAndBrokenBodiesAreMalformed() throws {
        #expect(try Self.parse(#"{"type":"call.member_added","created_at":"2025-06-17T09:34:02Z"}"#).kind == .other)
        for broken in [
            "not json", #"{"created_at":"2025-06-17T09:34:02Z"}"#, #"{"type":"call.ended"}"#,
            #"{"type":"call.session_started","created_at":"yesterday","call_cid":"default:c1"}"#,
            #"{"type":"call.session_started","created_at":"2025-06-17T09:34:02Z"}"#,
        ] {
            #expect(throws: ProviderError.self, "\(broken)") { try Self.parse(broken) }
        }
    }

    @Test func presignedS3URLsExpireAtTheirDatePlusTheirLifetime() {
        let recording = StreamRecording(
            filename: "r", url: "https://s3.example/r.mp4?X-Amz-Date=20250617T093402Z&X-Amz-Expires=3600&X-Amz-Signature=x")
        #expect(recording.urlExpiry == StreamTimestamp.parse("2025-06-17T10:34:02Z"))
        #expect(StreamRecording(filename: "r", url: "https://cdn.example/r.mp4").urlExpiry == nil)
    }
}
