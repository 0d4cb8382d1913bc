public import OutboundHTTP

/// A booking's whole room: the call, its members, who may share a screen, and its chat.
extension StreamClient {
    /// What `setUpRoom` found and changed.
    public struct RoomReport: Sendable, Equatable {
        /// This run created the call (a first run, not a retry or a member change).
        public var created: Bool
        /// Members given their role or taken off the call (empty when they were right).
        public var memberChanges: StreamMemberChanges
        /// The chat channel, `videocall:<call id>`.
        public var chatChannelCID: String
    }

    /// Makes the booking's room what `setup` says, idempotently, so the room-setup job can run
    /// it again after a failure or after the booking's people changed:
    ///
    /// 1. upserts the users and get-or-creates the call (`getOrCreateCall`);
    /// 2. a member Stream has blocked (an expert the call was taken from and given back) is
    ///    unblocked;
    /// 3. when the call existed with other members (a reassigned expert, a customer who
    ///    claimed a Calendly booking), `POST …/members` gives the new ones their roles and
    ///    removes the rest: the old expert is no longer its host;
    /// 4. `POST …/user_permissions` grants `screenshare` to whoever may share (the expert) and
    ///    revokes it from the others, and from anyone just removed;
    /// 5. get-or-creates the chat channel and adds or removes members to match.
    ///
    /// Any failure throws: the job retries the whole sequence, whose steps are all repeats.
    public func setUpRoom(_ setup: StreamCallSetup) async throws(ProviderError) -> RoomReport {
        let state = try await self.getOrCreateCall(setup)
        for member in setup.members where state.blockedUserIDs.contains(member.userID) {
            try await self.unblockUser(member.userID, inCall: setup.callID)
        }
        let changes = StreamMemberChanges(from: state.members, to: setup.members)
        if !changes.isEmpty { try await self.updateCallMembers(setup.callID, changes) }
        for member in setup.members {
            try await self.updateUserPermissions(
                setup.callID, .screenSharing(of: member.userID, allowed: member.mayShareScreen))
        }
        for userID in changes.remove {
            try await self.updateUserPermissions(setup.callID, .screenSharing(of: userID, allowed: false))
        }
        let channel = StreamChatChannel(for: setup)
        let present = try await self.getOrCreateChannel(channel)
        let (add, remove) = channel.changes(from: present)
        try await self.updateChannelMembers(channel, add: add, remove: remove)
        return RoomReport(created: state.created, memberChanges: changes, chatChannelCID: channel.cid)
    }

    /// `POST /api/v2/video/call/{type}/{id}/members` (`UpdateCallMembersRequest`).
    public func updateCallMembers(_ callID: String, _ changes: StreamMemberChanges) async throws(ProviderError) {
        _ = try await self.send("POST", try self.callPath(callID) + "/members", body: changes.body())
    }

    /// `POST /api/v2/video/call/{type}/{id}/user_permissions` (`UpdateUserPermissionsRequest`).
    public func updateUserPermissions(_ callID: String, _ change: StreamPermissionChange) async throws(ProviderError) {
        _ = try await self.send("POST", try self.callPath(callID) + "/user_permissions", body: change.body())
    }
}
