public import BookingDomain
public import Foundation

/// The jobs of a call's lifecycle (issue 7), enqueued by `CallRepository` in the transaction of
/// each change of the call, so that they exist exactly when the change committed:
///
/// - booked: its reminders planned in `calls.trigger_deliveries` with a `reminder.trigger` job
///   each (a reminder whose time has already passed is not planned), and a
///   `call.no_show_check` at start + grace;
/// - start, expert or state changed (cancelled, reassigned, started…): the new reminder plan
///   against the rows still live: reminders no longer in it are `cancelled` (with a
///   `reminder.cancel` job for those Trigger.dev has a run of), new ones planned and triggered;
/// - COMPLETED: a `follow_up.trigger` job; a recording ready: one more, with the recording.
///
/// Holds the settings the plan needs (`REMINDER_OFFSETS_MINUTES`, `NO_SHOW_GRACE_SECONDS`) and
/// the clock a plan is made at.
public struct CallLifecycleJobs: Sendable {
    /// `{"call_id", "idempotency_key"}`: trigger that reminder (dedupe key: the idempotency key).
    public static let reminderTrigger = "reminder.trigger"
    /// `{"idempotency_key", "run_id"}`: cancel the run of a cancelled reminder.
    public static let reminderCancel = "reminder.cancel"
    /// `{"call_id"}`: decide at start + grace whether nobody came (dedupe key: call and time).
    public static let noShowCheck = "call.no_show_check"
    /// `{"call_id", "recording"?}`: the follow-up of a completed call, or of one recording.
    public static let followUpTrigger = "follow_up.trigger"

    /// Minutes before the start, as `ReminderPlan` takes them.
    public var reminderOffsetsMinutes: [Int]
    /// How long after the start a call nobody joined becomes NO_SHOW.
    public var noShowGrace: TimeInterval
    public var now: @Sendable () -> Date

    public init(
        reminderOffsetsMinutes: [Int] = [1440, 15], noShowGrace: TimeInterval = 600,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.reminderOffsetsMinutes = reminderOffsetsMinutes
        self.noShowGrace = noShowGrace
        self.now = now
    }

    /// Every job a newly inserted call gets (with its room setup, `CallJobs`).
    func callInserted(_ call: Call, on connection: PGConnection) throws {
        try self.replanReminders(of: call, on: connection)
        if call.state == .scheduled { try self.enqueueNoShowCheck(of: call, at: self.noShowDeadline(of: call), on: connection) }
    }

    /// The jobs `old` → `new` causes. A change that touches neither the start, the expert nor
    /// the state (a reschedule link, a renamed customer) causes none.
    func callChanged(from old: Call, to new: Call, on connection: PGConnection) throws {
        if old.state != new.state || old.scheduledStart != new.scheduledStart || old.expertID != new.expertID {
            try self.replanReminders(of: new, on: connection)
        }
        if new.state == .scheduled, old.scheduledStart != new.scheduledStart || old.state != .scheduled {
            // Moved, or back from a no-show Calendly unmarked: checked again, not before now.
            try self.enqueueNoShowCheck(of: new, at: max(self.noShowDeadline(of: new), self.now()), on: connection)
        }
        if new.state == .completed, old.state != .completed {
            try Self.enqueueFollowUp(of: new.id, recording: nil, on: connection)
        }
    }

    /// A SCHEDULED call moved to another expert: the expert's reminders follow (the
    /// customer's keys do not change).
    func callReassigned(_ call: Call, on connection: PGConnection) throws {
        try self.replanReminders(of: call, on: connection)
    }

    /// When the no-show check of `call` first runs.
    public func noShowDeadline(of call: Call) -> Date { call.scheduledStart.addingTimeInterval(self.noShowGrace) }

    /// `call.no_show_check` for `call` at `at`; one per call and time.
    public static func noShowCheck(of id: CallID, at: Date) -> NewJob {
        NewJob(
            kind: Self.noShowCheck, payload: LifecycleJobPayload(callID: id.uuidString).json, runAt: at,
            dedupeKey: "\(id.uuidString):\(Int64(at.timeIntervalSince1970))")
    }

    private func enqueueNoShowCheck(of call: Call, at: Date, on connection: PGConnection) throws {
        try JobQueue.enqueue(Self.noShowCheck(of: call.id, at: at), on: connection)
    }

    /// The plan for the call as it is now, against its deliveries: those of reminders no
    /// longer wanted are cancelled; a wanted reminder is planned unless a delivery of it is on
    /// its way (planned, triggered) or was skipped. One cancelled before and wanted again (a
    /// call reassigned back) gets a delivery key of a new generation: Trigger.dev would answer
    /// the old key with the cancelled run.
    private func replanReminders(of call: Call, on connection: PGConnection) throws {
        let expert = try call.expertID.flatMap { try ExpertRepository.find($0, on: connection) }
        let now = self.now()
        let plan = ReminderPlan(call: call, expert: expert, offsetsMinutes: self.reminderOffsetsMinutes, now: now)
        let existing = try TriggerDeliveries.reminderDeliveries(of: call.id, on: connection)
        let wanted = Set(plan.reminders.map(\.idempotencyKey))
        let unwanted = existing.filter { !wanted.contains($0.key) }.flatMap { $0.value.map(\.deliveryKey) }
        for (key, runID) in try TriggerDeliveries.cancel(unwanted.sorted(), now: now, on: connection) {
            try JobQueue.enqueue(
                NewJob(
                    kind: Self.reminderCancel, payload: LifecycleJobPayload(idempotencyKey: key, runID: runID).json,
                    dedupeKey: key),
                on: connection)
        }
        var fresh: [(reminder: Reminder, deliveryKey: String)] = []
        for reminder in plan.reminders {
            let earlier = existing[reminder.idempotencyKey] ?? []
            guard !earlier.contains(where: { [.planned, .triggered, .skipped].contains($0.status) }) else { continue }
            let generation = earlier.count + 1
            fresh.append((reminder, generation == 1 ? reminder.idempotencyKey : "\(reminder.idempotencyKey):\(generation)"))
        }
        for key in try TriggerDeliveries.plan(fresh, on: connection) {
            try JobQueue.enqueue(
                NewJob(
                    kind: Self.reminderTrigger,
                    payload: LifecycleJobPayload(callID: call.id.uuidString, idempotencyKey: key).json, dedupeKey: key),
                on: connection)
        }
    }

    /// The follow-up of a completed call (`recording` nil), or of its recording of that filename.
    public static func enqueueFollowUp(of id: CallID, recording: String?, on connection: PGConnection) throws {
        let key = recording.map { "\(id.uuidString):\($0)" } ?? id.uuidString
        try JobQueue.enqueue(
            NewJob(
                kind: Self.followUpTrigger, payload: LifecycleJobPayload(callID: id.uuidString, recording: recording).json,
                dedupeKey: key),
            on: connection)
    }
}

/// The payload of every lifecycle job: the fields its kind uses, snake_case like the room
/// setup's.
public struct LifecycleJobPayload: JobPayload, Hashable {
    public var callID: String?
    public var idempotencyKey: String?
    public var runID: String?
    /// A recording's filename (the provider's stable name for it).
    public var recording: String?

    public init(callID: String? = nil, idempotencyKey: String? = nil, runID: String? = nil, recording: String? = nil) {
        self.callID = callID
        self.idempotencyKey = idempotencyKey
        self.runID = runID
        self.recording = recording
    }

    private enum CodingKeys: String, CodingKey {
        case callID = "call_id", idempotencyKey = "idempotency_key", runID = "run_id", recording
    }
}
