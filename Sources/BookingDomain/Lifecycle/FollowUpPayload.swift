public import Foundation

/// What the follow-up task receives (`TRIGGER_FOLLOW_UP_TASK`), twice per completed call:
/// when it completes (`kind` "call.completed"), and when its recording is ready
/// ("call.recording_ready", with `recording`). Both go through the same task and delivery path
/// as reminders; the task writes to each participant, in their own time zone.
public struct FollowUpPayload: Hashable, Sendable, Encodable {
    /// A recording of the call, as the video provider reports it.
    public struct Recording: Hashable, Sendable, Encodable {
        /// The provider's stable name for it (Stream's `filename`): part of the idempotency key.
        public var id: String
        /// A signed link; it expires (Stream's do), so the task should send it promptly.
        public var url: String
        public var startedAt: Date?
        public var endedAt: Date?

        public init(id: String, url: String, startedAt: Date? = nil, endedAt: Date? = nil) {
            self.id = id
            self.url = url
            self.startedAt = startedAt
            self.endedAt = endedAt
        }

        private enum CodingKeys: String, CodingKey { case id, url, startedAt, endedAt }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.id, forKey: .id)
            try container.encode(self.url, forKey: .url)
            try container.encodeIfPresent(self.startedAt.map { ZonedTime.utcText($0) }, forKey: .startedAt)
            try container.encodeIfPresent(self.endedAt.map { ZonedTime.utcText($0) }, forKey: .endedAt)
        }
    }

    /// One participant with the call's times in their zone.
    public struct Attendee: Hashable, Sendable, Encodable {
        public var participant: CallParticipant
        public var start: ZonedTime
        public var end: ZonedTime

        public func encode(to encoder: any Encoder) throws {
            // Flattened: the participant's fields, then `start` and `end`.
            try self.participant.encode(to: encoder)
            var container = encoder.container(keyedBy: Times.self)
            try container.encode(self.start, forKey: .start)
            try container.encode(self.end, forKey: .end)
        }
        private enum Times: String, CodingKey { case start, end }
    }

    public var kind: String
    public var callId: String
    public var topic: String
    /// When the call really started and ended (`started_at` is absent when CompleteCall
    /// ended a call nobody started on video), as UTC ISO 8601.
    public var startedAt: String?
    public var endedAt: String
    public var durationSeconds: Int?
    /// The customer, then the expert; each with the call's times in their own zone.
    public var participants: [Attendee]
    public var recording: Recording?

    /// `nil` unless `call` is COMPLETED (with its end time).
    public init?(completed call: Call, expert: Expert?, recording: Recording? = nil) {
        guard call.state == .completed, let endedAt = call.endedAt else { return nil }
        self.kind = recording == nil ? "call.completed" : "call.recording_ready"
        self.callId = call.id.uuidString
        self.topic = call.topic
        self.startedAt = call.startedAt.map { ZonedTime.utcText($0) }
        self.endedAt = ZonedTime.utcText(endedAt)
        self.durationSeconds = call.duration.map { Int($0.rounded()) }
        let assigned = expert.flatMap { $0.id == call.expertID ? $0 : nil }
        self.participants = CallParticipant.of(call, expert: assigned).map { participant in
            let start = call.startedAt ?? call.scheduledStart
            return Attendee(
                participant: participant, start: ZonedTime(start, timeZone: participant.timeZone),
                end: ZonedTime(endedAt, timeZone: participant.timeZone))
        }
        self.recording = recording
    }

    /// Trigger.dev's idempotency key: one completion follow-up per call, one delivery per recording.
    public var idempotencyKey: String {
        Self.idempotencyKey(callID: self.callId, recordingID: self.recording?.id)
    }

    /// The same key without a payload at hand (a job that gave up may have no call to build
    /// one from).
    public static func idempotencyKey(callID: String, recordingID: String?) -> String {
        if let recordingID { return "call-booking:recording:\(callID):\(recordingID)" }
        return "call-booking:follow-up:\(callID)"
    }

    private enum CodingKeys: String, CodingKey {
        case kind, callId, topic, startedAt, endedAt, durationSeconds, participants, recording
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.kind, forKey: .kind)
        try container.encode(self.callId, forKey: .callId)
        try container.encode(self.topic, forKey: .topic)
        try container.encodeIfPresent(self.startedAt, forKey: .startedAt)
        try container.encode(self.endedAt, forKey: .endedAt)
        try container.encodeIfPresent(self.durationSeconds, forKey: .durationSeconds)
        try container.encode(self.participants, forKey: .participants)
        try container.encodeIfPresent(self.recording, forKey: .recording)
    }
}
