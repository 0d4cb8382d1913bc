public import BookingDomain

extension CallJobs {
    /// Fetch Stream's stats report of one session of the call and store it in
    /// `calls.call_quality`. Payload `{"call_id", "session_id"}`; one per session (dedupe key:
    /// call and session), so a `call.stats_report_ready` Stream sends again queues nothing.
    public static let videoQualityFetch = "video.quality.fetch"

    /// The payload of `video.quality.fetch`.
    public struct QualityFetch: JobPayload, Hashable {
        public var callID: String
        public var sessionID: String

        public init(callID: CallID, sessionID: String) {
            self.callID = callID.uuidString
            self.sessionID = sessionID
        }

        private enum CodingKeys: String, CodingKey {
            case callID = "call_id", sessionID = "session_id"
        }
    }

    public static func qualityFetch(for id: CallID, sessionID: String) -> NewJob {
        NewJob(
            kind: Self.videoQualityFetch, payload: QualityFetch(callID: id, sessionID: sessionID).json,
            dedupeKey: "\(id.uuidString):\(sessionID)")
    }

    /// What `enqueueQualityFetch` did.
    public enum QualityFetchEnqueued: Sendable, Hashable {
        case queued, alreadyQueued, unknownCall
    }

    /// Queues the fetch of session `sessionID`'s report, inside the caller's transaction (the
    /// webhook delivery's), unless the call does not exist.
    public static func enqueueQualityFetch(
        of id: CallID, sessionID: String, on connection: PGConnection
    ) throws -> QualityFetchEnqueued {
        guard try connection.execute("SELECT 1 FROM calls.calls WHERE id = $1::uuid", [id.uuidString]).first != nil else {
            return .unknownCall
        }
        return try JobQueue.enqueue(Self.qualityFetch(for: id, sessionID: sessionID), on: connection) ? .queued : .alreadyQueued
    }
}
