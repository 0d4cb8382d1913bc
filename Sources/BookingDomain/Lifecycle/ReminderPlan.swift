public import Foundation

/// One reminder to deliver: to whom, when, and for which offset before the start.
public struct Reminder: Hashable, Sendable {
    public var callID: CallID
    public var recipient: CallParticipant
    public var minutesBefore: Int
    /// `scheduledStart − minutesBefore`: elapsed time, not wall-clock time, so a reminder
    /// 1440 minutes before a call the morning after a DST change comes 24 real hours early.
    public var sendAt: Date
    /// The start this reminder was planned for.
    public var scheduledStart: Date

    /// Trigger.dev's idempotency key: the call, its start, the offset and the recipient.
    ///
    /// A job retried after a timeout sends the same key and gets the same run back. The start
    /// is part of it because Trigger.dev keeps a cancelled run's key for 30 days: a reminder
    /// moved to a new time needs a new key, or the API would answer with the cancelled run.
    public var idempotencyKey: String {
        "call-booking:reminder:\(self.callID):\(Int64(self.scheduledStart.timeIntervalSince1970)):"
            + "\(self.minutesBefore)m:\(self.recipient.deliveryKey)"
    }

    /// A reminder is pointless once the call has started: a worker that reaches it that late
    /// (after an outage) records it as skipped instead of sending it.
    public func isStale(at now: Date) -> Bool { now >= self.scheduledStart }
}

/// The reminders of one call: each configured offset, to the customer and to the expert.
///
/// Computed when a call is booked, and again whenever what it depends on changes (the start,
/// the expert); the store compares the new plan's keys with the deliveries it recorded. A call
/// that is not SCHEDULED has no reminders, and a reminder whose time has already passed when
/// the plan is made is left out (booking at 10:00 for 10:30 sends the 15-minute one only).
public struct ReminderPlan: Hashable, Sendable {
    /// Earliest first; at equal times the customer's first.
    public let reminders: [Reminder]

    private init(reminders: [Reminder]) { self.reminders = reminders }

    /// `expert` is the call's assigned expert (ignored unless its id is `call.expertID`; a
    /// Calendly booking waiting for an admin has none, and only the customer is reminded).
    /// `offsetsMinutes` are minutes before the start (`REMINDER_OFFSETS_MINUTES`); zero,
    /// negative and repeated values are ignored.
    public init(call: Call, expert: Expert?, offsetsMinutes: [Int], now: Date) {
        guard call.state == .scheduled else {
            self.reminders = []
            return
        }
        let assigned = expert.flatMap { $0.id == call.expertID ? $0 : nil }
        let recipients = CallParticipant.of(call, expert: assigned)
        var reminders: [Reminder] = []
        for minutes in Set(offsetsMinutes.filter { $0 > 0 }).sorted(by: >) {
            let sendAt = call.scheduledStart.addingTimeInterval(-TimeInterval(minutes) * 60)
            guard sendAt > now else { continue }
            for recipient in recipients {
                reminders.append(Reminder(
                    callID: call.id, recipient: recipient, minutesBefore: minutes, sendAt: sendAt,
                    scheduledStart: call.scheduledStart))
            }
        }
        self.reminders = reminders
    }
}

/// What became of a delivery the lifecycle planned: the store's record of it. `failed`: the
/// delivery service refused it for good, or its job ran out of attempts.
public enum DeliveryStatus: String, Hashable, Sendable {
    case planned, triggered, skipped, cancelled, superseded, failed
}

/// One recorded delivery of a reminder: its delivery key (the reminder's key, or that with a
/// generation suffix) and its status.
public struct DeliveryRecord: Hashable, Sendable {
    public var deliveryKey: String
    public var status: DeliveryStatus

    public init(deliveryKey: String, status: DeliveryStatus) {
        self.deliveryKey = deliveryKey
        self.status = status
    }
}

extension ReminderPlan {
    /// The plan against the deliveries already recorded, by reminder key: what to cancel and
    /// what to plan.
    ///
    /// Deliveries of reminders no longer wanted are cancelled. A wanted reminder is planned
    /// unless a delivery of it is on its way (planned, triggered), was skipped, or failed (an
    /// operator retries that one's job). One cancelled
    /// before and wanted again (a call reassigned back) gets a delivery key of a new
    /// generation: the delivery service keeps a cancelled run's key and would answer the old
    /// key with that run.
    public func reconcile(with existing: [String: [DeliveryRecord]])
        -> (cancel: [String], plan: [(reminder: Reminder, deliveryKey: String)])
    {
        let wanted = Set(self.reminders.map(\.idempotencyKey))
        let cancel = existing.filter { !wanted.contains($0.key) }.flatMap { $0.value.map(\.deliveryKey) }.sorted()
        var plan: [(reminder: Reminder, deliveryKey: String)] = []
        for reminder in self.reminders {
            let earlier = existing[reminder.idempotencyKey] ?? []
            guard !earlier.contains(where: { [.planned, .triggered, .skipped, .failed].contains($0.status) }) else { continue }
            let generation = earlier.count + 1
            plan.append((reminder, generation == 1 ? reminder.idempotencyKey : "\(reminder.idempotencyKey):\(generation)"))
        }
        return (cancel, plan)
    }
}
