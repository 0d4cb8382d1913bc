import BookingAPI
import BookingDomain
import Foundation
import StreamVideo
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// Rooms that must not outlive their calls, on a real PostgreSQL against an in-process Stream:
/// a cancelled call's room is ended and its chat frozen; a reassigned call's previous expert is
/// blocked, and unblocked when the call comes back to them.
@Suite struct RoomClosingTests {
    func closing(_ app: AppFixture, _ room: StreamRoomFake) -> VideoRoomClosing {
        VideoRoomClosing(
            calls: app.calls, experts: app.experts, client: VideoJobTests.stream(RecordingHTTPClient { room.answer($0) }),
            callType: "consult", logger: AppFixture.logger)
    }

    func setUp(_ app: AppFixture, _ room: StreamRoomFake, _ id: CallID) async throws {
        try await VideoRoomSetup(
            video: VideoRepository(pool: app.pool), client: VideoJobTests.stream(RecordingHTTPClient { room.answer($0) }),
            callType: "consult", logger: AppFixture.logger
        ).run(.init(callID: id))
    }

    func jobs(_ app: AppFixture, _ kind: String) async throws -> [JobStatus] { try await app.queue.jobs(kind: kind) }

    @Test func cancellingEndsTheRoomAndFreezesItsChat() async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let id = try CallID(validating: booked.id)
            let room = StreamRoomFake(callType: "consult", callID: booked.id)
            try await self.setUp(app, room, id)
            var cancel = CancelCallRequest()
            cancel.id = booked.id
            _ = try await app.callService.cancel(cancel, by: AppFixture.admin)
            #expect(try await self.jobs(app, RoomCloseJob.name).count == 1)

            try await self.closing(app, room).close(id)
            #expect(room.ended.withLock { $0 })
            #expect(room.chatFrozen.withLock { $0 })
        }
    }

    @Test func aRoomStreamNeverHadHasNothingToClose() async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let room = StreamRoomFake(callType: "consult", callID: booked.id)
            try await self.closing(app, room).close(try CallID(validating: booked.id))
            #expect(!room.ended.withLock { $0 })
        }
    }

    @Test func aStreamOutageRetriesTheClose() async throws {
        try await AppFixture.withFresh { app in
            let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let down = VideoRoomClosing(
                calls: app.calls, experts: app.experts,
                client: VideoJobTests.stream(RecordingHTTPClient { _ in (503, #"{"message":"down","StatusCode":503}"#) }),
                callType: "consult", logger: AppFixture.logger)
            let failure = await #expect(throws: JobFailure.self) { try await down.close(try CallID(validating: booked.id)) }
            #expect(failure?.permanent == false)
        }
    }

    @Test func theExpertACallWasTakenFromIsBlockedUntilItComesBack() async throws {
        try await AppFixture.withFresh { app in
            let first = try await app.expert(1)
            let second = try await app.expert(2)
            let booked = try await app.book(first, "2030-01-07T09:00:00Z")
            let id = try CallID(validating: booked.id)
            let room = StreamRoomFake(callType: "consult", callID: booked.id)
            try await self.setUp(app, room, id)

            var reassign = ReassignCallRequest()
            reassign.id = booked.id
            reassign.expertID = second.uuidString
            _ = try await app.callService.reassign(reassign, by: AppFixture.admin)
            let revokes = try await self.jobs(app, RoomAccessRevokeJob.name)
            #expect(revokes.count == 1)
            try await self.closing(app, room).revoke(first, from: id)
            try await self.setUp(app, room, id)
            #expect(room.blocked.withLock { $0 } == ["user_expert1"])
            #expect(room.callMembers.withLock { $0 } == ["user_expert2": "host", "user_c": "call_member"])

            // Back to the first expert: the members sync unblocks them, and a block that arrives
            // late is skipped.
            reassign.expertID = first.uuidString
            _ = try await app.callService.reassign(reassign, by: AppFixture.admin)
            try await self.setUp(app, room, id)
            #expect(room.blocked.withLock { $0 }.isEmpty)
            try await self.closing(app, room).revoke(first, from: id)
            #expect(room.blocked.withLock { $0 }.isEmpty)
            #expect(room.callMembers.withLock { $0 } == ["user_expert1": "host", "user_c": "call_member"])
            #expect(try await self.jobs(app, RoomAccessRevokeJob.name).count == 2, "one block of each expert moved away from")
        }
    }
}
