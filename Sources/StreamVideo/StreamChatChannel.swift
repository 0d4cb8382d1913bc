/// The chat of a booking's call. Stream Video has no chat of its own: its guides pair a call
/// with a Stream Chat channel of type `videocall` whose id is the call's id, which the apps
/// open by that name (`chatClient.channel("videocall", callId)`). Created through the Chat API
/// (`/api/v2/chat/channels/{type}/{id}`, the same host, key and server token as video), by the
/// service user, with the call's members as the channel's members.
public struct StreamChatChannel: Sendable, Equatable {
    /// The channel type of Stream's video-with-chat guides. It must exist in the Stream app
    /// (Chat → channel types); a missing type is a 4xx that fails the room setup job.
    public static let channelType = "videocall"

    public var id: String
    public var memberIDs: [String]
    public var custom: [String: String]

    public init(id: String, memberIDs: [String], custom: [String: String]) {
        self.id = id
        self.memberIDs = memberIDs
        self.custom = custom
    }

    /// The channel of a call: same id, the same members, the same `custom`.
    public init(for setup: StreamCallSetup) {
        self.init(id: setup.callID, memberIDs: setup.members.map(\.userID), custom: setup.custom)
    }

    /// `"videocall:<call id>"`, how Chat names the channel.
    public var cid: String { "\(Self.channelType):\(self.id)" }

    /// The JSON body of `POST …/query` (`ChannelGetOrCreateRequest`): created by the service
    /// user with the members; `state` asks for the channel's members in the answer, which an
    /// existing channel keeps whatever `data` says.
    func queryBody() -> [String: Any] {
        [
            "data": [
                "created_by_id": StreamCallSetup.serviceUserID,
                "members": self.memberIDs.map { ["user_id": $0] },
                "custom": self.custom,
            ] as [String: Any],
            "state": true,
        ]
    }

    /// Who to add to an existing channel and who to take off it (never the service user, which
    /// created it): empty when its members are the call's.
    func changes(from current: [String]) -> (add: [String], remove: [String]) {
        let wanted = Set(self.memberIDs)
        let present = Set(current)
        return (
            self.memberIDs.filter { !present.contains($0) },
            current.filter { !wanted.contains($0) && $0 != StreamCallSetup.serviceUserID }.sorted()
        )
    }
}
