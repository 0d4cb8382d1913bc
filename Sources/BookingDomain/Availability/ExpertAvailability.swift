public import Foundation

/// The one rule evaluation behind slot listing, matching and booking (issue 8: "every slot
/// that is offered books").
///
/// `bookableSlots` proposes starts on the local 15-minute grid and keeps exactly those that
/// `check` accepts, and `CreateCall` and the matcher call the same `check`, so an offered slot
/// can only be refused when something changed in between (another booking, the clock).
/// Booking does not require the grid: a Calendly or admin booking at 10:05 is fine if free.
public struct ExpertAvailability: Sendable {
    public let expert: Expert
    /// `[start, end)` of the expert's calls that still occupy time (not CANCELLED), from the
    /// database. Issue 8 widens each by the buffers and adds holds.
    public let booked: [TimeSlot]
    /// `nil` when the expert's zone is unknown here: then nothing is bookable.
    public let calendar: ExpertCalendar?

    public init(expert: Expert, booked: [TimeSlot]) {
        self.expert = expert
        self.booked = booked
        self.calendar = ExpertCalendar(timeZoneIdentifier: expert.timeZone, weeklyHours: expert.weeklyHours)
    }

    /// `nil` when `slot` can be booked at `now`, else the first rule it breaks. `slot` is
    /// assumed validated (`start < end`, see `CallRequest`).
    public func check(_ slot: TimeSlot, now: Date) -> SlotRefusal? {
        guard self.expert.active else { return .expertInactive }
        guard let calendar = self.calendar else { return .unknownTimeZone(self.expert.timeZone) }
        guard slot.start >= now else { return .startsInThePast }
        let date = calendar.localDate(of: slot.start)
        guard calendar.openIntervals(on: date).contains(where: { $0.contains(slot) }) else {
            return .outsideWeeklyHours
        }
        if self.expert.timeOff.contains(where: { $0.overlaps(slot) }) { return .duringTimeOff }
        if self.booked.contains(where: { $0.overlaps(slot) }) { return .taken }
        return nil
    }

    public func isBookable(_ slot: TimeSlot, now: Date) -> Bool {
        self.check(slot, now: now) == nil
    }

    /// Every slot of `query.slotMinutes` inside `query.window` that `check` accepts at `now`,
    /// starting on the expert's local 15-minute grid, in time order.
    ///
    /// Candidates are walked in absolute time through each open interval, so across DST a
    /// local time that does not exist yields nothing and a repeated hour yields each real
    /// instant once: never two slots with the same start.
    public func bookableSlots(_ query: SlotQuery, now: Date) -> [TimeSlot] {
        guard self.expert.active, let calendar = self.calendar else { return [] }
        let zone = calendar.timeZone
        let grid = SlotQuery.gridMinutes
        var slots: [TimeSlot] = []
        // A day early: an interval of the previous local date can reach into the window.
        var date = calendar.localDate(of: query.window.start).adding(days: -1)
        let lastDate = calendar.localDate(of: query.window.end)
        while date <= lastDate {
            for open in calendar.openIntervals(on: date) {
                let limit = min(open.end, query.window.end)
                var start = zone.nextOnLocalGrid(atOrAfter: max(open.start, query.window.start, now), minutes: grid)
                while start.addingTimeInterval(query.slotLength) <= limit {
                    let slot = TimeSlot(start: start, end: start.addingTimeInterval(query.slotLength))
                    if self.check(slot, now: now) == nil { slots.append(slot) }
                    start = zone.nextOnLocalGrid(atOrAfter: start.addingTimeInterval(TimeInterval(grid * 60)), minutes: grid)
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
