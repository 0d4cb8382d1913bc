import Foundation
import TestSupport
import OutboundHTTP
import Testing

@testable import StreamVideo

/// The client over a real socket: `URLSessionHTTPClient` (libcurl) against `LoopbackHTTPServer`,
/// byte for byte against the documented requests (providers.md §3.2, §3.3).
@Suite struct StreamClientLoopbackTests {
    @Test func roomSetupSendsTheDocumentedBytes() async throws {
        let api = try LoopbackHTTPServer([(201, #"{"users":{},"duration":"1ms"}"#), (201, StreamClientTests.created)])
        defer { api.stop() }
        var configuration = StreamClientTests.configuration
        configuration.baseURL = api.baseURL
        let client = StreamClient(configuration: configuration, httpClient: URLSessionHTTPClient(timeout: .seconds(5)))
        #expect(try await client.getOrCreateCall(StreamClientTests.setup).created)

        let requests = api.requests
        try #require(requests.count == 2)
        #expect(requests[0].requestLine == "POST /api/v2/users?api_key=key123 HTTP/1.1")
        #expect(requests[0].bodyText == """
            {"users":{"call-booking":{"id":"call-booking","name":"Call booking","role":"user"},\
            "user_customer":{"id":"user_customer","name":"Bo","role":"user"},\
            "user_expert":{"id":"user_expert","name":"Dr. Ada","role":"user"}}}
            """)
        let call = requests[1]
        #expect(call.requestLine == "POST /api/v2/video/call/default/6f1c2a3b-0000-4000-8000-0000000000aa?api_key=key123 HTTP/1.1")
        #expect(call.header("Authorization") == StreamTokens.serverToken(secret: "sekret"))
        #expect(call.header("stream-auth-type") == "jwt")
        #expect(call.header("Content-Type") == "application/json")
        #expect(call.bodyText == """
            {"data":{"created_by_id":"call-booking","custom":{"booking_id":"6f1c2a3b-0000-4000-8000-0000000000aa"},\
            "members":[{"role":"host","user_id":"user_expert"},{"role":"call_member","user_id":"user_customer"}],\
            "settings_override":{"recording":{"audio_only":false,"mode":"auto-on","quality":"720p"},\
            "screensharing":{"access_request_enabled":false,"enabled":true}},"starts_at":"2025-06-17T09:00:00Z"},\
            "members_limit":25,"notify":false,"ring":false,"video":true}
            """)
    }

    /// A room whose expert changed, over the socket: the members, permissions and chat
    /// requests byte for byte (`UpdateCallMembersRequest`, `UpdateUserPermissionsRequest`,
    /// `ChannelGetOrCreateRequest`, `UpdateChannelRequest`, as stream-py sends them).
    @Test func aReassignedRoomSendsTheDocumentedBytes() async throws {
        let existing = """
            {"created":false,"call":{"cid":"default:c1"},"duration":"1ms",\
            "members":[{"user_id":"user_old","role":"host"},{"user_id":"user_customer","role":"call_member"}]}
            """
        let channel = """
            {"channel":{"cid":"videocall:c1"},"duration":"1ms","messages":[],\
            "members":[{"user_id":"user_old","channel_role":"channel_member"},{"user_id":"user_customer"}]}
            """
        let api = try LoopbackHTTPServer([
            (201, #"{"users":{},"duration":"1ms"}"#), (201, existing), (200, #"{"members":[],"duration":"1ms"}"#),
            (201, #"{"duration":"1ms"}"#), (201, #"{"duration":"1ms"}"#), (201, #"{"duration":"1ms"}"#), (201, channel),
            (201, #"{"channel":{},"duration":"1ms"}"#),
        ])
        defer { api.stop() }
        var configuration = StreamClientTests.configuration
        configuration.baseURL = api.baseURL
        let client = StreamClient(configuration: configuration, httpClient: URLSessionHTTPClient(timeout: .seconds(5)))
        let setup = StreamCallSetup(
            callID: "c1", startsAt: Date(timeIntervalSince1970: 1_750_150_800),
            members: [
                .init(userID: "user_new", name: "Dr. New", role: "host", mayShareScreen: true),
                .init(userID: "user_customer", name: "Bo", role: "call_member"),
            ],
            custom: ["booking_id": "c1"])
        _ = try await client.setUpRoom(setup)

        let sent = api.requests.dropFirst(2).map { "\($0.requestLine) \($0.bodyText)" }
        #expect(sent == [
            #"POST /api/v2/video/call/default/c1/members?api_key=key123 HTTP/1.1 {"remove_members":["user_old"],"update_members":[{"role":"host","user_id":"user_new"}]}"#,
            #"POST /api/v2/video/call/default/c1/user_permissions?api_key=key123 HTTP/1.1 {"grant_permissions":["screenshare"],"user_id":"user_new"}"#,
            #"POST /api/v2/video/call/default/c1/user_permissions?api_key=key123 HTTP/1.1 {"revoke_permissions":["screenshare"],"user_id":"user_customer"}"#,
            #"POST /api/v2/video/call/default/c1/user_permissions?api_key=key123 HTTP/1.1 {"revoke_permissions":["screenshare"],"user_id":"user_old"}"#,
            #"POST /api/v2/chat/channels/videocall/c1/query?api_key=key123 HTTP/1.1 {"data":{"created_by_id":"call-booking","custom":{"booking_id":"c1"},"members":[{"user_id":"user_new"},{"user_id":"user_customer"}]},"state":true}"#,
            #"POST /api/v2/chat/channels/videocall/c1?api_key=key123 HTTP/1.1 {"add_members":[{"user_id":"user_new"}]}"#,
            #"POST /api/v2/chat/channels/videocall/c1?api_key=key123 HTTP/1.1 {"remove_members":["user_old"]}"#,
        ])
        for request in api.requests {
            #expect(request.header("Authorization") == StreamTokens.serverToken(secret: "sekret"))
            #expect(request.header("stream-auth-type") == "jwt")
            #expect(request.header("Content-Type") == "application/json")
        }
    }

    @Test func listingRecordingsIsABodilessGet() async throws {
        let api = try LoopbackHTTPServer([(200, #"{"recordings":[],"duration":"1ms"}"#)])
        defer { api.stop() }
        var configuration = StreamClientTests.configuration
        configuration.baseURL = api.baseURL
        let client = StreamClient(configuration: configuration, httpClient: URLSessionHTTPClient(timeout: .seconds(5)))
        #expect(try await client.listRecordings(callID: "c1").isEmpty)
        #expect(api.requests.map(\.requestLine) == ["GET /api/v2/video/call/default/c1/recordings?api_key=key123 HTTP/1.1"])
        #expect(api.requests.first?.body.isEmpty == true)
    }
}
