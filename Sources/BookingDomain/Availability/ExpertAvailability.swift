public import Foundation

/// The one rule evaluation behind slot listing, holds, matching and booking so that every slot
/// that is offered books.
///
/// `bookableSlots` proposes starts on the local 15-minute grid and keeps exactly those that
/// `check` accepts, and `HoldSlot`, `CreateCall` and the matcher call the same `check`, so an
/// offered slot can only be refused when something changed in between (another booking or
/// hold, the clock). Booking does not require the grid: a Calendly or admin booking at 10:05
/// is fine if free.
///
/// Everything the database knows is passed in, already read: this type does no I/O and
/// reads no clock. What the store must pass:
/// - `booked`: the **occupied ranges** (`[start − buffer_before, end + buffer_after)`, as
///   stored when each was booked) of the expert's other calls that are not CANCELLED, at
///   least those meeting `expert.scheduling.occupiedRange(of: window)`;
/// - `calls`: those calls counted per local day and week, covering
///   `calendar.weeksCovering(window)` (only needed when the expert has caps);
/// - `holds`: the expert's holds not yet converted into calls (expired ones are ignored).
public struct ExpertAvailability: Sendable {
    public let expert: Expert
    /// Occupied ranges of the expert's other calls, see above.
    public let booked: [TimeSlot]
    /// The expert's calls per local day and week, for the caps.
    public let calls: CallCounts
    public let holds: [HeldSlot]
    /// `nil` when the expert's zone is unknown here: then nothing is bookable.
    public let calendar: ExpertCalendar?

    public init(expert: Expert, booked: [TimeSlot], calls: CallCounts = CallCounts(), holds: [HeldSlot] = []) {
        self.init(expert: expert, booked: booked, holds: holds) { _ in calls }
    }

    /// Counts the caps from the scheduled starts of the same calls as `booked`.
    public init(expert: Expert, booked: [TimeSlot], bookedStarts: [Date], holds: [HeldSlot] = []) {
        self.init(expert: expert, booked: booked, holds: holds) { calendar in
            CallCounts(starts: bookedStarts, calendar: calendar)
        }
    }

    private init(expert: Expert, booked: [TimeSlot], holds: [HeldSlot], counting: (ExpertCalendar) -> CallCounts) {
        self.expert = expert
        self.booked = booked
        self.holds = holds
        self.calendar = ExpertCalendar(
            timeZoneIdentifier: expert.timeZone, weeklyHours: expert.weeklyHours, dateOverrides: expert.dateOverrides)
        self.calls = self.calendar.map(counting) ?? CallCounts()
    }

    /// `nil` when `slot` can be booked at `now` by `customerUserID` (whose own holds do not
    /// count against them; empty: anyone, blocked by every hold), else the first rule it
    /// breaks, in the order of `SlotRefusal`. `rules` leaves out optional rules, for Calendly
    /// bookings (`RuleSet.calendly`). `slot` is assumed validated (`start < end`, see
    /// `CallRequest`).
    ///
    /// Hours, time off and calendar busy times apply to the call itself; its buffers only keep other calls and
    /// holds away, so a call may start when the working day does.
    public func check(_ slot: TimeSlot, now: Date, for customerUserID: String = "", rules: RuleSet = .all) -> SlotRefusal? {
        guard let calendar = self.calendar else {
            return self.expert.active ? .unknownTimeZone(self.expert.timeZone) : .expertInactive
        }
        var openDays = OpenDays(calendar)
        return self.check(slot, now: now, for: customerUserID, rules: rules, openDays: &openDays)
    }

