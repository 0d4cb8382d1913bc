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

    static func apply(
        _ event: StreamWebhookEvent, to id: CallID, lifecycle: CallLifecycleJobs, on connection: PGConnection
    ) throws -> WebhookDeliveryLedger.Outcome<Void> {
        func outcome(_ summary: String) -> WebhookDeliveryLedger.Outcome<Void> {
            .init((), summary: summary, callID: id.uuid)
        }
        // The ledger row names the call only when it exists (its column references calls).
        let unknownCall = WebhookDeliveryLedger.Outcome((), summary: "ignored: unknown call")
        switch event.kind {
        case .sessionStarted(_, let at):
            return try Self.change(id, lifecycle: lifecycle, on: connection) { call in
                var machine = CallLifecycle(call: call)
                switch machine.start(at: at) {
                case .persist(let startedAt):
                    var changed = call
                    changed.state = .inProgress
                    changed.startedAt = startedAt
                    return (changed, "session_started")
                case .alreadyStarted, .reject:
                    return nil
                }
            }
        case .ended(_, let at, let sessionStartedAt):
            return try Self.change(id, lifecycle: lifecycle, on: connection) { call in
                var machine = CallLifecycle(call: call)
                var changed = call
                if case .scheduled = machine.state, let sessionStartedAt, sessionStartedAt <= at {
                    _ = machine.start(at: sessionStartedAt)
                    changed.startedAt = sessionStartedAt
                }
                // Read under the call's row lock: the session's attendance as it ended.
                let verdict = NoShowVerdict(
                    state: call.state, scheduledStart: call.scheduledStart, grace: lifecycle.noShowGrace,
                    attendance: try VideoRepository.attendance(of: id, on: connection), sessionEnded: true, now: at)
                if case .noShow(let party) = verdict {
                    guard case .persist(_, let party) = machine.markNoShow(party: party, at: at) else { return nil }
                    changed.state = .noShow
                    changed.noShowParty = party
                    return (changed, "no_show")
                }
                switch machine.complete(at: at) {
                case .persist(_, let endedAt, _):
                    changed.state = .completed
                    changed.endedAt = endedAt
                    return (changed, "session_ended")
                case .alreadyCompleted, .reject:
                    return nil
                }
            }
        case .participantJoined(let participant):
            guard try VideoRepository.recordParticipant(Self.session(participant, left: false), of: id, on: connection)
            else { return unknownCall }
            return outcome("joined: \(participant.userID)")
        case .participantLeft(let participant):
            guard try VideoRepository.recordParticipant(Self.session(participant, left: true), of: id, on: connection)
            else { return unknownCall }
            return outcome("left: \(participant.userID)")
        case .recordingReady(let recording):
            guard try VideoRepository.storeRecording(.init(recording), of: id, on: connection) else { return unknownCall }
            try CallLifecycleJobs.enqueueFollowUp(of: id, recording: recording.filename, on: connection)
            return outcome("stored recording \(recording.filename)")
        case .recordingFailed(let egressID, let recordingType):
            let detail = ["egress_id": egressID ?? "", "recording_type": recordingType ?? ""]
            guard try VideoRepository.recordEvent("recording_failed", detail: detail, of: id, actor: Self.actor, on: connection)
            else { return unknownCall }
            return outcome("recording failed (egress \(egressID ?? "unknown"))")
        case .statsReportReady(let sessionID):
            switch try CallJobs.enqueueQualityFetch(of: id, sessionID: sessionID, on: connection) {
            case .unknownCall: return unknownCall
            case .queued: return outcome("quality report of session \(sessionID) to fetch")
            case .alreadyQueued: return outcome("quality report of session \(sessionID) already fetched or queued")
            }
        case .other:
            return .init((), summary: "ignored: \(event.type)")
        }
    }

    /// A lifecycle change under the call's row lock; the summary says what happened.
    private static func change(
        _ id: CallID, lifecycle: CallLifecycleJobs, on connection: PGConnection,
        _ decide: (Call) throws -> (changed: Call, eventKind: String)?
    ) throws -> WebhookDeliveryLedger.Outcome<Void> {
        var applied: String?
        guard
            let call = try CallRepository.update(id, actor: Self.actor, lifecycle: lifecycle, on: connection, { call in
                let decision = try decide(call)
                applied = decision?.eventKind
                return decision
            })
        else { return .init((), summary: "ignored: unknown call") }
        let summary = applied.map { "\($0): now \(call.state)" } ?? "no change: call is \(call.state)"
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
