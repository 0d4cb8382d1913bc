public import OutboundHTTP
public import Foundation

/// A verified Stream webhook, decoded into the events the booking service acts on
/// (providers.md §4.2). Every other `type` is `.other` and is acknowledged unchanged: Stream
/// adds event types, and an unknown one must not make it retry.
public struct StreamWebhookEvent: Sendable, Equatable {
    public var type: String
    public var createdAt: Date
    /// `"<call type>:<call id>"`; nil only for events that carry no call (`.other`).
    public var callCID: String?
    public var kind: Kind

    public enum Kind: Sendable, Equatable {
        /// `call.session_started`: `at` is the session's `started_at`, else the event time.
        case sessionStarted(sessionID: String?, at: Date)
        /// `call.session_ended`, or `call.ended` (`sessionID` nil): `at` is the session's (or
        /// call's) `ended_at`, else the event time; `startedAt` is the session's start when the
        /// payload names it, so an end that overtakes its start still yields a duration.
        case ended(sessionID: String?, at: Date, startedAt: Date?)
        case participantJoined(Participant)
        case participantLeft(Participant)
        case recordingReady(StreamRecording)
        case recordingFailed(egressID: String?, recordingType: String?)
        /// `call.stats_report_ready`: Stream's quality report of that session can be fetched
        /// (`StreamClient.callStats`). Its `participants_overview` is not read: the report has
        /// the session's figures.
        case statsReportReady(sessionID: String)
        case other
    }

    /// One participant's session in a call (`participant` of the joined/left events).
    public struct Participant: Sendable, Equatable {
        public var sessionID: String?
        public var userID: String
        public var userSessionID: String?
        /// The call-level role Stream reports (`host`, `call_member`…).
        public var role: String?
        public var joinedAt: Date?
        /// The event's time: when they joined or left.
        public var at: Date
        /// `duration_seconds` of a left event: how long they were in, in whole seconds; nil when
        /// absent or not a length of time (negative, or too large for an `Int`).
        public var durationSeconds: Int?
    }

    /// The call id of `callCID` when it is of `callType`; nil for another call type.
    public func callID(ofType callType: String) -> String? {
        guard let cid = self.callCID, let colon = cid.firstIndex(of: ":"), cid[..<colon] == callType else { return nil }
        return String(cid[cid.index(after: colon)...])
    }

    /// Decodes the raw body (already verified). Throws `malformedPayload` naming what is wrong.
    public static func parse(_ body: [UInt8]) throws(ProviderError) -> StreamWebhookEvent {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(body))
        } catch {
            throw ProviderError(.stream, .malformedPayload, "not a Stream event: \(Self.describe(error))")
        }
        guard let createdText = envelope.created_at else {
            throw ProviderError(.stream, .malformedPayload, "created_at is missing")
        }
        guard let createdAt = StreamTimestamp.parse(createdText) else {
            throw ProviderError(.stream, .malformedPayload, "created_at is not an RFC 3339 timestamp")
        }
        let cid = envelope.call_cid ?? envelope.call?.cid
        var event = StreamWebhookEvent(type: envelope.type, createdAt: createdAt, callCID: cid, kind: .other)
        let session = envelope.call?.session
        switch envelope.type {
        case "call.session_started":
            event.kind = .sessionStarted(
                sessionID: envelope.session_id, at: try Self.time(session?.started_at, "call.session.started_at") ?? createdAt)
        case "call.session_ended":
            event.kind = .ended(
                sessionID: envelope.session_id, at: try Self.time(session?.ended_at, "call.session.ended_at") ?? createdAt,
                startedAt: try Self.time(session?.started_at, "call.session.started_at"))
        case "call.ended":
            event.kind = .ended(
                sessionID: nil, at: try Self.time(envelope.call?.ended_at, "call.ended_at") ?? createdAt,
                startedAt: try Self.time(session?.started_at, "call.session.started_at"))
        case "call.session_participant_joined", "call.session_participant_left":
            // Older event versions name the user at the top level, without `participant`.
            let participant = envelope.participant
            guard let userID = participant?.user?.id ?? envelope.user?.id, !userID.isEmpty else {
                throw ProviderError(.stream, .malformedPayload, "participant.user.id is missing")
            }
            let value = Participant(
                sessionID: envelope.session_id, userID: userID, userSessionID: participant?.user_session_id,
                role: participant?.role, joinedAt: try Self.time(participant?.joined_at, "participant.joined_at"),
                at: createdAt, durationSeconds: envelope.duration_seconds.flatMap(Self.wholeSeconds))
            event.kind = envelope.type.hasSuffix("joined") ? .participantJoined(value) : .participantLeft(value)
        case "call.recording_ready":
            guard let recording = envelope.call_recording else {
                throw ProviderError(.stream, .malformedPayload, "call_recording is missing")
            }
            event.kind = .recordingReady(try recording.recording())
        case "call.recording_failed":
            event.kind = .recordingFailed(egressID: envelope.egress_id, recordingType: envelope.recording_type)
        case "call.stats_report_ready":
            guard let sessionID = envelope.session_id, !sessionID.isEmpty else {
                throw ProviderError(.stream, .malformedPayload, "session_id is missing")
            }
            event.kind = .statsReportReady(sessionID: sessionID)
        default:
            return event
        }
        guard cid != nil else { throw ProviderError(.stream, .malformedPayload, "call_cid is missing") }
        return event
    }

    /// `Int(_:)` traps on a double beyond `Int`'s range, and a verified body can hold any number.
    private static func wholeSeconds(_ seconds: Double) -> Int? {
        let rounded = seconds.rounded()
        guard rounded >= 0 else { return nil }
        return Int(exactly: rounded)
    }

    private static func time(_ text: String?, _ field: String) throws(ProviderError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        guard let date = StreamTimestamp.parse(text) else {
            throw ProviderError(.stream, .malformedPayload, "\(field) is not an RFC 3339 timestamp")
        }
        return date
    }

    /// A decoding error as a field path, without quoting payload values.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "unreadable JSON" }
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the body" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not JSON" : "\(path(context.codingPath)) is unreadable"
        @unknown default: return "unreadable JSON"
        }
    }
}

/// The fields of every event type we read, all optional but `type`.
private struct Envelope: Decodable {
    struct Session: Decodable {
        var started_at: String?
        var ended_at: String?
    }
    struct CallBody: Decodable {
        var cid: String?
        var ended_at: String?
        var session: Session?
    }
    struct User: Decodable {
        var id: String?
    }
    struct ParticipantBody: Decodable {
        var user: User?
        var user_session_id: String?
        var role: String?
        var joined_at: String?
    }

    var type: String
    var created_at: String?
    var call_cid: String?
    var session_id: String?
    var call: CallBody?
    var participant: ParticipantBody?
    var user: User?
    var duration_seconds: Double?
    var egress_id: String?
    var recording_type: String?
    var call_recording: RecordingBody?
}