    /// `check`, with the open intervals of the slot's local date taken from `openDays`, so that
    /// `bookableSlots` computes each date's once rather than once per candidate.
    private func check(
        _ slot: TimeSlot, now: Date, for customerUserID: String, rules: RuleSet, openDays: inout OpenDays
    ) -> SlotRefusal? {
        guard self.expert.active else { return .expertInactive }
        guard let calendar = self.calendar else { return .unknownTimeZone(self.expert.timeZone) }
        let scheduling = self.expert.scheduling
        if rules.contains(.notice) {
            guard slot.start >= now else { return .startsInThePast }
            guard slot.start >= scheduling.earliestStart(now: now) else {
                return .minimumNotice(minutes: scheduling.minimumNoticeMinutes)
            }
        }
        if rules.contains(.horizon), let latest = scheduling.latestStart(now: now), slot.start > latest {
            return .beyondHorizon(days: scheduling.bookingHorizonDays)
        }
        let date = calendar.localDate(of: slot.start)
        if rules.contains(.hours), !openDays.intervals(on: date).contains(where: { $0.contains(slot) }) {
            switch calendar.hoursSource(on: date) {
            case .weekly: return .outsideWeeklyHours
            case .dateOverride(closed: true): return .closedOnDate(date)
            case .dateOverride(closed: false): return .outsideDateOverride(date)
            }
        }
        if self.expert.isAway(during: slot) { return .duringTimeOff }
        if self.booked.contains(where: { $0.overlaps(slot) }) { return .taken }
        let occupied = scheduling.occupiedRange(of: slot)
        if self.booked.contains(where: { $0.overlaps(occupied) }) { return .buffersOverlapAnotherCall }
        let blocking = self.holds.filter { $0.blocks(customerUserID, now: now) }
        if blocking.contains(where: { scheduling.occupiedRange(of: $0.slot).overlaps(occupied) }) {
            return .heldByAnother
        }
        if rules.contains(.caps) {
            if scheduling.maxCallsPerDay > 0 {
                let held = blocking.filter { calendar.localDate(of: $0.slot.start) == date }.count
                if self.calls.onDay(date) + held >= scheduling.maxCallsPerDay {
                    return .dailyCapReached(scheduling.maxCallsPerDay)
                }
            }
            if scheduling.maxCallsPerWeek > 0 {
                let week = calendar.weekStart(of: date)
                let held = blocking.filter { calendar.weekStart(of: calendar.localDate(of: $0.slot.start)) == week }.count
                if self.calls.inWeek(week) + held >= scheduling.maxCallsPerWeek {
                    return .weeklyCapReached(scheduling.maxCallsPerWeek)
                }
            }
        }
        return nil
    }

    public func isBookable(_ slot: TimeSlot, now: Date, for customerUserID: String = "", rules: RuleSet = .all) -> Bool {
        self.check(slot, now: now, for: customerUserID, rules: rules) == nil
    }

    /// Every slot of `query.slotMinutes` inside `query.window` that `check` accepts at `now`
    /// for `customerUserID` under all rules, starting on the expert's local 15-minute grid,
    /// in time order.
    ///
    /// Candidates are walked in absolute time through each open interval, so across DST a
    /// local time that does not exist yields nothing and a repeated hour yields each real
    /// instant once: never two slots with the same start.
    public func bookableSlots(_ query: SlotQuery, now: Date, for customerUserID: String = "") -> [TimeSlot] {
        guard self.expert.active, let calendar = self.calendar else { return [] }
        let clock = calendar.clock
        let grid = SlotQuery.gridMinutes
        // Only to skip candidates `check` would refuse anyway; `check` still decides.
        let earliest = max(query.window.start, self.expert.scheduling.earliestStart(now: now))
        var slots: [TimeSlot] = []
        var openDays = OpenDays(calendar)
        // A day early: an interval of the previous local date can reach into the window.
        var date = calendar.localDate(of: query.window.start).adding(days: -1)
        let lastDate = calendar.localDate(of: query.window.end)
        while date <= lastDate {
            for open in openDays.intervals(on: date) {
                let limit = min(open.end, query.window.end)
                var start = clock.nextOnLocalGrid(atOrAfter: max(open.start, earliest), minutes: grid)
                while start.addingTimeInterval(query.slotLength) <= limit {
                    let slot = TimeSlot(start: start, end: start.addingTimeInterval(query.slotLength))
                    if self.check(slot, now: now, for: customerUserID, rules: .all, openDays: &openDays) == nil {
                        slots.append(slot)
                    }
                    start = clock.nextOnLocalGrid(atOrAfter: start.addingTimeInterval(TimeInterval(grid * 60)), minutes: grid)
                }
            }
            date = date.adding(days: 1)
        }
        return slots
    }
}

extension ExpertAvailability {
    /// `check` as a function of its inputs, for callers that hold no `ExpertAvailability`.
    public static func isBookable(_ expert: Expert, slot: TimeSlot, booked: [TimeSlot], now: Date) -> Bool {
        ExpertAvailability(expert: expert, booked: booked).isBookable(slot, now: now)
    }
}

/// `ExpertCalendar.openIntervals(on:)` of the dates last asked for. A listing asks for the same
/// few dates thousands of times in a row (once per candidate slot, and again for the walk), and
/// each answer converts local times to instants.
private struct OpenDays {
    let calendar: ExpertCalendar
    private var recent: [(date: LocalDate, intervals: [TimeSlot])] = []

    init(_ calendar: ExpertCalendar) {
        self.calendar = calendar
    }

    mutating func intervals(on date: LocalDate) -> [TimeSlot] {
        if let known = self.recent.first(where: { $0.date == date }) { return known.intervals }
        let intervals = self.calendar.openIntervals(on: date)
        // Two dates suffice: the walk's date and the next, into which its intervals may reach.
        if self.recent.count == 2 { self.recent.removeFirst() }
        self.recent.append((date, intervals))
        return intervals
    }
}
