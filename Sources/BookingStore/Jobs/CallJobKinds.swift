public import BookingDomain

/// The jobs a call's effects become (`CallTransaction` enqueues them for each `CallEffect`),
/// plus the quality fetch a video stats report asks for. Their names are what `calls.jobs`
/// has always stored.
public enum RoomSetupJob: JobKind {
    public static let name = "video.room.setup"
    /// Get-or-create the call's video room with its members; run again when its people change.
    public struct Payload: Codable, Sendable, Hashable {
        public var callID: CallID
        public init(callID: CallID) { self.callID = callID }
        private enum CodingKeys: String, CodingKey { case callID = "call_id" }
    }
}

public enum QualityFetchJob: JobKind {
    public static let name = "video.quality.fetch"
    /// Fetch the stats report of one session of the call (one job per session).
    public struct Payload: Codable, Sendable, Hashable {
        public var callID: CallID
        public var sessionID: String
        public init(callID: CallID, sessionID: String) {
            self.callID = callID
            self.sessionID = sessionID
        }
        private enum CodingKeys: String, CodingKey { case callID = "call_id", sessionID = "session_id" }
    }
}

public enum ReminderJob: JobKind {
    public static let name = "reminder.trigger"
    /// Send one planned reminder delivery (its key is the delivery's idempotency key).
    public struct Payload: Codable, Sendable, Hashable {
        public var callID: CallID
        public var idempotencyKey: String
        public init(callID: CallID, idempotencyKey: String) {
            self.callID = callID
            self.idempotencyKey = idempotencyKey
        }
        private enum CodingKeys: String, CodingKey { case callID = "call_id", idempotencyKey = "idempotency_key" }
    }
}

public enum ReminderCancelJob: JobKind {
    public static let name = "reminder.cancel"
    /// Cancel the run a cancelled reminder delivery was given.
    public struct Payload: Codable, Sendable, Hashable {
        public var idempotencyKey: String
        public var runID: String
        public init(idempotencyKey: String, runID: String) {
            self.idempotencyKey = idempotencyKey
            self.runID = runID
        }
        private enum CodingKeys: String, CodingKey { case idempotencyKey = "idempotency_key", runID = "run_id" }
    }
}

public enum NoShowCheckJob: JobKind {
    public static let name = "call.no_show_check"
    /// Decide whether nobody came (`CallLifecycle.checkNoShow`).
    public struct Payload: Codable, Sendable, Hashable {
        public var callID: CallID
        public init(callID: CallID) { self.callID = callID }
        private enum CodingKeys: String, CodingKey { case callID = "call_id" }
    }
}

public enum FollowUpJob: JobKind {
    public static let name = "follow_up.trigger"
    /// Send the follow-up of a completed call, or of one of its recordings (by filename).
    public struct Payload: Codable, Sendable, Hashable {
        public var callID: CallID
        public var recording: String?
        public init(callID: CallID, recording: String? = nil) {
            self.callID = callID
            self.recording = recording
        }
        private enum CodingKeys: String, CodingKey { case callID = "call_id", recording }
    }
}

public enum CallEndCheckJob: JobKind {
    public static let name = "call.end_check"
    /// Settle a call still IN_PROGRESS past its end plus the grace (`CallLifecycle.settleOverdue`).
    public struct Payload: Codable, Sendable, Hashable {
        public var callID: CallID
        public init(callID: CallID) { self.callID = callID }
        private enum CodingKeys: String, CodingKey { case callID = "call_id" }
    }
}

public enum RoomCloseJob: JobKind {
    public static let name = "video.room.close"
    /// End a cancelled call's video call and freeze its chat.
    public struct Payload: Codable, Sendable, Hashable {
        public var callID: CallID
        public init(callID: CallID) { self.callID = callID }
        private enum CodingKeys: String, CodingKey { case callID = "call_id" }
    }
}

public enum RoomAccessRevokeJob: JobKind {
    public static let name = "video.room.revoke"
    /// Block an expert the call was taken from in its video call.
    public struct Payload: Codable, Sendable, Hashable {
        public var callID: CallID
        public var expertID: ExpertID
        public init(callID: CallID, expertID: ExpertID) {
            self.callID = callID
            self.expertID = expertID
        }
        private enum CodingKeys: String, CodingKey { case callID = "call_id", expertID = "expert_id" }
    }
}
