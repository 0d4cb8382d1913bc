import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// The scheduling rules in `ExpertAvailability.check`, one at a time, and in listing. Berlin in
/// June is UTC+2; 2025-06-02 is a Monday.
@Suite struct SchedulingRulesCheckTests {
    let now = Date.utc("2025-06-01T00:00:00Z")
    let monday = [WeeklyHours.on(.monday, "09:00", "17:00")]

    func expert(_ rules: SchedulingRules, hours: [WeeklyHours]? = nil, overrides: [DateOverride] = [],
                timeOff: [TimeSlot] = [], zone: String = "Europe/Berlin") -> Expert {
        .fixture(timeZone: zone, weeklyHours: hours ?? Weekday.allCases.map { .on($0, "09:00", "17:00") },
                 timeOff: timeOff, scheduling: rules, dateOverrides: overrides)
    }

    func starts(_ availability: ExpertAvailability, day: String = "2025-06-02", minutes: Int = 30,
                now: Date? = nil, for customer: String = "") throws -> [String] {
        let query = try SlotQuery(from: .utc("\(day)T00:00:00+02:00"), to: .utc("\(day)T23:59:00+02:00"), slotMinutes: minutes)
        let zone = try #require(TimeZone(identifier: "Europe/Berlin"))
        return availability.bookableSlots(query, now: now ?? self.now, for: customer).map {
            let clock = Calendar(identifier: .gregorian).dateComponents(in: zone, from: $0.start)
            return String(format: "%02d:%02d", clock.hour ?? 0, clock.minute ?? 0)
        }
    }

    // MARK: Buffers

