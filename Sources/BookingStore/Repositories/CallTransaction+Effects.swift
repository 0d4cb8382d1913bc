import BookingDomain
import Foundation

/// Each `CallEffect` becomes its job (and, for reminders, its delivery rows) in the change's
/// transaction, so the work exists exactly when the change committed. What to plan or cancel
/// is the domain's (`ReminderPlan.reconcile`); this records it.
extension CallTransaction {
    /// The effects' jobs are gathered and added in one statement at the end (`JobQueue.enqueue`).
    func run(_ effects: [CallEffect], for call: Call) throws {
        var jobs: [NewJob] = []
        for effect in effects {
            switch effect {
            case .setUpRoom:
                jobs.append(Job<RoomSetupJob>(.init(callID: call.id), dedupeKey: call.id.uuidString).row)
            case .syncRoomMembers:
                if let job = try self.roomMembersSyncJob(for: call.id) { jobs.append(job) }
            case .replanReminders:
                jobs += try self.replanReminders(of: call)
            case .checkNoShow(let at):
                jobs.append(
                    Job<NoShowCheckJob>(
                        .init(callID: call.id), runAt: at, dedupeKey: "\(call.id.uuidString):\(Int64(at.timeIntervalSince1970))"
                    ).row)
            case .checkEnd(let at):
                jobs.append(
                    Job<CallEndCheckJob>(
                        .init(callID: call.id), runAt: at, dedupeKey: "\(call.id.uuidString):\(Int64(at.timeIntervalSince1970))"
                    ).row)
            case .closeRoom:
                jobs.append(Job<RoomCloseJob>(.init(callID: call.id), dedupeKey: call.id.uuidString).row)
            case .revokeRoomAccess(let expertID):
                // Once per reassignment away from the expert: A → B → A → B blocks A twice.
                let key = [call.id.uuidString, expertID.uuidString, String(try self.eventCount(of: call.id))]
                jobs.append(
                    Job<RoomAccessRevokeJob>(.init(callID: call.id, expertID: expertID), dedupeKey: key.joined(separator: ":"))
                        .row)
            case .sendFollowUp(let recording):
                jobs.append(
                    Job<FollowUpJob>(
                        .init(callID: call.id, recording: recording),
                        dedupeKey: recording.map { "\(call.id.uuidString):\($0)" } ?? call.id.uuidString
                    ).row)
            }
        }
        try JobQueue.enqueue(jobs, on: self.connection)
    }

    /// Runs the room setup again because the call's people changed (a reassigned expert, a
    /// claimed booking): the job reads the call as it is when it runs. Does nothing for an
    /// unknown call.
    func enqueueRoomMembersSync(for id: CallID) throws {
        if let job = try self.roomMembersSyncJob(for: id) { try JobQueue.enqueue(job, on: self.connection) }
    }

    /// The dedupe key names the call, its expert and customer after the change, and how many
    /// events it has logged: a reassignment back to an earlier expert (A → B → A) still runs
    /// again, while a transaction retried after a serialization failure (rolled back with its
    /// job) cannot leave two.
    private func roomMembersSyncJob(for id: CallID) throws -> NewJob? {
        guard
            let row = try self.connection.execute(
                """
                SELECT coalesce(c.expert_id::text, '-') AS expert, coalesce(c.customer_user_id, '-') AS customer,
                    (SELECT count(*) FROM calls.call_events e WHERE e.call_id = c.id) AS changes
                FROM calls.calls c WHERE c.id = $1::uuid
                """,
                [id.uuidString]
            ).first
        else { return nil }
        let key = [
            id.uuidString, "members", try row.string("expert") ?? "-", try row.string("customer") ?? "-",
            String(try row.int("changes") ?? 0),
        ].joined(separator: ":")
        return Job<RoomSetupJob>(.init(callID: id), dedupeKey: key).row
    }

    /// How many events the call has logged: a dedupe key part that tells a change from a
    /// retried transaction's repeat of it.
    private func eventCount(of id: CallID) throws -> Int {
        try self.connection.execute("SELECT count(*) AS n FROM calls.call_events WHERE call_id = $1::uuid", [id.uuidString])
            .first?.int("n") ?? 0
    }

    /// The call's reminder plan as it is now, against the deliveries recorded: the unwanted
    /// ones cancelled (with a job to cancel each run the delivery service has), the new ones
    /// planned with a job each. Returns those jobs.
    private func replanReminders(of call: Call) throws -> [NewJob] {
        let expert = try call.expertID.flatMap { try ExpertRepository.find($0, on: self.connection) }
        let plan = ReminderPlan(
            call: call, expert: expert, offsetsMinutes: self.lifecycle.settings.reminderOffsetsMinutes, now: self.now)
        let (unwanted, fresh) = plan.reconcile(with: try NotificationDeliveries.reminderDeliveries(of: call.id, on: self.connection))
        var jobs: [NewJob] = []
        for (key, runID) in try NotificationDeliveries.cancel(unwanted, now: self.now, on: self.connection) {
            jobs.append(Job<ReminderCancelJob>(.init(idempotencyKey: key, runID: runID), dedupeKey: key).row)
        }
        for key in try NotificationDeliveries.plan(fresh, on: self.connection) {
            jobs.append(Job<ReminderJob>(.init(callID: call.id, idempotencyKey: key), dedupeKey: key).row)
        }
        return jobs
    }
}
