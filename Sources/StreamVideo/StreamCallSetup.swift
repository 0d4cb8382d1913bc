public import Foundation

/// What a booking's video room is created with (providers.md §3.3 `GetOrCreateCallRequest`):
/// both participants as members with their call roles, automatic recording, screen sharing
/// (the host may share without asking), and the booking's id in `custom`. The same members
/// make up the call's chat channel (`StreamChatChannel`), and `mayShareScreen` says who keeps
/// the `screenshare` permission (`StreamClient.setUpRoom`).
public struct StreamCallSetup: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var userID: String
        public var name: String
        /// Call-level role: `host` for the expert, `call_member` for the customer.
        public var role: String
        /// Granted `screenshare` on this call when true (the expert), revoked when false (the
        /// customer), whatever the call type's role defaults say.
        public var mayShareScreen: Bool

        public init(userID: String, name: String, role: String, mayShareScreen: Bool = false) {
            self.userID = userID
            self.name = name
            self.role = role
            self.mayShareScreen = mayShareScreen
        }
    }

    public var callID: String
    public var startsAt: Date
    public var members: [Member]
    public var custom: [String: String]

    public init(callID: String, startsAt: Date, members: [Member], custom: [String: String]) {
        self.callID = callID
        self.startsAt = startsAt
        self.members = members
        self.custom = custom
    }

    /// The user every room is created by: this service, upserted with the members, since a
    /// booking may not have its expert (or customer) linked to a Stream user yet.
    public static let serviceUserID = "call-booking"

    /// Per-call settings. Recording starts by itself when the session does (`auto-on`), so
    /// nobody has to remember to press record; screen sharing is on without access requests.
    static var settingsOverride: [String: Any] {
        [
            "recording": ["mode": "auto-on", "audio_only": false, "quality": "720p"],
            "screensharing": ["enabled": true, "access_request_enabled": false],
        ]
    }

    /// Far more than a booking's two members (providers.md's example asks for 10).
    static let membersLimit = 25

    /// The JSON body of `POST /api/v2/video/call/{type}/{id}`.
    func body() -> [String: Any] {
        [
            "data": [
                "created_by_id": Self.serviceUserID,
                "starts_at": StreamTimestamp.format(self.startsAt),
                "members": self.members.map { ["user_id": $0.userID, "role": $0.role] },
                "custom": self.custom,
                "settings_override": Self.settingsOverride,
            ] as [String: Any],
            // The answer lists this many members: all of a booking's and any stale ones, which
            // `StreamMemberChanges` must see to remove them.
            "members_limit": Self.membersLimit,
            "ring": false,
            "notify": false,
            "video": true,
        ]
    }

    /// The JSON body of `POST /api/v2/users`: the service user and every member, app role
    /// `user` (call permissions come from the call roles above).
    func usersBody() -> [String: Any] {
        var users: [String: Any] = [
            Self.serviceUserID: ["id": Self.serviceUserID, "name": "Call booking", "role": "user"]
        ]
        for member in self.members {
            var user: [String: Any] = ["id": member.userID, "role": "user"]
            if !member.name.isEmpty { user["name"] = member.name }
            users[member.userID] = user
        }
        return ["users": users]
    }
}
