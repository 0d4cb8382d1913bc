import OutboundHTTP
import Foundation
import Synchronization
import Testing
import TestSupport

@testable import StreamVideo

/// `setUpRoom`: the call, its members after a change, screen sharing for the expert only, and
/// the chat channel, against an in-process Stream that keeps the state the requests change.
@Suite struct StreamRoomTests {
    static let callID = "6f1c2a3b-0000-4000-8000-0000000000aa"
    static let callPath = "/api/v2/video/call/default/\(callID)"
    static let channelPath = "/api/v2/chat/channels/videocall/\(callID)"

    static func setup(expert: String) -> StreamCallSetup {
        StreamCallSetup(
            callID: Self.callID, startsAt: Date(timeIntervalSince1970: 1_750_150_800),
            members: [
                .init(userID: expert, name: "Dr. \(expert)", role: "host", mayShareScreen: true),
                .init(userID: "user_customer", name: "Bo", role: "call_member"),
            ],
            custom: ["booking_id": Self.callID])
    }

    typealias Room = StreamRoomFake

    static func room(callMembers: [String: String]? = nil, channelMembers: [String]? = nil) -> Room {
        StreamRoomFake(callType: "default", callID: Self.callID, callMembers: callMembers, channelMembers: channelMembers)
    }

    func run(_ setup: StreamCallSetup, in room: Room) async throws -> (StreamClient.RoomReport, [RecordingHTTPClient.Request]) {
        let fake = RecordingHTTPClient { room.answer($0) }
        let report = try await StreamClient(configuration: StreamClientTests.configuration, httpClient: fake).setUpRoom(setup)
        return (report, fake.recorded)
    }

    static func summary(_ requests: [RecordingHTTPClient.Request]) -> [String] {
        requests.map { request in
            let path = request.path.replacingOccurrences(of: Self.callID, with: "{id}")
            guard let body = request.body, request.path.hasSuffix("/user_permissions") || request.path == Self.callPath + "/members"
                || request.path == Self.channelPath
            else { return "\(request.method) \(path)" }
            return "\(request.method) \(path) \(String(decoding: Self.canonical(body), as: UTF8.self))"
        }
    }

    static func canonical(_ body: Data) -> Data {
        (try? JSONSerialization.data(
            withJSONObject: JSONSerialization.jsonObject(with: body), options: [.sortedKeys, .withoutEscapingSlashes])) ?? body
    }

