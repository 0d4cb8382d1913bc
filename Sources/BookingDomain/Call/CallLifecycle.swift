public import Foundation

/// Where every lifecycle decision lives: each event a call can meet (booked, session started or
/// ended, completed, cancelled, rescheduled, reassigned, no-show marked or unmarked, checked,
/// recording ready) is asked here, with the call as stored and the time, and answered with a
/// `CallDecision`: the new call, its event-log row and its effects, or why nothing changes.
///
/// The moves themselves are `CallStateMachine`'s; the effects of a change follow from what it
/// changed (`effects(from:to:now:)`), so every path that reschedules or reassigns a call
/// re-plans its reminders the same way. Nothing outside this type sets a call's state.
public struct CallLifecycle: Sendable {
    public let settings: LifecycleSettings

    /// The longest cancellation reason kept; it is shown to the other party.
    public static let maximumReasonLength = CallStateMachine.maximumReasonLength

    public init(settings: LifecycleSettings = LifecycleSettings()) {
        self.settings = settings
    }

    /// When the no-show check of `call` first runs: its start plus the grace.
    public func noShowDeadline(of call: Call) -> Date { call.scheduledStart.addingTimeInterval(self.settings.noShowGrace) }

    /// From when a call still IN_PROGRESS counts as overdue: its end plus `callEndGrace`.
    public func endCheckDeadline(of call: Call) -> Date { call.scheduledEnd.addingTimeInterval(self.settings.callEndGrace) }

    /// How long a session still live at its end check waits before the next one.
    public static let liveSessionRecheck: TimeInterval = 900

    // MARK: - booking

    /// A new call, SCHEDULED: its room, its reminders and its no-show check (a deadline already
    /// past runs at once).
    public func book(_ call: Call) -> CallChange {
        var booked = call
        booked.state = .scheduled
        booked.noShowParty = nil
        booked.startedAt = nil
        booked.endedAt = nil
        booked.cancellationReason = nil
        booked.rescheduledTo = nil
        return CallChange(
            call: booked, event: CallEvent(from: nil, to: .scheduled, kind: .created),
            effects: [.setUpRoom, .replanReminders, .checkNoShow(at: self.noShowDeadline(of: booked))])
    }

    /// An admin moves a SCHEDULED call to another expert, with matching's explanation.
    public func reassign(_ call: Call, to expertID: ExpertID, assignment: Assignment, at now: Date) -> CallDecision {
        guard call.state == .scheduled else {
            return .refused(.failedPrecondition("only a SCHEDULED call can be reassigned"))
        }
        var moved = call
        moved.expertID = expertID
        moved.assignment = assignment
        let revoked = call.expertID.flatMap { $0 == expertID ? nil : CallEffect.revokeRoomAccess($0) }
        return self.decide(call, moved, .reassigned, at: now, extra: [.syncRoomMembers] + (revoked.map { [$0] } ?? []))
    }

    // MARK: - the video session

    /// The session started (Stream's `call.session_started`); a repeat keeps the first time.
    public func start(_ call: Call, at time: Date) -> CallDecision {
        var machine = CallStateMachine(call: call)
        switch machine.start(at: time) {
        case .persist(let startedAt):
            var started = call
            started.state = .inProgress
            started.startedAt = startedAt
            return self.decide(call, started, .sessionStarted, at: time)
        case .alreadyStarted:
            return .noChange(call, effects: [])
        case .reject(let error):
            return .refused(error)
        }
    }

    /// The session (or the call) ended: NO_SHOW with the side that never joined, from the
    /// attendance read with the call, else COMPLETED. `sessionStartedAt` records the start of
    /// a session whose start event was lost.
    public func endSession(
        _ call: Call, at time: Date, sessionStartedAt: Date?, attendance: [AttendanceSession]
    ) -> CallDecision {
        self.judgeEnd(
            call, at: time, sessionStartedAt: sessionStartedAt, attendance: attendance, completed: .sessionEnded,
            noShow: .noShow)
    }

