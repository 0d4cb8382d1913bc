public import OutboundHTTP
import Foundation

/// The Chat API calls a room's channel needs (`/api/v2/chat/channels/{type}/{id}`, as
/// stream-py's chat client sends them).
extension StreamClient {
    /// `POST …/query`: get-or-create the channel with its members. Returns the ids of the
    /// members the channel has now (an existing channel keeps its own).
    public func getOrCreateChannel(_ channel: StreamChatChannel) async throws(ProviderError) -> [String] {
        let path = try self.channelPath(channel) + "/query"
        let data = try await self.send("POST", path, body: channel.queryBody())
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            object["channel"] is [String: Any]
        else { throw ProviderError(.stream, .malformedResponse, "POST \(path): no channel in the response") }
        return (object["members"] as? [[String: Any]] ?? []).compactMap { $0["user_id"] as? String }
    }

    /// `POST …` (`UpdateChannelRequest`) with `add_members`, then with `remove_members`: one
    /// kind of change per request, so no request depends on Stream accepting the two together.
    /// Callers send only the differences (`StreamChatChannel.changes`): a repeat sends nothing.
    public func updateChannelMembers(_ channel: StreamChatChannel, add: [String], remove: [String])
        async throws(ProviderError)
    {
        let path = try self.channelPath(channel)
        if !add.isEmpty { _ = try await self.send("POST", path, body: ["add_members": add.map { ["user_id": $0] }]) }
        if !remove.isEmpty { _ = try await self.send("POST", path, body: ["remove_members": remove]) }
    }

    /// `/api/v2/chat/channels/{type}/{id}`, for an id Stream accepts (never sent otherwise).
    func channelPath(_ channel: StreamChatChannel) throws(ProviderError) -> String {
        guard StreamIdentifier.isValid(channel.id) else {
            throw ProviderError(.stream, .invalidArgument, "a Stream channel id must be letters, digits, - or _")
        }
        return "/api/v2/chat/channels/\(StreamChatChannel.channelType)/\(channel.id)"
    }
}
