public import Foundation
import OutboundHTTP

/// What `GET /api/v2/video/call/{type}/{id}` says of a call's session (`CallResponse.session`,
/// `CallSessionResponse` in stream-py's models): when it started and ended, who is in it now,
/// and when the call itself was ended (`mark_ended`).
public struct StreamCallSession: Sendable, Equatable {
    /// A participant the session lists (`CallParticipantResponse`).
    public struct Participant: Sendable, Equatable {
        public var userID: String
        public var userSessionID: String?
        public var role: String?
        public var joinedAt: Date
    }

    /// Nil when the call has no session (nobody ever joined, or it was never created).
    public var startedAt: Date?
    /// The session's end; nil while it runs (or when there is none).
    public var endedAt: Date?
    /// `call.ended_at`: the call was ended for everyone.
    public var callEndedAt: Date?
    public var hasSession: Bool
    public var participants: [Participant]
    /// `call.blocked_user_ids`.
    public var blockedUserIDs: [String]

    /// The session's end, else the call's.
    public var ended: Date? { self.endedAt ?? self.callEndedAt }

    init(response body: Data) throws(ProviderError) {
        struct Wire: Decodable {
            struct Call: Decodable {
                var ended_at: String?
                var blocked_user_ids: [String]?
                var session: Session?
            }
            struct Session: Decodable {
                var started_at: String?
                var ended_at: String?
                var participants: [Participant]?
            }
            struct Participant: Decodable {
                struct User: Decodable { var id: String }
                var user: User
                var user_session_id: String?
                var role: String?
                var joined_at: String
            }
            var call: Call
        }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: body)
        } catch {
            throw ProviderError(.stream, .malformedResponse, "GET call: \(StreamWebhookEvent.describe(error))")
        }
        func time(_ text: String?, _ field: String) throws(ProviderError) -> Date? {
            guard let text else { return nil }
            guard let date = StreamTimestamp.parse(text) else {
                throw ProviderError(.stream, .malformedResponse, "GET call: \(field) is not an RFC 3339 time")
            }
            return date
        }
        self.hasSession = wire.call.session != nil
        self.startedAt = try time(wire.call.session?.started_at, "call.session.started_at")
        self.endedAt = try time(wire.call.session?.ended_at, "call.session.ended_at")
        self.callEndedAt = try time(wire.call.ended_at, "call.ended_at")
        self.blockedUserIDs = wire.call.blocked_user_ids ?? []
        var participants: [Participant] = []
        for participant in wire.call.session?.participants ?? [] {
            guard let joinedAt = try time(participant.joined_at, "participants[].joined_at") else { continue }
            participants.append(
                Participant(
                    userID: participant.user.id, userSessionID: participant.user_session_id, role: participant.role,
                    joinedAt: joinedAt))
        }
        self.participants = participants
    }
}
