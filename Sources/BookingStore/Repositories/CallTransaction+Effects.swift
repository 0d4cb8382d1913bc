import BookingDomain
import Foundation

/// Each `CallEffect` becomes its job (and, for reminders, its delivery rows) in the change's
/// transaction, so the work exists exactly when the change committed. What to plan or cancel
/// is the domain's (`ReminderPlan.reconcile`); this records it.
extension CallTransaction {
    func run(_ effects: [CallEffect], for call: Call) throws {
        for effect in effects {
            switch effect {
            case .setUpRoom:
                try JobQueue.enqueue(Job<RoomSetupJob>(.init(callID: call.id), dedupeKey: call.id.uuidString), on: self.connection)
            case .syncRoomMembers:
                try self.enqueueRoomMembersSync(for: call.id)
            case .replanReminders:
                try self.replanReminders(of: call)
            case .checkNoShow(let at):
                try JobQueue.enqueue(
                    Job<NoShowCheckJob>(
                        .init(callID: call.id), runAt: at, dedupeKey: "\(call.id.uuidString):\(Int64(at.timeIntervalSince1970))"),
                    on: self.connection)
            case .checkEnd(let at):
                try JobQueue.enqueue(
                    Job<CallEndCheckJob>(
                        .init(callID: call.id), runAt: at, dedupeKey: "\(call.id.uuidString):\(Int64(at.timeIntervalSince1970))"),
                    on: self.connection)
            case .closeRoom:
                try JobQueue.enqueue(Job<RoomCloseJob>(.init(callID: call.id), dedupeKey: call.id.uuidString), on: self.connection)
            case .revokeRoomAccess(let expertID):
                // Once per reassignment away from the expert: A → B → A → B blocks A twice.
                let key = [call.id.uuidString, expertID.uuidString, String(try self.eventCount(of: call.id))]
                try JobQueue.enqueue(
                    Job<RoomAccessRevokeJob>(.init(callID: call.id, expertID: expertID), dedupeKey: key.joined(separator: ":")),
                    on: self.connection)
            case .sendFollowUp(let recording):
                try JobQueue.enqueue(
                    Job<FollowUpJob>(
                        .init(callID: call.id, recording: recording),
                        dedupeKey: recording.map { "\(call.id.uuidString):\($0)" } ?? call.id.uuidString),
                    on: self.connection)
            }
        }
    }

    /// Runs the room setup again because the call's people changed (a reassigned expert, a
    /// claimed booking): the job reads the call as it is when it runs.
    ///
    /// The dedupe key names the call, its expert and customer after the change, and how many
    /// events it has logged: a reassignment back to an earlier expert (A → B → A) still runs
    /// again, while a transaction retried after a serialization failure (rolled back with its
    /// job) cannot leave two. Does nothing for an unknown call.
    func enqueueRoomMembersSync(for id: CallID) throws {
        guard
            let row = try self.connection.execute(
                """
                SELECT coalesce(c.expert_id::text, '-') AS expert, coalesce(c.customer_user_id, '-') AS customer,
                    (SELECT count(*) FROM calls.call_events e WHERE e.call_id = c.id) AS changes
                FROM calls.calls c WHERE c.id = $1::uuid
                """,
                [id.uuidString]
            ).first
        else { return }
        let key = [
            id.uuidString, "members", try row.string("expert") ?? "-", try row.string("customer") ?? "-",
            String(try row.int("changes") ?? 0),
        ].joined(separator: ":")
        try JobQueue.enqueue(Job<RoomSetupJob>(.init(callID: id), dedupeKey: key), on: self.connection)
    }

    /// How many events the call has logged: a dedupe key part that tells a change from a
    /// retried transaction's repeat of it.
    private func eventCount(of id: CallID) throws -> Int {
        try self.connection.execute("SELECT count(*) AS n FROM calls.call_events WHERE call_id = $1::uuid", [id.uuidString])
            .first?.int("n") ?? 0
    }

    /// The call's reminder plan as it is now, against the deliveries recorded: the unwanted
    /// ones cancelled (with a job to cancel each run the delivery service has), the new ones
    /// planned with a job each.
    private func replanReminders(of call: Call) throws {
        let expert = try call.expertID.flatMap { try ExpertRepository.find($0, on: self.connection) }
        let plan = ReminderPlan(
            call: call, expert: expert, offsetsMinutes: self.lifecycle.settings.reminderOffsetsMinutes, now: self.now)
        let (unwanted, fresh) = plan.reconcile(with: try NotificationDeliveries.reminderDeliveries(of: call.id, on: self.connection))
        for (key, runID) in try NotificationDeliveries.cancel(unwanted, now: self.now, on: self.connection) {
            try JobQueue.enqueue(
                Job<ReminderCancelJob>(.init(idempotencyKey: key, runID: runID), dedupeKey: key), on: self.connection)
        }
        for key in try NotificationDeliveries.plan(fresh, on: self.connection) {
            try JobQueue.enqueue(
                Job<ReminderJob>(.init(callID: call.id, idempotencyKey: key), dedupeKey: key), on: self.connection)
        }
    }
}