    @Test func buffersKeepCallsApartAndACollisionIsAlreadyExists() throws {
        // Another call 10:00–10:30 with its own 15 minutes after: occupied until 10:45.
        let other = TimeSlot.from("2025-06-02T10:00:00+02:00", to: "2025-06-02T10:45:00+02:00")
        let availability = ExpertAvailability(
            expert: expert(SchedulingRules(bufferBeforeMinutes: 15, bufferAfterMinutes: 15), hours: monday), booked: [other])
        #expect(availability.check(.from("2025-06-02T10:30:00+02:00", minutes: 30), now: now) == .taken)
        #expect(availability.check(.from("2025-06-02T10:45:00+02:00", minutes: 30), now: now) == .buffersOverlapAnotherCall)
        #expect(availability.check(.from("2025-06-02T09:30:00+02:00", minutes: 30), now: now) == .buffersOverlapAnotherCall)
        #expect(availability.check(.from("2025-06-02T11:00:00+02:00", minutes: 30), now: now) == nil)
        #expect(availability.check(.from("2025-06-02T09:00:00+02:00", minutes: 45), now: now) == nil)
        #expect(SlotRefusal.buffersOverlapAnotherCall.error
            == .alreadyExists("buffer: the expert's buffer time around the slot overlaps another call"))
        // Buffers may reach outside the working hours: a call can start when the day does.
        #expect(try starts(availability).prefix(4) == ["09:00", "09:15", "11:00", "11:15"])
    }

    // MARK: Notice and horizon

    @Test func minimumNoticeRefusesEarlyStartsAndThePastComesFirst() throws {
        let availability = ExpertAvailability(expert: expert(SchedulingRules(minimumNoticeMinutes: 120), hours: monday), booked: [])
        let now = Date.utc("2025-06-02T08:00:00+02:00")
        #expect(availability.check(.from("2025-06-02T09:45:00+02:00", minutes: 30), now: now) == .minimumNotice(minutes: 120))
        #expect(availability.check(.from("2025-06-02T10:00:00+02:00", minutes: 30), now: now) == nil)
        #expect(availability.check(.from("2025-06-02T07:00:00+02:00", minutes: 30), now: now) == .startsInThePast)
        #expect(SlotRefusal.minimumNotice(minutes: 120).error == .failedPrecondition(
            "minimum notice: the expert must be booked at least 120 minutes before the call starts"))
        #expect(try starts(availability, now: now).first == "10:00")
    }

    @Test func theHorizonEndsWholeDaysAfterNow() throws {
        let availability = ExpertAvailability(expert: expert(SchedulingRules(bookingHorizonDays: 2)), booked: [])
        let now = Date.utc("2025-06-02T10:00:00+02:00")
        #expect(availability.check(.from("2025-06-04T10:00:00+02:00", minutes: 30), now: now) == nil)
        #expect(availability.check(.from("2025-06-04T10:15:00+02:00", minutes: 30), now: now) == .beyondHorizon(days: 2))
        #expect(SlotRefusal.beyondHorizon(days: 2).error
            == .failedPrecondition("booking horizon: the expert can be booked at most 2 days ahead"))
        #expect(try starts(availability, day: "2025-06-04", now: now) == ["09:00", "09:15", "09:30", "09:45", "10:00"])
    }

    // MARK: Date overrides

    @Test func aDateOverrideReplacesThatDaysHoursAndTheRefusalSaysSo() throws {
        let availability = ExpertAvailability(expert: expert(SchedulingRules(), hours: monday, overrides: [
            .on("2025-06-02", ("13:00", "14:00")), .on("2025-06-09"), .on("2025-06-07", ("10:00", "11:00")),
        ]), booked: [])
        #expect(availability.check(.from("2025-06-02T10:00:00+02:00", minutes: 30), now: now)
            == .outsideDateOverride(.of("2025-06-02")))
        #expect(availability.check(.from("2025-06-02T13:30:00+02:00", minutes: 30), now: now) == nil)
        #expect(availability.check(.from("2025-06-09T10:00:00+02:00", minutes: 30), now: now) == .closedOnDate(.of("2025-06-09")))
        #expect(availability.check(.from("2025-06-16T10:00:00+02:00", minutes: 30), now: now) == nil)
        #expect(availability.check(.from("2025-06-14T10:00:00+02:00", minutes: 30), now: now) == .outsideWeeklyHours)
        #expect(try starts(availability) == ["13:00", "13:15", "13:30"])
        #expect(try starts(availability, day: "2025-06-09").isEmpty)
        #expect(try starts(availability, day: "2025-06-07") == ["10:00", "10:15", "10:30"])   // a Saturday
        #expect(SlotRefusal.closedOnDate(.of("2025-06-09")).error
            == .failedPrecondition("the expert is not available on 2025-06-09 (date override)"))
        #expect(SlotRefusal.outsideDateOverride(.of("2025-06-02")).error
            == .failedPrecondition("the slot is outside the expert's hours for 2025-06-02 (date override)"))
    }

    @Test func anOverrideOnTheFallBackNightLastsItsRealHours() throws {
        let availability = ExpertAvailability(
            expert: expert(SchedulingRules(), hours: [], overrides: [.on("2025-10-26", ("01:00", "04:00"))]), booked: [])
        let query = try SlotQuery(from: .utc("2025-10-26T00:00:00+02:00"), to: .utc("2025-10-27T00:00:00+01:00"), slotMinutes: 240)
        #expect(availability.bookableSlots(query, now: now).map(\.start) == [.utc("2025-10-26T01:00:00+02:00")])
    }

    // MARK: Caps

    @Test func theDailyCapCountsCallsOnTheLocalDate() throws {
        let rules = SchedulingRules(maxCallsPerDay: 2)
        // 00:30 local on Monday is still Sunday in UTC: it counts for Monday.
        let starts = [Date.utc("2025-06-02T00:30:00+02:00"), .utc("2025-06-02T15:00:00+02:00")]
        let availability = ExpertAvailability(
            expert: expert(rules), booked: [], bookedStarts: starts)
        #expect(availability.check(.from("2025-06-02T10:00:00+02:00", minutes: 30), now: now) == .dailyCapReached(2))
        #expect(availability.check(.from("2025-06-03T10:00:00+02:00", minutes: 30), now: now) == nil)
        #expect(try self.starts(availability).isEmpty)
        #expect(SlotRefusal.dailyCapReached(2).error
            == .failedPrecondition("daily cap: the expert already has 2 calls that day"))
    }

    @Test func theWeeklyCapCountsTheLocalWeekFromMonday() throws {
        // Sunday 21:00 in New York is Monday in UTC, and still the week before locally.
        let rules = SchedulingRules(maxCallsPerWeek: 1)
        let availability = ExpertAvailability(
            expert: expert(rules, zone: "America/New_York"), booked: [], bookedStarts: [.utc("2025-06-08T21:00:00-04:00")])
        #expect(availability.check(.from("2025-06-02T10:00:00-04:00", minutes: 30), now: now) == .weeklyCapReached(1))
        #expect(availability.check(.from("2025-06-09T10:00:00-04:00", minutes: 30), now: now) == nil)
        #expect(SlotRefusal.weeklyCapReached(1).error
            == .failedPrecondition("weekly cap: the expert already has 1 calls that week"))
        let calendar = try #require(availability.calendar)
        #expect(calendar.weeksCovering(.from("2025-06-04T10:00:00-04:00", to: "2025-06-09T10:00:00-04:00"))
            == .from("2025-06-02T00:00:00-04:00", to: "2025-06-16T00:00:00-04:00"))
    }

    @Test func countsFromCounterRowsWorkLikeStarts() {
        let counts = CallCounts(perDay: [.of("2025-06-03"): 1], perWeek: [.of("2025-06-02"): 3])
        let availability = ExpertAvailability(
            expert: expert(SchedulingRules(maxCallsPerDay: 2, maxCallsPerWeek: 3)), booked: [], calls: counts)
        #expect(availability.check(.from("2025-06-03T10:00:00+02:00", minutes: 30), now: now) == .weeklyCapReached(3))
    }

    // MARK: Holds

    @Test func aHoldBlocksOthersButNotItsHolderUntilItExpires() throws {
        let hold = HeldSlot(
            slot: .from("2025-06-02T10:00:00+02:00", minutes: 30), customerUserID: "user_alice",
            expiresAt: .utc("2025-06-01T00:10:00Z"))
        let availability = ExpertAvailability(
            expert: expert(SchedulingRules(bufferAfterMinutes: 15), hours: monday), booked: [], holds: [hold])
        let slot = hold.slot
        #expect(availability.check(slot, now: now, for: "user_bob") == .heldByAnother)
        #expect(availability.check(slot, now: now) == .heldByAnother)
        #expect(availability.check(slot, now: now, for: "user_alice") == nil)
        #expect(availability.check(slot, now: .utc("2025-06-01T00:10:00Z"), for: "user_bob") == nil)
        // The hold keeps its buffer, as the call it becomes will.
        #expect(availability.check(.from("2025-06-02T10:30:00+02:00", minutes: 30), now: now, for: "user_bob") == .heldByAnother)
        #expect(!(try starts(availability, for: "user_bob").contains("10:00")))
        #expect(try starts(availability, for: "user_alice").contains("10:00"))
        #expect(SlotRefusal.heldByAnother.error == .failedPrecondition("the slot is held by someone else"))
    }

    @Test func anotherCustomersHoldCountsTowardsTheCaps() {
        let hold = HeldSlot(
            slot: .from("2025-06-02T10:00:00+02:00", minutes: 30), customerUserID: "user_alice",
            expiresAt: .utc("2025-06-01T00:10:00Z"))
        let availability = ExpertAvailability(
            expert: expert(SchedulingRules(maxCallsPerDay: 1)), booked: [], holds: [hold])
        let afternoon = TimeSlot.from("2025-06-02T14:00:00+02:00", minutes: 30)
        #expect(availability.check(afternoon, now: now, for: "user_bob") == .dailyCapReached(1))
        #expect(availability.check(afternoon, now: now, for: "user_alice") == nil)
    }

    // MARK: Calendly

    @Test func calendlyBookingsSkipNoticeHorizonHoursAndCapsButNotCollisions() {
        let rules = SchedulingRules(
            bufferAfterMinutes: 15, minimumNoticeMinutes: 600, bookingHorizonDays: 1, maxCallsPerDay: 1, maxCallsPerWeek: 1)
        let other = TimeSlot.from("2025-06-10T10:00:00+02:00", to: "2025-06-10T10:45:00+02:00")
        let availability = ExpertAvailability(
            expert: expert(rules, hours: monday,
                           timeOff: [.from("2025-06-10T12:00:00+02:00", to: "2025-06-10T13:00:00+02:00")]),
            booked: [other], bookedStarts: [other.start],
            holds: [HeldSlot(slot: .from("2025-06-10T14:00:00+02:00", minutes: 30), customerUserID: "user_alice",
                             expiresAt: .utc("2025-06-11T00:00:00Z"))])
        let now = Date.utc("2025-06-10T09:00:00+02:00")
        let evening = TimeSlot.from("2025-06-10T19:00:00+02:00", minutes: 30)   // a Tuesday, no hours, capped
        #expect(availability.check(evening, now: now) != nil)
        #expect(availability.check(evening, now: now, rules: .calendly) == nil)
        #expect(availability.check(.from("2025-06-10T08:00:00+02:00", minutes: 30), now: now, rules: .calendly) == nil)
        #expect(availability.check(.from("2025-06-20T10:00:00+02:00", minutes: 30), now: now, rules: .calendly) == nil)
        #expect(availability.check(.from("2025-06-10T10:30:00+02:00", minutes: 30), now: now, rules: .calendly) == .taken)
        #expect(availability.check(.from("2025-06-10T12:30:00+02:00", minutes: 30), now: now, rules: .calendly) == .duringTimeOff)
        #expect(availability.check(.from("2025-06-10T14:00:00+02:00", minutes: 30), now: now, rules: .calendly) == .heldByAnother)
    }
}
