import BookingDomain
import BookingStore
import Foundation
import Logging
import TriggerDev

/// The `FollowUpJob`: a completed call's follow-up (`FollowUpPayload`, kind
/// "call.completed"), and once per recording the same with its link ("call.recording_ready"),
/// as a run of `TRIGGER_FOLLOW_UP_TASK` under the payload's idempotency key. The outcome is
/// recorded in `calls.trigger_deliveries` (`triggered` with the run, `skipped` without
/// `TRIGGER_DEV_API_KEY`, or `failed` with the last error once the job is dead: Trigger.dev
/// refused it for good, or every attempt failed).
///
/// A recording can be reported before the session's end: its job then retries until the call
/// is COMPLETED. A call that ended otherwise (NO_SHOW, CANCELLED) gets no follow-up.
struct FollowUpDelivery: Sendable {
    let calls: CallRepository
    let experts: ExpertRepository
    let video: VideoRepository
    let deliveries: NotificationDeliveries
    /// Nil without `TRIGGER_DEV_API_KEY`.
    let client: TriggerDevClient?
    let task: String
    let logger: Logger

    func register(in handlers: inout JobHandlers) {
        let delivery = self
        handlers.register(FollowUpJob.self) { payload, _ in
            try await delivery.run(payload)
        } whenDead: { payload, error in
            await delivery.giveUp(payload, reason: error)
        }
    }

    /// The job is dead: the follow-up is recorded as `failed`, with why.
    func giveUp(_ payload: FollowUpJob.Payload, reason: String) async {
        let key = FollowUpPayload.idempotencyKey(callID: payload.callID.uuidString, recordingID: payload.recording)
        let metadata: Logger.Metadata = ["call": "\(payload.callID)", "delivery": "\(key)", "error": "\(reason)"]
        do {
            try await self.deliveries.recordFollowUp(
                key, kind: payload.recording == nil ? .followUp : .recording, of: payload.callID, status: .failed,
                detail: reason)
            self.logger.warning("follow-up failed", metadata: metadata)
        } catch {
            self.logger.warning("follow-up failed, and could not be recorded as failed", metadata: metadata)
        }
    }

    func run(_ payload: FollowUpJob.Payload) async throws {
        let id = payload.callID
        guard let call = try await self.calls.find(id) else { throw JobFailure("no call \(id)", permanent: true) }
        var metadata: Logger.Metadata = ["call": "\(id)", "recording": "\(payload.recording ?? "")"]
        switch call.state {
        case .completed:
            break
        case .scheduled, .inProgress:
            throw JobFailure("the call has not completed yet")
        case .cancelled, .noShow:
            self.logger.info("no follow-up: the call did not complete", metadata: metadata)
            return
        }
        var recording: FollowUpPayload.Recording?
        if let filename = payload.recording {
            guard let stored = try await self.video.recordings(of: id).first(where: { $0.filename == filename }) else {
                throw JobFailure("no recording \(filename) of call \(id)", permanent: true)
            }
            recording = FollowUpPayload.Recording(id: stored.filename, url: stored.url, startedAt: stored.start, endedAt: stored.end)
        }
        let expert = try await call.expertID.asyncFlatMap { try await self.experts.find($0) }
        guard let followUp = FollowUpPayload(completed: call, expert: expert, recording: recording) else {
            throw JobFailure("call \(id) is COMPLETED without an end time", permanent: true)
        }
        let kind: NotificationDeliveries.Kind = recording == nil ? .followUp : .recording
        let key = followUp.idempotencyKey
        metadata["delivery"] = "\(key)"
        guard let client = self.client else {
            try await self.deliveries.recordFollowUp(
                key, kind: kind, of: id, status: .skipped, detail: "TRIGGER_DEV_API_KEY is not set")
            return
        }
        let run: TriggeredRun
        do {
            run = try await client.trigger(
                task: self.task, payload: followUp,
                options: TriggerOptions(idempotencyKey: key, tags: [ReminderDelivery.tag(id)]))
        } catch {
            throw JobFailure(error.description, permanent: !error.isRetryable)
        }
        try await self.deliveries.recordFollowUp(key, kind: kind, of: id, status: .triggered, runID: run.id)
        metadata["run"] = "\(run.id)"
        self.logger.info("follow-up triggered", metadata: metadata)
    }
}