    func judgeEnd(
        _ call: Call, at time: Date, sessionStartedAt: Date?, attendance: [AttendanceSession],
        completed: CallEvent.Kind, noShow: CallEvent.Kind
    ) -> CallDecision {
        var machine = CallStateMachine(call: call)
        var ended = call
        if case .scheduled = machine.state, let sessionStartedAt, sessionStartedAt <= time {
            _ = machine.start(at: sessionStartedAt)
            ended.startedAt = sessionStartedAt
        }
        let verdict = NoShowVerdict(
            state: call.state, scheduledStart: call.scheduledStart, grace: self.settings.noShowGrace,
            attendance: attendance, sessionEnded: true, now: time)
        if case .noShow(let party) = verdict {
            guard case .persist(_, let party) = machine.markNoShow(party: party, at: time) else {
                return .noChange(call, effects: [])
            }
            ended.state = .noShow
            ended.noShowParty = party
            return self.decide(call, ended, noShow, at: time)
        }
        switch machine.complete(at: time) {
        case .persist(_, let endedAt, _):
            ended.state = .completed
            ended.endedAt = endedAt
            return self.decide(call, ended, completed, at: time)
        case .alreadyCompleted:
            return .noChange(call, effects: [])
        case .reject(let error):
            return .refused(error)
        }
    }

    /// CompleteCall: idempotent, a completed call stays as stored with its first end time.
    public func complete(_ call: Call, at time: Date) -> CallDecision {
        var machine = CallStateMachine(call: call)
        switch machine.complete(at: time) {
        case .persist(_, let endedAt, _):
            var completed = call
            completed.state = .completed
            completed.endedAt = endedAt
            return self.decide(call, completed, .completed, at: time)
        case .alreadyCompleted:
            return .noChange(call, effects: [])
        case .reject(let error):
            return .refused(error)
        }
    }

    /// A recording is ready: its own follow-up, whatever the call's state.
    public func recordingReady(_ call: Call, filename: String) -> CallDecision {
        .noChange(call, effects: [.sendFollowUp(recording: filename)])
    }

    // MARK: - cancelling and rescheduling

    /// CancelCall, Calendly's `invitee.canceled`, or the old half of a reschedule (`kind`
    /// `.rescheduled`, pointing at its replacement when that is known).
    public func cancel(
        _ call: Call, reason: String, at time: Date, kind: CallEvent.Kind = .cancelled, replacedBy: CallID? = nil
    ) -> CallDecision {
        var machine = CallStateMachine(call: call)
        switch machine.cancel(reason: reason, at: time) {
        case .persist(let reason, _):
            var cancelled = call
            cancelled.state = .cancelled
            cancelled.cancellationReason = reason
            cancelled.rescheduledTo = replacedBy
            return self.decide(call, cancelled, kind, at: time)
        case .reject(let error):
            return .refused(error)
        }
    }

    /// Links a call cancelled as rescheduled to its replacement, once: a call that ran keeps
    /// its outcome (the replacement still names it as its origin).
    public func linkReschedule(_ call: Call, to replacement: CallID, at time: Date) -> CallDecision {
        guard call.state == .cancelled, call.rescheduledTo == nil else { return .noChange(call, effects: []) }
        var linked = call
        linked.rescheduledTo = replacement
        return self.decide(call, linked, .rescheduleLinked, at: time)
    }

    // MARK: - no-shows

