/// A call as get-or-create answers it: whether the request created it, and its members with
/// their call roles (`GetOrCreateCallResponse.members`, providers.md §3.3).
public struct StreamCallState: Sendable, Equatable {
    public var created: Bool
    /// User id → call role; "" when Stream lists a member without one.
    public var members: [String: String]
    /// `call.blocked_user_ids`: who may not join whatever their token says.
    public var blockedUserIDs: [String]

    public init(created: Bool, members: [String: String], blockedUserIDs: [String] = []) {
        self.created = created
        self.members = members
        self.blockedUserIDs = blockedUserIDs
    }

    /// Reads `created`, `members[].{user_id, role}` (members without a `user_id` are skipped)
    /// and `call.blocked_user_ids`.
    init(response object: [String: Any]) {
        var members: [String: String] = [:]
        for member in object["members"] as? [[String: Any]] ?? [] {
            guard let userID = member["user_id"] as? String else { continue }
            members[userID] = member["role"] as? String ?? ""
        }
        let blocked = (object["call"] as? [String: Any])?["blocked_user_ids"] as? [String] ?? []
        self.init(created: object["created"] as? Bool ?? false, members: members, blockedUserIDs: blocked)
    }
}

/// What brings an existing call's members in line with a booking: who to add or give another
/// role (`update_members`) and who is no longer on it (`remove_members`), such as the expert a
/// call was reassigned away from. Empty when the call is as it should be.
public struct StreamMemberChanges: Sendable, Equatable {
    public var update: [StreamCallSetup.Member]
    public var remove: [String]

    public init(update: [StreamCallSetup.Member], remove: [String]) {
        self.update = update
        self.remove = remove
    }

    public init(from current: [String: String], to wanted: [StreamCallSetup.Member]) {
        let wantedIDs = Set(wanted.map(\.userID))
        self.update = wanted.filter { current[$0.userID] != $0.role }
        self.remove = current.keys.filter { !wantedIDs.contains($0) }.sorted()
    }

    public var isEmpty: Bool { self.update.isEmpty && self.remove.isEmpty }

    /// The JSON body of `POST /api/v2/video/call/{type}/{id}/members` (`UpdateCallMembersRequest`).
    func body() -> [String: Any] {
        var body: [String: Any] = [:]
        if !self.update.isEmpty { body["update_members"] = self.update.map { ["user_id": $0.userID, "role": $0.role] } }
        if !self.remove.isEmpty { body["remove_members"] = self.remove }
        return body
    }
}

/// Per-call permissions of one user (`UpdateUserPermissionsRequest`): what a call's roles
/// would allow, narrowed or widened for this user on this call only.
public struct StreamPermissionChange: Sendable, Equatable {
    /// The capability of sharing a screen, as the permission API names it (with `send-audio`
    /// and `send-video`, the permissions a user can be granted or refused on a call).
    public static let screenshare = "screenshare"

    public var userID: String
    public var grant: [String]
    public var revoke: [String]

    public init(userID: String, grant: [String] = [], revoke: [String] = []) {
        self.userID = userID
        self.grant = grant
        self.revoke = revoke
    }

    /// The expert keeps screen sharing; everyone else on the call, or taken off it, loses it.
    static func screenSharing(of userID: String, allowed: Bool) -> Self {
        allowed ? Self(userID: userID, grant: [Self.screenshare]) : Self(userID: userID, revoke: [Self.screenshare])
    }

    /// The JSON body of `POST /api/v2/video/call/{type}/{id}/user_permissions`.
    func body() -> [String: Any] {
        var body: [String: Any] = ["user_id": self.userID]
        if !self.grant.isEmpty { body["grant_permissions"] = self.grant }
        if !self.revoke.isEmpty { body["revoke_permissions"] = self.revoke }
        return body
    }
}
