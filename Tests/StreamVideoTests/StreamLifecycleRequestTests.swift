import Foundation
import OutboundHTTP
import Testing
import TestSupport

@testable import StreamVideo

/// After a room is set up: reading its session, ending it, blocking and unblocking a user, and
/// freezing its chat, byte for byte over a real socket against the requests stream-py sends
/// (`get_call`, `end_call`, `block_user`, `unblock_user`, `update_channel_partial`).
@Suite struct StreamLifecycleRequestTests {
    static let callID = "6f1c2a3b-0000-4000-8000-0000000000aa"
    static let ok = #"{"duration":"1ms"}"#

    func client(_ api: LoopbackHTTPServer) -> StreamClient {
        var configuration = StreamClientTests.configuration
        configuration.baseURL = api.baseURL
        return StreamClient(configuration: configuration, httpClient: URLSessionHTTPClient(timeout: .seconds(5)))
    }

    @Test func theSessionIsReadWithGetCall() async throws {
        let answer = """
            {"call":{"cid":"default:\(Self.callID)","ended_at":null,"blocked_user_ids":["user_old"],
            "session":{"id":"s1","started_at":"2025-06-17T09:00:41.123456Z","ended_at":"2025-06-17T09:31:10Z",
            "participants":[{"user":{"id":"user_customer","name":"Bo"},"user_session_id":"us1","role":"call_member",
            "joined_at":"2025-06-17T09:00:41.100000Z"}],"participants_count_by_role":{"call_member":1},
            "anonymous_participant_count":0,"accepted_by":{},"missed_by":{},"rejected_by":{}}},
            "members":[],"own_capabilities":[],"duration":"1ms"}
            """
        let api = try LoopbackHTTPServer([(200, answer)])
        defer { api.stop() }
        let session = try await self.client(api).callSession(Self.callID)
        let request = try #require(api.requests.first)
        #expect(request.requestLine == "GET /api/v2/video/call/default/\(Self.callID)?api_key=key123 HTTP/1.1")
        #expect(request.body.isEmpty && request.header("Content-Type") == nil)
        #expect(request.header("Authorization") == StreamTokens.serverToken(secret: "sekret"))
        #expect(session.hasSession && session.ended == Date(timeIntervalSince1970: 1_750_152_670))
        #expect(session.blockedUserIDs == ["user_old"])
        #expect(session.participants.map(\.userID) == ["user_customer"])
        #expect(session.participants.first?.userSessionID == "us1")
    }

    @Test func aCallWithoutASessionSaysSo() async throws {
        let api = try LoopbackHTTPServer([(200, #"{"call":{"cid":"default:x","session":null},"members":[],"duration":"1ms"}"#)])
        defer { api.stop() }
        let session = try await self.client(api).callSession(Self.callID)
        #expect(!session.hasSession && session.ended == nil && session.participants.isEmpty)
    }

    @Test func endingTheCallIsAnEmptyPostToMarkEnded() async throws {
        let api = try LoopbackHTTPServer([(201, Self.ok)])
        defer { api.stop() }
        try await self.client(api).endCall(Self.callID)
        let request = try #require(api.requests.first)
        #expect(request.requestLine == "POST /api/v2/video/call/default/\(Self.callID)/mark_ended?api_key=key123 HTTP/1.1")
        #expect(request.body.isEmpty)
    }

    @Test func blockingAndUnblockingNameTheUser() async throws {
        let api = try LoopbackHTTPServer([(201, Self.ok)])
        defer { api.stop() }
        try await self.client(api).blockUser("user_expert", inCall: Self.callID)
        try await self.client(api).unblockUser("user_expert", inCall: Self.callID)
        let requests = api.requests
        try #require(requests.count == 2)
        #expect(requests[0].requestLine == "POST /api/v2/video/call/default/\(Self.callID)/block?api_key=key123 HTTP/1.1")
        #expect(requests[0].bodyText == #"{"user_id":"user_expert"}"#)
        #expect(requests[0].header("Content-Type") == "application/json")
        #expect(requests[1].requestLine == "POST /api/v2/video/call/default/\(Self.callID)/unblock?api_key=key123 HTTP/1.1")
        #expect(requests[1].bodyText == #"{"user_id":"user_expert"}"#)
    }

    @Test func freezingTheChatIsAPartialUpdateOfTheChannel() async throws {
        let api = try LoopbackHTTPServer([(201, #"{"channel":{"frozen":true},"members":[],"duration":"1ms"}"#)])
        defer { api.stop() }
        try await self.client(api).freezeChannel(of: Self.callID)
        let request = try #require(api.requests.first)
        #expect(request.requestLine == "PATCH /api/v2/chat/channels/videocall/\(Self.callID)?api_key=key123 HTTP/1.1")
        #expect(request.bodyText == #"{"set":{"frozen":true}}"#)
    }

    @Test func aMissingCallIsA404TheCallerCanTellApart() async throws {
        let api = try LoopbackHTTPServer([(404, #"{"code":16,"message":"Can't find call with id","StatusCode":404}"#)])
        defer { api.stop() }
        let error = await #expect(throws: ProviderError.self) { try await self.client(api).endCall(Self.callID) }
        #expect(error?.status == 404 && error?.isRetryable == false)
    }
}
