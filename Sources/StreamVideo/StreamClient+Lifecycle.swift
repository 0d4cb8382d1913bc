import Foundation
public import OutboundHTTP

/// The calls a room needs after it was set up (paths as stream-py's video and chat clients
/// send them): reading its session, ending it, and keeping someone out.
extension StreamClient {
    /// `GET /api/v2/video/call/{type}/{id}`: the call's session as Stream sees it now.
    public func callSession(_ callID: String) async throws(ProviderError) -> StreamCallSession {
        try StreamCallSession(response: try await self.send("GET", try self.callPath(callID), body: nil))
    }

    /// `POST …/mark_ended` (`EndCall`): ends the call for everyone; nobody can join it again.
    public func endCall(_ callID: String) async throws(ProviderError) {
        _ = try await self.send("POST", try self.callPath(callID) + "/mark_ended", body: nil)
    }

    /// `POST …/block` (`BlockUserRequest`): the user is removed from the call and cannot join
    /// it again, whatever token they hold.
    public func blockUser(_ userID: String, inCall callID: String) async throws(ProviderError) {
        _ = try await self.send("POST", try self.callPath(callID) + "/block", body: ["user_id": userID])
    }

    /// `POST …/unblock` (`UnblockUserRequest`).
    public func unblockUser(_ userID: String, inCall callID: String) async throws(ProviderError) {
        _ = try await self.send("POST", try self.callPath(callID) + "/unblock", body: ["user_id": userID])
    }

    /// `PATCH /api/v2/chat/channels/videocall/{id}` (`UpdateChannelPartialRequest`) setting
    /// `frozen`: members can read the chat but no longer write to it.
    public func freezeChannel(of callID: String) async throws(ProviderError) {
        let path = try self.channelPath(StreamChatChannel(id: callID, memberIDs: [], custom: [:]))
        _ = try await self.send("PATCH", path, body: ["set": ["frozen": true]])
    }
}
