public import Synchronization

/// Stream's API as far as one call's room goes, in process: get-or-create keeps an existing
/// call's members, the members and channel updates change them, and users are upserted. Answers
/// `RecordingHTTPClient` requests (`RecordingHTTPClient { fake.answer($0) }`).
public final class StreamRoomFake: Sendable {
    public let callPath: String
    public let channelPath: String
    public let callMembers: Mutex<[String: String]?>
    public let channelMembers: Mutex<[String]?>

    public init(callType: String, callID: String, callMembers: [String: String]? = nil, channelMembers: [String]? = nil) {
        self.callPath = "/api/v2/video/call/\(callType)/\(callID)"
        self.channelPath = "/api/v2/chat/channels/videocall/\(callID)"
        self.callMembers = Mutex(callMembers)
        self.channelMembers = Mutex(channelMembers)
    }

    public func answer(_ request: RecordingHTTPClient.Request) -> (status: Int, body: String)? {
        let body = request.json ?? [:]
        switch request.path {
        case self.callPath:
            let (created, members) = self.callMembers.withLock { members in
                let created = members == nil
                if created {
                    let listed = (body["data"] as? [String: Any])?["members"] as? [[String: String]] ?? []
                    members = Dictionary(uniqueKeysWithValues: listed.map { ($0["user_id"] ?? "", $0["role"] ?? "") })
                }
                return (created, members ?? [:])
            }
            let listed = members.map { #"{"user_id":"\#($0.key)","role":"\#($0.value)"}"# }.joined(separator: ",")
            return (201, #"{"created":\#(created),"call":{"id":"x"},"members":[\#(listed)],"duration":"1ms"}"#)
        case self.callPath + "/members":
            self.callMembers.withLock { members in
                for member in body["update_members"] as? [[String: String]] ?? [] {
                    members?[member["user_id"] ?? ""] = member["role"] ?? ""
                }
                for userID in body["remove_members"] as? [String] ?? [] { members?[userID] = nil }
            }
            return (200, #"{"members":[],"duration":"1ms"}"#)
        case self.channelPath + "/query":
            let members = self.channelMembers.withLock { members in
                if members == nil {
                    members = ((body["data"] as? [String: Any])?["members"] as? [[String: String]] ?? []).compactMap { $0["user_id"] }
                }
                return members ?? []
            }
            let listed = members.map { #"{"user_id":"\#($0)","channel_role":"channel_member"}"# }.joined(separator: ",")
            return (201, #"{"channel":{"cid":"videocall:x"},"members":[\#(listed)],"messages":[],"duration":"1ms"}"#)
        case self.channelPath:
            self.channelMembers.withLock { members in
                members? += (body["add_members"] as? [[String: String]] ?? []).compactMap { $0["user_id"] }
                let removed = Set(body["remove_members"] as? [String] ?? [])
                members?.removeAll { removed.contains($0) }
            }
            return (201, #"{"channel":{},"members":[],"duration":"1ms"}"#)
        default:
            return (201, #"{"users":{},"duration":"1ms"}"#)
        }
    }
}