    /// The no-show check at start + grace: NO_SHOW (BOTH) when nobody joined, a later check
    /// while the grace runs, nothing once someone came (the session's end decides) or the call
    /// is over. Returns the verdict too, for the log.
    public func checkNoShow(_ call: Call, attendance: [AttendanceSession], at time: Date)
        -> (verdict: NoShowVerdict, decision: CallDecision)
    {
        let verdict = NoShowVerdict(
            state: call.state, scheduledStart: call.scheduledStart, grace: self.settings.noShowGrace,
            attendance: attendance, sessionEnded: false, now: time)
        switch verdict {
        case .noShow(let party):
            var machine = CallStateMachine(call: call)
            guard case .persist(_, let party) = machine.markNoShow(party: party, at: time) else {
                return (verdict, .noChange(call, effects: []))
            }
            var missed = call
            missed.state = .noShow
            missed.noShowParty = party
            return (verdict, self.decide(call, missed, .noShow, at: time))
        case .checkAgain(let at):
            return (verdict, .noChange(call, effects: [.checkNoShow(at: at)]))
        case .awaitSessionEnd, .attended, .notApplicable:
            return (verdict, .noChange(call, effects: []))
        }
    }

    /// Someone reports a side missing (Calendly's `invitee_no_show.created`): NO_SHOW, or a
    /// wider party on a call already marked (no new move, so the undo point stays).
    public func markNoShow(_ call: Call, party: NoShowParty, at time: Date) -> CallDecision {
        var machine = CallStateMachine(call: call)
        var marked = call
        switch machine.markNoShow(party: party, at: time) {
        case .persist(_, let party):
            marked.state = .noShow
            marked.noShowParty = party
            return self.decide(call, marked, .noShowMarked, at: time)
        case .updateParty(let party):
            marked.noShowParty = party
            return self.decide(call, marked, .noShowPartyWidened, at: time)
        case .alreadyMarked:
            return .noChange(call, effects: [])
        case .reject(let error):
            return .refused(error)
        }
    }

    /// The report is withdrawn (Calendly's `invitee_no_show.deleted`): back to `previous`, the
    /// state the event log shows before the last move into NO_SHOW.
    public func unmarkNoShow(_ call: Call, previous: CallState, at time: Date) -> CallDecision {
        var machine = CallStateMachine(call: call)
        switch machine.unmarkNoShow(previous: previous) {
        case .persist(let restored):
            var unmarked = call
            unmarked.state = restored
            unmarked.noShowParty = nil
            return self.decide(call, unmarked, .noShowUnmarked, at: time)
        case .notMarked:
            return .noChange(call, effects: [])
        case .reject(let error):
            return .refused(error)
        }
    }

    // MARK: - effects

    func decide(
        _ old: Call, _ new: Call, _ kind: CallEvent.Kind, at now: Date, extra: [CallEffect] = []
    ) -> CallDecision {
        .change(CallChange(
            call: new, event: CallEvent(from: old.state, to: new.state, kind: kind),
            effects: extra + self.effects(from: old, to: new, now: now)))
    }

    /// What a change causes, from what it changed:
    /// - the start, the expert or the state: the reminders are planned again (a call that is
    ///   not SCHEDULED has none, so they are cancelled);
    /// - SCHEDULED again, or moved: checked for a no-show again, not before `now`;
    /// - IN_PROGRESS: the end check, at `endCheckDeadline`, not before `now`;
    /// - CANCELLED (or rescheduled away): its room is closed;
    /// - COMPLETED: the follow-up.
    public func effects(from old: Call, to new: Call, now: Date) -> [CallEffect] {
        var effects: [CallEffect] = []
        if old.state != new.state || old.scheduledStart != new.scheduledStart || old.expertID != new.expertID {
            effects.append(.replanReminders)
        }
        if new.state == .scheduled, old.scheduledStart != new.scheduledStart || old.state != .scheduled {
            effects.append(.checkNoShow(at: max(self.noShowDeadline(of: new), now)))
        }
        if new.state == .inProgress, old.state != .inProgress {
            effects.append(.checkEnd(at: max(self.endCheckDeadline(of: new), now)))
        }
        if new.state == .cancelled, old.state != .cancelled {
            effects.append(.closeRoom)
        }
        if new.state == .completed, old.state != .completed {
            effects.append(.sendFollowUp(recording: nil))
        }
        return effects
    }
}
