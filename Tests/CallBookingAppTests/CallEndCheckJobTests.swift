import BookingAPI
import BookingDomain
import Foundation
import StreamVideo
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// A call whose `call.session_ended` never arrived, settled by its end check on a real
/// PostgreSQL against an in-process Stream.
@Suite struct CallEndCheckJobTests {
    /// 09:00–09:30 on 2030-01-07; with the default grace the check is due at 10:30.
    static let start = Date.utc("2030-01-07T09:00:00Z")
    static let due = Date.utc("2030-01-07T10:30:00Z")

    func check(_ app: AppFixture, _ room: StreamRoomFake, at now: Date = Self.due) -> CallEndCheck {
        CallEndCheck(
            calls: app.calls, client: VideoJobTests.stream(RecordingHTTPClient { room.answer($0) }), callType: "consult",
            logger: AppFixture.logger, now: { now })
    }

    /// A booked call whose session started at 09:01 with the customer in it.
    func inProgress(_ app: AppFixture) async throws -> CallID {
        let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
        let id = try CallID(validating: booked.id)
        try await app.calls.transaction { transaction in
            _ = try transaction.recordParticipant(
                .init(userID: "user_c", sessionID: "s1", userSessionID: "us-c", streamRole: "call_member",
                      joinedAt: Self.start + 60, leftAt: Self.start + 1500, durationSeconds: 1440), of: id)
            try transaction.change(id, actor: "stream") { transaction.lifecycle.start($0, at: Self.start + 60) }
        }
        return id
    }

    func events(_ app: AppFixture, _ id: CallID) async throws -> [String] {
        try await app.pool.withConnection { connection in
            try connection.execute(
                "SELECT kind || ' ' || to_state AS e FROM calls.call_events WHERE call_id = $1::uuid ORDER BY id", [id.uuidString]
            ).rows.map { try $0.string("e") ?? "" }
        }
    }

    @Test func startingTheSessionPlansTheCheckAtTheEndPlusTheGrace() async throws {
        try await AppFixture.withFresh { app in
            _ = try await self.inProgress(app)
            let checks = try await app.queue.jobs(kind: CallEndCheckJob.name)
            #expect(checks.map(\.runAt) == [Self.due])
        }
    }

    @Test func aSessionStreamSaysEndedCompletesTheCallWithWhoeverItListed() async throws {
        try await AppFixture.withFresh { app in
            let id = try await self.inProgress(app)
            let room = StreamRoomFake(callType: "consult", callID: id.uuidString, callMembers: [:])
            room.session.withLock {
                $0 = #"{"started_at":"2030-01-07T09:01:00Z","ended_at":"2030-01-07T09:29:00Z","participants":[{"user":{"id":"user_expert1"},"user_session_id":"us-e","role":"host","joined_at":"2030-01-07T09:02:00Z"}]}"#
            }
            try await self.check(app, room).run(id, attempt: 1)
            let call = try #require(try await app.calls.find(id))
            #expect(call.state == .completed && call.endedAt == Date.utc("2030-01-07T09:29:00Z"))
            #expect(try await self.events(app, id).last == "session_end_confirmed COMPLETED")
            let expert = try await VideoRepository(pool: app.pool).attendance(of: id).filter { $0.role == .expert }
            #expect(expert.map(\.leftAt) == [Date.utc("2030-01-07T09:29:00Z")], "in the session until its end")
        }
    }

    @Test func anEndedSessionWithoutTheExpertIsTheirNoShow() async throws {
        try await AppFixture.withFresh { app in
            let id = try await self.inProgress(app)
            let room = StreamRoomFake(callType: "consult", callID: id.uuidString, callMembers: [:])
            room.session.withLock { $0 = #"{"started_at":"2030-01-07T09:01:00Z","ended_at":"2030-01-07T09:25:00Z","participants":[]}"# }
            try await self.check(app, room).run(id, attempt: 1)
            let call = try #require(try await app.calls.find(id))
            #expect(call.state == .noShow && call.noShowParty == .expert)
            #expect(try await self.events(app, id).last == "session_end_confirmed NO_SHOW")
        }
    }

    @Test func whenStreamHasNoSuchCallItCompletesAtTheLastAttendanceSeen() async throws {
        try await AppFixture.withFresh { app in
            let id = try await self.inProgress(app)
            let room = StreamRoomFake(callType: "consult", callID: id.uuidString)
            try await self.check(app, room).run(id, attempt: 1)
            let call = try #require(try await app.calls.find(id))
            #expect(call.state == .completed && call.endedAt == Self.start + 1500)
            #expect(try await self.events(app, id).last == "session_end_assumed COMPLETED")
        }
    }

    @Test func aLiveSessionIsLeftRunningAndCheckedAgain() async throws {
        try await AppFixture.withFresh { app in
            let id = try await self.inProgress(app)
            let room = StreamRoomFake(callType: "consult", callID: id.uuidString, callMembers: [:])
            room.session.withLock {
                $0 = #"{"started_at":"2030-01-07T09:01:00Z","ended_at":null,"participants":[{"user":{"id":"user_c"},"user_session_id":"us-c","role":"call_member","joined_at":"2030-01-07T09:01:00Z"}]}"#
            }
            try await self.check(app, room).run(id, attempt: 1)
            #expect(try await app.calls.find(id)?.state == .inProgress)
            let checks = try await app.queue.jobs(kind: CallEndCheckJob.name)
            #expect(checks.map(\.runAt) == [Self.due, Self.due + CallLifecycle.liveSessionRecheck])
        }
    }

    @Test func earlyChecksAskNobodyAndWaitForTheDeadline() async throws {
        try await AppFixture.withFresh { app in
            let id = try await self.inProgress(app)
            let room = StreamRoomFake(callType: "consult", callID: id.uuidString, callMembers: [:])
            try await self.check(app, room, at: Self.due - 60).run(id, attempt: 1)
            #expect(try await app.calls.find(id)?.state == .inProgress)
        }
    }

    @Test func aStreamOutageRetriesThenSettlesWithoutStream() async throws {
        try await AppFixture.withFresh { app in
            let id = try await self.inProgress(app)
            let down = CallEndCheck(
                calls: app.calls, client: VideoJobTests.stream(RecordingHTTPClient { _ in (503, #"{"message":"down","StatusCode":503}"#) }),
                callType: "consult", logger: AppFixture.logger, now: { Self.due })
            let failure = await #expect(throws: JobFailure.self) { try await down.run(id, attempt: 1) }
            #expect(failure?.permanent == false)
            #expect(try await app.calls.find(id)?.state == .inProgress)
            try await down.run(id, attempt: CallEndCheck.attemptsBeforeAssuming)
            #expect(try await app.calls.find(id)?.state == .completed)
            #expect(try await self.events(app, id).last == "session_end_assumed COMPLETED")
        }
    }
}
