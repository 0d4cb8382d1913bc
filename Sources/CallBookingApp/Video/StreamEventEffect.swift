import BookingDomain
import BookingStore
import Foundation
import StreamVideo

/// What a Stream webhook does to its call, on the delivery ledger's connection (so the effect
/// and the delivery's record commit together, CONTRACT "Webhooks"):
///
/// - session started: SCHEDULED → IN_PROGRESS with `started_at`;
/// - session or call ended: judged from the attendance (`NoShowVerdict`, session ended):
///   NO_SHOW with the party that never joined (BOTH when neither side did), else COMPLETED
///   with `ended_at` (the duration is `ended_at − started_at`, and the follow-up is enqueued
///   by the change); nothing when the call is already COMPLETED, CANCELLED or NO_SHOW. An end
///   that arrives before its start still records the session's start when the payload names it;
/// - participant joined / left: that participant's session in `call_participants`;
/// - recording ready: the recording, with its URL's expiry, and its follow-up job;
/// - recording failed: a call event (and a log line, by the endpoint);
/// - stats report ready: a `video.quality.fetch` job for that session (`CallQualityFetch`),
///   one per session however often Stream says so.
///
/// Events for calls we do not know, or that the lifecycle refuses, change nothing and are
/// still acknowledged: Stream retrying them cannot help.
enum StreamEventEffect {
    static let actor = "stream"

    static func apply(_ event: StreamWebhookEvent, to id: CallID, in transaction: CallTransaction) throws
        -> WebhookDeliveryLedger.Outcome<Void>
    {
        func outcome(_ summary: String) -> WebhookDeliveryLedger.Outcome<Void> {
            .init((), summary: summary, callID: id.uuid)
        }
        // The ledger row names the call only when it exists (its column references calls).
        let unknownCall = WebhookDeliveryLedger.Outcome((), summary: "ignored: unknown call")
        let lifecycle = transaction.lifecycle
        switch event.kind {
        case .sessionStarted(_, let at):
            return try Self.change(id, in: transaction) { call in lifecycle.start(call, at: at) }
        case .ended(_, let at, let sessionStartedAt):
            return try Self.change(id, in: transaction) { call in
                // Read under the call's row lock: the session's attendance as it ended.
                lifecycle.endSession(
                    call, at: at, sessionStartedAt: sessionStartedAt, attendance: try transaction.attendance(of: id))
            }
        case .participantJoined(let participant):
            guard try transaction.recordParticipant(Self.session(participant, left: false), of: id) else { return unknownCall }
            return outcome("joined: \(participant.userID)")
        case .participantLeft(let participant):
            guard try transaction.recordParticipant(Self.session(participant, left: true), of: id) else { return unknownCall }
            return outcome("left: \(participant.userID)")
        case .recordingReady(let recording):
            guard try transaction.storeRecording(.init(recording), of: id) else { return unknownCall }
            try transaction.change(id, actor: Self.actor) { call in
                lifecycle.recordingReady(call, filename: recording.filename)
            }
            return outcome("stored recording \(recording.filename)")
        case .recordingFailed(let egressID, let recordingType):
            let detail = ["egress_id": egressID ?? "", "recording_type": recordingType ?? ""]
            guard try transaction.recordEvent("recording_failed", detail: detail, of: id, actor: Self.actor)
            else { return unknownCall }
            return outcome("recording failed (egress \(egressID ?? "unknown"))")
        case .statsReportReady(let sessionID):
            switch try transaction.enqueueQualityFetch(of: id, sessionID: sessionID) {
            case .unknownCall: return unknownCall
            case .queued: return outcome("quality report of session \(sessionID) to fetch")
            case .alreadyQueued: return outcome("quality report of session \(sessionID) already fetched or queued")
            }
        case .other:
            return .init((), summary: "ignored: \(event.type)")
        }
    }

    /// A lifecycle decision under the call's row lock; the summary says what happened. A
    /// refusal changes nothing and is acknowledged like a repeat.
    private static func change(
        _ id: CallID, in transaction: CallTransaction, _ decide: (Call) throws -> CallDecision
    ) throws -> WebhookDeliveryLedger.Outcome<Void> {
        guard let outcome = try transaction.change(id, actor: Self.actor, decide) else {
            return .init((), summary: "ignored: unknown call")
        }
        let summary =
            if case .change(let change) = outcome.decision {
                "\(change.event.kind.rawValue): now \(outcome.call.state)"
            } else {
                "no change: call is \(outcome.call.state)"
            }
        return .init((), summary: summary, callID: id.uuid)
    }
    /// A participant's session row. A left event without the joined time dates the join back
    /// by the reported duration.
    static func session(_ participant: StreamWebhookEvent.Participant, left: Bool) -> VideoRepository.ParticipantSession {
        let joinedAt =
            participant.joinedAt
            ?? (left ? participant.at.addingTimeInterval(-TimeInterval(participant.durationSeconds ?? 0)) : participant.at)
        return VideoRepository.ParticipantSession(
            userID: participant.userID, sessionID: participant.sessionID, userSessionID: participant.userSessionID,
            streamRole: participant.role, joinedAt: joinedAt, leftAt: left ? max(participant.at, joinedAt) : nil,
            durationSeconds: left ? participant.durationSeconds : nil)
    }
}
