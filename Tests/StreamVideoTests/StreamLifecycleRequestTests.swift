import Foundation
import OutboundHTTP
import Testing
import TestSupport

@testable import StreamVideo

/// After a room is set up: reading its session, ending it, blocking and unblocking a user, and
/// freezing its chat, against the requests stream-py sends (`get_call`, `end_call`,
/// `block_user`, `unblock_user`, `update_channel_partial`): method, path, query, headers and
/// body bytes as the client hands them to the transport (`StreamClientLoopbackTests` checks
/// that transport over a real socket).
@Suite struct StreamLifecycleRequestTests {
    static let callID = "6f1c2a3b-0000-4000-8000-0000000000aa"
    static let ok = #"{"duration":"1ms"}"#

    func client(_ api: RecordingHTTPClient) -> StreamClient {
        StreamClient(configuration: StreamClientTests.configuration, httpClient: api)
    }

    /// `METHOD /path?query`, as a request line names it.
    func line(_ request: RecordingHTTPClient.Request) -> String {
        "\(request.method) \(request.url.path)?\(request.url.query ?? "")"
    }

    func bodyText(_ request: RecordingHTTPClient.Request) -> String? { request.body.map { String(decoding: $0, as: UTF8.self) } }

    @Test func theSessionIsReadWithGetCall() async throws {
        let answer = """
            {"call":{"cid":"default:\(Self.callID)","ended_at":null,"blocked_user_ids":["user_old"],
            "session":{"id":"s1","started_at":"2025-06-17T09:00:41.123456Z","ended_at":"2025-06-17T09:31:10Z",
            "participants":[{"user":{"id":"user_customer","name":"Bo"},"user_session_id":"us1","role":"call_member",
            "joined_at":"2025-06-17T09:00:41.100000Z"}],"participants_count_by_role":{"call_member":1},
            "anonymous_participant_count":0,"accepted_by":{},"missed_by":{},"rejected_by":{}}},
            "members":[],"own_capabilities":[],"duration":"1ms"}
            """
        let api = RecordingHTTPClient { _ in (200, answer) }
        let session = try await self.client(api).callSession(Self.callID)
        let request = try #require(api.recorded.first)
        #expect(self.line(request) == "GET /api/v2/video/call/default/\(Self.callID)?api_key=key123")
        #expect(request.body == nil && request.headers["Content-Type"] == nil)
        #expect(request.headers["Authorization"] == StreamTokens.serverToken(secret: "sekret"))
        #expect(request.headers["stream-auth-type"] == "jwt")
        #expect(session.hasSession && session.ended == Date(timeIntervalSince1970: 1_750_152_670))
        #expect(session.blockedUserIDs == ["user_old"])
        #expect(session.participants.map(\.userID) == ["user_customer"])
        #expect(session.participants.first?.userSessionID == "us1")
    }

    @Test func aCallWithoutASessionSaysSo() async throws {
        let api = RecordingHTTPClient { _ in (200, #"{"call":{"cid":"default:x","session":null},"members":[],"duration":"1ms"}"#) }
        let session = try await self.client(api).callSession(Self.callID)
        #expect(!session.hasSession && session.ended == nil && session.participants.isEmpty)
    }

    @Test func endingTheCallIsAnEmptyPostToMarkEnded() async throws {
        let api = RecordingHTTPClient { _ in (201, Self.ok) }
        try await self.client(api).endCall(Self.callID)
        let request = try #require(api.recorded.first)
        #expect(self.line(request) == "POST /api/v2/video/call/default/\(Self.callID)/mark_ended?api_key=key123")
        #expect(request.body == nil)
    }

    @Test func blockingAndUnblockingNameTheUser() async throws {
        let api = RecordingHTTPClient { _ in (201, Self.ok) }
        try await self.client(api).blockUser("user_expert", inCall: Self.callID)
        try await self.client(api).unblockUser("user_expert", inCall: Self.callID)
        let requests = api.recorded
        try #require(requests.count == 2)
        #expect(self.line(requests[0]) == "POST /api/v2/video/call/default/\(Self.callID)/block?api_key=key123")
        #expect(self.bodyText(requests[0]) == #"{"user_id":"user_expert"}"#)
        #expect(requests[0].headers["Content-Type"] == "application/json")
        #expect(self.line(requests[1]) == "POST /api/v2/video/call/default/\(Self.callID)/unblock?api_key=key123")
        #expect(self.bodyText(requests[1]) == #"{"user_id":"user_expert"}"#)
    }

    @Test func freezingTheChatIsAPartialUpdateOfTheChannel() async throws {
        let api = RecordingHTTPClient { _ in (201, #"{"channel":{"frozen":true},"members":[],"duration":"1ms"}"#) }
        try await self.client(api).freezeChannel(of: Self.callID)
        let request = try #require(api.recorded.first)
        #expect(self.line(request) == "PATCH /api/v2/chat/channels/videocall/\(Self.callID)?api_key=key123")
        #expect(self.bodyText(request) == #"{"set":{"frozen":true}}"#)
    }

    @Test func aMissingCallIsA404TheCallerCanTellApart() async throws {
        let api = RecordingHTTPClient { _ in (404, #"{"code":16,"message":"Can't find call with id","StatusCode":404}"#) }
        let error = await #expect(throws: ProviderError.self) { try await self.client(api).endCall(Self.callID) }
        #expect(error?.status == 404 && error?.isRetryable == false)
    }
}
