import BookingDomain
import BookingStore
import Foundation
import Logging
import TriggerDev

/// The `ReminderJob` and `ReminderCancelJob` jobs: a planned reminder becomes a delayed
/// Trigger.dev run of `TRIGGER_REMINDER_TASK` (delay: its send time), and a cancelled one's run
/// is cancelled.
///
/// Each run expires rather than start after the call has (`ttl`).
///
/// `ReminderJob` rebuilds the call's plan from the call as it is now and sends the
/// reminder of the job's key only while its row is `planned`; one the call no longer has is
/// `superseded`, one whose call has started `skipped`, and without `TRIGGER_DEV_API_KEY` every
/// one is `skipped`. The idempotency key makes a repeated trigger return the same run. A
/// cancellation that commits while the run is being created wins: recording the run then
/// enqueues its cancellation (`NotificationDeliveries.recordRun`).
///
/// Errors Trigger.dev may answer differently later (429, 5xx, no answer) retry with the
/// queue's backoff; the others (a wrong key, an unknown task) are dead at once. A reminder
/// whose job is dead is `failed` with the last error; an operator's retry of that job sends it
/// after all (if the call still wants it).
struct ReminderDelivery: Sendable {
    let calls: CallRepository
    let experts: ExpertRepository
    let deliveries: NotificationDeliveries
    /// Nil without `TRIGGER_DEV_API_KEY`.
    let client: TriggerDevClient?
    let task: String
    let offsetsMinutes: [Int]
    let logger: Logger
    let now: @Sendable () -> Date

    func register(in handlers: inout JobHandlers) {
        let delivery = self
        handlers.register(ReminderJob.self) { payload, _ in
            try await delivery.trigger(payload)
        } whenDead: { payload, error in
            await delivery.giveUp(payload, reason: error)
        }
        handlers.register(ReminderCancelJob.self) { payload, _ in try await delivery.cancel(payload) }
    }

    func trigger(_ payload: ReminderJob.Payload) async throws {
        let (id, key) = (payload.callID, payload.idempotencyKey)
        guard let delivery = try await self.deliveries.find(key) else {
            throw JobFailure("no delivery \(key)", permanent: true)
        }
        // Cancelled meanwhile, or a repeat; a failed one is sent when its dead job is retried.
        guard delivery.status == .planned || delivery.status == .failed else { return }
        guard let call = try await self.calls.find(id) else { throw JobFailure("no call \(id)", permanent: true) }
        let expert = try await call.expertID.asyncFlatMap { try await self.experts.find($0) }
        let plan = ReminderPlan(call: call, expert: expert, offsetsMinutes: self.offsetsMinutes, now: .distantPast)
        var metadata: Logger.Metadata = ["call": "\(id)", "delivery": "\(key)"]
        guard let reminder = plan.reminders.first(where: { $0.idempotencyKey == delivery.reminderKey }) else {
            try await self.deliveries.markUnsent(key, .superseded, detail: "the call no longer has this reminder")
            return
        }
        let now = self.now()
        if reminder.isStale(at: now) {
            try await self.deliveries.markUnsent(key, .skipped, detail: "the call had started before the reminder was triggered")
            self.logger.info("reminder skipped: the call had started", metadata: metadata)
            return
        }
        guard let client = self.client else {
            try await self.deliveries.markUnsent(key, .skipped, detail: "TRIGGER_DEV_API_KEY is not set")
            return
        }
        let run: TriggeredRun
        do {
            run = try await client.trigger(
                task: self.task, payload: ReminderPayload(reminder, call: call, expert: expert, join: Self.join(id)),
                options: TriggerOptions(
                    idempotencyKey: key, delay: reminder.sendAt, ttl: Self.timeToLive(of: reminder, now: now),
                    tags: [Self.tag(id)]))
        } catch {
            throw JobFailure(error.description, permanent: !error.isRetryable)
        }
        metadata["run"] = "\(run.id)"
        switch try await self.deliveries.recordRun(key, runID: run.id) {
        case .triggered:
            self.logger.info("reminder triggered", metadata: metadata)
        case .cancelRun:
            self.logger.info("reminder cancelled while it was triggered; its run is being cancelled", metadata: metadata)
        }
    }

    /// The job is dead: the reminder, unless it was sent or withdrawn meanwhile, is `failed`.
    func giveUp(_ payload: ReminderJob.Payload, reason: String) async {
        let metadata: Logger.Metadata = [
            "call": "\(payload.callID)", "delivery": "\(payload.idempotencyKey)", "error": "\(reason)",
        ]
        do {
            if try await self.deliveries.markUnsent(payload.idempotencyKey, .failed, detail: reason) {
                self.logger.warning("reminder failed", metadata: metadata)
            }
        } catch {
            self.logger.warning("reminder failed, and could not be recorded as failed", metadata: metadata)
        }
    }

    func cancel(_ payload: ReminderCancelJob.Payload) async throws {
        let runID = payload.runID
        let metadata: Logger.Metadata = ["delivery": "\(payload.idempotencyKey)", "run": "\(runID)"]
        guard let client = self.client else {
            // The run was created with a key this replica does not have: nothing it can do.
            self.logger.warning("reminder run not cancelled: TRIGGER_DEV_API_KEY is not set", metadata: metadata)
            return
        }
        do {
            switch try await client.cancel(runID: runID) {
            case .cancelled: self.logger.info("reminder run cancelled", metadata: metadata)
            case .notFound: self.logger.info("reminder run to cancel is unknown to Trigger.dev", metadata: metadata)
            }
        } catch {
            throw JobFailure(error.description, permanent: !error.isRetryable)
        }
    }

    /// How long the run may wait to start once its delay is over (Trigger.dev arms a delayed
    /// run's TTL when it is queued): until the call's start, after which the reminder is
    /// pointless and the run expires instead of running late. At least a second.
    static func timeToLive(of reminder: Reminder, now: Date) -> Duration {
        let from = max(reminder.sendAt, now)
        return .seconds(max(1, Int(reminder.scheduledStart.timeIntervalSince(from).rounded(.down))))
    }

    /// How to join: the route and method that issue the call's video token (CreateCallToken).
    static func join(_ id: CallID) -> JoinInstructions {
        JoinInstructions(
            callID: id, tokenRoute: "POST /api/v1/calls/\(id.uuidString)/token",
            tokenMethod: CallServiceMethods.createCallToken.descriptor.path.dropFirst().description)
    }

    /// The tag every run of a call carries, for finding them in Trigger.dev's dashboard.
    static func tag(_ id: CallID) -> String { "call_\(id.uuidString)" }
}