    @Test func aNewRoomHasItsMembersSharingForTheExpertOnlyAndItsChat() async throws {
        let room = Self.room()
        let (report, requests) = try await self.run(Self.setup(expert: "user_expert"), in: room)
        #expect(report == .init(created: true, memberChanges: .init(update: [], remove: []), chatChannelCID: "videocall:\(Self.callID)"))
        #expect(Self.summary(requests) == [
            "POST /api/v2/users",
            "POST /api/v2/video/call/default/{id}",
            #"POST /api/v2/video/call/default/{id}/user_permissions {"grant_permissions":["screenshare"],"user_id":"user_expert"}"#,
            #"POST /api/v2/video/call/default/{id}/user_permissions {"revoke_permissions":["screenshare"],"user_id":"user_customer"}"#,
            "POST /api/v2/chat/channels/videocall/{id}/query",
        ])
        let query = try #require(requests.last?.json)
        #expect(query["state"] as? Bool == true)
        let data = try #require(query["data"] as? [String: Any])
        #expect(data["created_by_id"] as? String == "call-booking")
        #expect(data["members"] as? [[String: String]] == [["user_id": "user_expert"], ["user_id": "user_customer"]])
        #expect(data["custom"] as? [String: String] == ["booking_id": Self.callID])
        for request in requests {
            #expect(request.url.query == "api_key=key123")
            #expect(request.headers["Authorization"] == StreamTokens.serverToken(secret: "sekret"))
        }
        #expect(room.channelMembers.withLock { $0 } == ["user_expert", "user_customer"])
    }

    @Test func aReassignedRoomGetsTheNewExpertAsHostAndLosesTheOldOne() async throws {
        let room = Self.room(
            callMembers: ["user_old": "host", "user_customer": "call_member"],
            channelMembers: ["user_old", "user_customer"])
        let (report, requests) = try await self.run(Self.setup(expert: "user_new"), in: room)
        #expect(!report.created)
        #expect(report.memberChanges.update.map(\.userID) == ["user_new"] && report.memberChanges.remove == ["user_old"])
        #expect(Self.summary(requests) == [
            "POST /api/v2/users",
            "POST /api/v2/video/call/default/{id}",
            #"POST /api/v2/video/call/default/{id}/members {"remove_members":["user_old"],"update_members":[{"role":"host","user_id":"user_new"}]}"#,
            #"POST /api/v2/video/call/default/{id}/user_permissions {"grant_permissions":["screenshare"],"user_id":"user_new"}"#,
            #"POST /api/v2/video/call/default/{id}/user_permissions {"revoke_permissions":["screenshare"],"user_id":"user_customer"}"#,
            #"POST /api/v2/video/call/default/{id}/user_permissions {"revoke_permissions":["screenshare"],"user_id":"user_old"}"#,
            "POST /api/v2/chat/channels/videocall/{id}/query",
            #"POST /api/v2/chat/channels/videocall/{id} {"add_members":[{"user_id":"user_new"}]}"#,
            #"POST /api/v2/chat/channels/videocall/{id} {"remove_members":["user_old"]}"#,
        ])
        #expect(room.callMembers.withLock { $0 } == ["user_new": "host", "user_customer": "call_member"])
        #expect(room.channelMembers.withLock { $0 } == ["user_customer", "user_new"])

        // Run again (a retry): nothing left to change, only the idempotent requests.
        let (again, repeated) = try await self.run(Self.setup(expert: "user_new"), in: room)
        #expect(again.memberChanges.isEmpty)
        #expect(!repeated.contains { $0.path.hasSuffix("/members") || $0.path == Self.channelPath })
    }

    @Test func aMemberWithTheWrongRoleIsUpdatedAndTheServiceUserStaysInTheChat() async throws {
        let room = Self.room(
            callMembers: ["user_expert": "call_member", "user_customer": "call_member"],
            channelMembers: ["call-booking", "user_expert", "user_customer"])
        let (report, requests) = try await self.run(Self.setup(expert: "user_expert"), in: room)
        #expect(report.memberChanges == .init(update: [Self.setup(expert: "user_expert").members[0]], remove: []))
        #expect(!requests.contains { $0.path == Self.channelPath })
        #expect(room.callMembers.withLock { $0 }?["user_expert"] == "host")
    }

    @Test func aFailingStepFailsTheWholeSetupSoTheJobRetriesIt() async {
        for failing in [Self.callPath + "/user_permissions", Self.channelPath + "/query", Self.callPath + "/members"] {
            let room = Self.room(callMembers: ["user_old": "host"], channelMembers: [])
            let fake = RecordingHTTPClient { request in
                request.path == failing ? (503, #"{"message":"unavailable","unrecoverable":false}"#) : room.answer(request)
            }
            await #expect(throws: ProviderError.self, "\(failing)") {
                _ = try await StreamClient(configuration: StreamClientTests.configuration, httpClient: fake)
                    .setUpRoom(Self.setup(expert: "user_expert"))
            }
            #expect(fake.recorded.last?.path == failing)
        }
    }

    @Test func memberChangesCompareRolesAndIDs() {
        let wanted = Self.setup(expert: "user_e").members
        #expect(StreamMemberChanges(from: ["user_e": "host", "user_customer": "call_member"], to: wanted).isEmpty)
        #expect(StreamMemberChanges(from: [:], to: wanted).update == wanted)
        #expect(StreamMemberChanges(from: ["b": "host", "a": "x"], to: []).remove == ["a", "b"])
    }
}
