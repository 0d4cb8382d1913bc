import BookingAPI
import BookingDomain
import Foundation
import StreamVideo
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// The video jobs on a real PostgreSQL against an in-process Stream: the room set up with the
/// call's members, and a session's quality report fetched and stored.
@Suite struct VideoJobTests {
    static func stream(_ api: RecordingHTTPClient) -> StreamClient {
        StreamClient(
            configuration: StreamConfiguration(
                apiKey: "key", secret: "secret", baseURL: URL(string: "http://stream.test/")!, callType: "consult"),
            httpClient: api)
    }

    @Test func theRoomIsSetUpWithTheExpertAsHostAndTheCustomerAsMember() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let booked = try await app.book(expert, "2030-01-07T09:00:00Z")
            let room = StreamRoomFake(callType: "consult", callID: booked.id)
            let api = RecordingHTTPClient { room.answer($0) }
            let job = VideoRoomSetup(
                video: VideoRepository(pool: app.pool), client: Self.stream(api), callType: "consult", logger: AppFixture.logger)
            try await job.run(.init(callID: CallID(validating: booked.id)))
            #expect(room.callMembers.withLock { $0 } == ["user_expert1": "host", "user_c": "call_member"])
            #expect(api.recorded.contains { $0.path == room.callPath + "/user_permissions" })
        }
    }

    @Test func aCancelledCallGetsNoRoom() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let booked = try await app.book(expert, "2030-01-07T09:00:00Z")
            var cancel = CancelCallRequest()
            cancel.id = booked.id
            _ = try await app.callService.cancel(cancel, by: AppFixture.admin)
            let api = RecordingHTTPClient.unreachable()
            let job = VideoRoomSetup(
                video: VideoRepository(pool: app.pool), client: Self.stream(api), callType: "consult", logger: AppFixture.logger)
            try await job.run(.init(callID: CallID(validating: booked.id)))
            #expect(api.recorded.isEmpty)
        }
    }

    @Test func aSessionsQualityReportIsFetchedAndStoredAndA404IsFinal() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let booked = try await app.book(expert, "2030-01-07T09:00:00Z")
            let id = try CallID(validating: booked.id)
            let report = #"{"call_duration_seconds":1800,"quality_score":90,"jitter":{"average_seconds":0.01,"max_seconds":0.05},"latency":{"average_seconds":0.1,"max_seconds":0.2},"participant_count":2,"duration":"1ms"}"#
            let api = RecordingHTTPClient { request in
                request.path.hasSuffix("/stats/s1") ? (200, report) : (404, #"{"code":16,"message":"not found","StatusCode":404}"#)
            }
            let job = CallQualityFetch(
                quality: CallQualityRepository(pool: app.pool), client: Self.stream(api), callType: "consult",
                logger: AppFixture.logger)
            try await job.run(.init(callID: id, sessionID: "s1"))
            #expect(api.recorded.map(\.path) == ["/api/v2/video/call/consult/\(booked.id)/stats/s1"])
            let stored = try await app.pool.withConnection { connection in
                try connection.execute(
                    "SELECT quality_score FROM calls.call_quality WHERE call_id = $1::uuid AND session_id = 's1'", [booked.id]
                ).first?.int("quality_score")
            }
            #expect(stored == 90)
            let failure = await #expect(throws: JobFailure.self) { try await job.run(.init(callID: id, sessionID: "s2")) }
            #expect(failure?.permanent == true)
        }
    }
}
