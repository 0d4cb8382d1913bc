public import Synchronization

/// Stream's API as far as one call's room goes, in process: get-or-create keeps an existing
/// call's members, the members and channel updates change them, users are upserted, a user can
/// be blocked and unblocked, the call ended (`mark_ended`) and the chat frozen. `GET` of the call
/// answers `session` as its `call.session` (404 while `callMembers` is nil: no call). Answers
/// `RecordingHTTPClient` requests (`RecordingHTTPClient { fake.answer($0) }`).
public final class StreamRoomFake: Sendable {
    public let callPath: String
    public let channelPath: String
    public let callMembers: Mutex<[String: String]?>
    public let channelMembers: Mutex<[String]?>
    /// `call.blocked_user_ids`.
    public let blocked = Mutex<Set<String>>([])
    public let ended = Mutex(false)
    public let chatFrozen = Mutex(false)
    /// The JSON of `call.session` that `GET` answers (`null`: no session).
    public let session = Mutex("null")

    public init(callType: String, callID: String, callMembers: [String: String]? = nil, channelMembers: [String]? = nil) {
        self.callPath = "/api/v2/video/call/\(callType)/\(callID)"
        self.channelPath = "/api/v2/chat/channels/videocall/\(callID)"
        self.callMembers = Mutex(callMembers)
        self.channelMembers = Mutex(channelMembers)
    }

    static let notFound = (404, #"{"code":16,"message":"Can't find call","StatusCode":404,"duration":"1ms"}"#)

    public func answer(_ request: RecordingHTTPClient.Request) -> (status: Int, body: String)? {
        let body = request.json ?? [:]
        let exists = self.callMembers.withLock { $0 != nil }
        switch (request.method, request.path) {
        case ("GET", self.callPath):
            guard exists else { return Self.notFound }
            let blocked = self.blocked.withLock { $0.sorted() }.map { #""\#($0)""# }.joined(separator: ",")
            return (200, #"{"call":{"blocked_user_ids":[\#(blocked)],"session":\#(self.session.withLock { $0 })},"members":[],"duration":"1ms"}"#)
        case ("POST", self.callPath + "/mark_ended"):
            guard exists else { return Self.notFound }
            self.ended.withLock { $0 = true }
            return (201, #"{"duration":"1ms"}"#)
        case ("POST", self.callPath + "/block"), ("POST", self.callPath + "/unblock"):
            guard exists, let user = body["user_id"] as? String else { return Self.notFound }
            if request.path.hasSuffix("/block") {
                self.blocked.withLock { _ = $0.insert(user) }
            } else {
                self.blocked.withLock { _ = $0.remove(user) }
            }
            return (201, #"{"duration":"1ms"}"#)
        case ("PATCH", self.channelPath):
            guard self.channelMembers.withLock({ $0 != nil }) else { return Self.notFound }
            let frozen = (body["set"] as? [String: Any])?["frozen"] as? Bool
            self.chatFrozen.withLock { $0 = frozen ?? $0 }
            return (200, #"{"channel":{},"members":[],"duration":"1ms"}"#)
        case (_, self.callPath):
            let (created, members) = self.callMembers.withLock { members in
                let created = members == nil
                if created {
                    let listed = (body["data"] as? [String: Any])?["members"] as? [[String: String]] ?? []
                    members = Dictionary(uniqueKeysWithValues: listed.map { ($0["user_id"] ?? "", $0["role"] ?? "") })
                }
                return (created, members ?? [:])
            }
            let listed = members.map { #"{"user_id":"\#($0.key)","role":"\#($0.value)"}"# }.joined(separator: ",")
            let blocked = self.blocked.withLock { $0.sorted() }.map { #""\#($0)""# }.joined(separator: ",")
            return (201, #"{"created":\#(created),"call":{"id":"x","blocked_user_ids":[\#(blocked)]},"members":[\#(listed)],"duration":"1ms"}"#)
        case (_, self.callPath + "/members"):
            self.callMembers.withLock { members in
                for member in body["update_members"] as? [[String: String]] ?? [] {
                    members?[member["user_id"] ?? ""] = member["role"] ?? ""
                }
                for userID in body["remove_members"] as? [String] ?? [] { members?[userID] = nil }
            }
            return (200, #"{"members":[],"duration":"1ms"}"#)
        case (_, self.channelPath + "/query"):
            let members = self.channelMembers.withLock { members in
                if members == nil {
                    members = ((body["data"] as? [String: Any])?["members"] as? [[String: String]] ?? []).compactMap { $0["user_id"] }
                }
                return members ?? []
            }
            let listed = members.map { #"{"user_id":"\#($0)","channel_role":"channel_member"}"# }.joined(separator: ",")
            return (201, #"{"channel":{"cid":"videocall:x"},"members":[\#(listed)],"messages":[],"duration":"1ms"}"#)
        case (_, self.channelPath):
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
