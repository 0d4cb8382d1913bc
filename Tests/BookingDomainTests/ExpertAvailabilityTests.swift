import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// Slots and bookability: exact lists for the DST days of two zones, and the rules that
/// remove slots. Expected instants are written with the local offset they fall in.
@Suite struct ExpertAvailabilityTests {
    func slots(
        _ expert: Expert, from: String, to: String, minutes: Int = 60, booked: [TimeSlot] = [],
        now: Date = longAgo
    ) throws -> [Date] {
        let query = try SlotQuery(from: .utc(from), to: .utc(to), slotMinutes: minutes)
        let slots = ExpertAvailability(expert: expert, booked: booked).bookableSlots(query, now: now)
        #expect(slots.allSatisfy { $0.duration == TimeInterval(minutes * 60) })
        return slots.map(\.start)
    }

    func nightShift(_ zone: String) -> Expert {
        .fixture(timeZone: zone, weeklyHours: [.on(.sunday, "01:00", "04:00")])
    }

    // MARK: DST days

    @Test func berlinSpringForwardOffersNoSlotAtTimesThatDoNotExist() throws {
        let starts = try slots(nightShift("Europe/Berlin"), from: "2025-03-30T00:00:00+01:00", to: "2025-03-31T00:00:00+02:00")
        #expect(starts == [
            "2025-03-30T01:00:00+01:00", "2025-03-30T01:15:00+01:00", "2025-03-30T01:30:00+01:00",
            "2025-03-30T01:45:00+01:00", "2025-03-30T03:00:00+02:00",
        ].map { Date.utc($0) })
    }

    @Test func berlinFallBackOffersEachRealInstantOfTheRepeatedHourOnce() throws {
        let starts = try slots(nightShift("Europe/Berlin"), from: "2025-10-26T00:00:00+02:00", to: "2025-10-27T00:00:00+01:00")
        #expect(starts == [
            "2025-10-26T01:00:00+02:00", "2025-10-26T01:15:00+02:00", "2025-10-26T01:30:00+02:00",
            "2025-10-26T01:45:00+02:00", "2025-10-26T02:00:00+02:00", "2025-10-26T02:15:00+02:00",
            "2025-10-26T02:30:00+02:00", "2025-10-26T02:45:00+02:00", "2025-10-26T02:00:00+01:00",
            "2025-10-26T02:15:00+01:00", "2025-10-26T02:30:00+01:00", "2025-10-26T02:45:00+01:00",
            "2025-10-26T03:00:00+01:00",
        ].map { Date.utc($0) })
        #expect(Set(starts).count == starts.count)
    }

    @Test func newYorkSpringForwardOffersNoSlotAtTimesThatDoNotExist() throws {
        let starts = try slots(nightShift("America/New_York"), from: "2025-03-09T00:00:00-05:00", to: "2025-03-10T00:00:00-04:00")
        #expect(starts == [
            "2025-03-09T01:00:00-05:00", "2025-03-09T01:15:00-05:00", "2025-03-09T01:30:00-05:00",
            "2025-03-09T01:45:00-05:00", "2025-03-09T03:00:00-04:00",
        ].map { Date.utc($0) })
    }

    @Test func newYorkFallBackOffersEachRealInstantOfTheRepeatedHourOnce() throws {
        let starts = try slots(nightShift("America/New_York"), from: "2025-11-02T00:00:00-04:00", to: "2025-11-03T00:00:00-05:00")
        #expect(starts == [
            "2025-11-02T01:00:00-04:00", "2025-11-02T01:15:00-04:00", "2025-11-02T01:30:00-04:00",
            "2025-11-02T01:45:00-04:00", "2025-11-02T01:00:00-05:00", "2025-11-02T01:15:00-05:00",
            "2025-11-02T01:30:00-05:00", "2025-11-02T01:45:00-05:00", "2025-11-02T02:00:00-05:00",
            "2025-11-02T02:15:00-05:00", "2025-11-02T02:30:00-05:00", "2025-11-02T02:45:00-05:00",
            "2025-11-02T03:00:00-05:00",
        ].map { Date.utc($0) })
    }

    @Test func hoursInsideTheSpringGapOfferNothingAndHoursStartingInItBeginAtTheJump() throws {
        let inGap = Expert.fixture(weeklyHours: [.on(.sunday, "02:00", "02:45")])
        #expect(try slots(inGap, from: "2025-03-30T00:00:00+01:00", to: "2025-03-31T00:00:00+02:00", minutes: 15).isEmpty)
        let fromGap = Expert.fixture(weeklyHours: [.on(.sunday, "02:30", "04:00")])
        #expect(try slots(fromGap, from: "2025-03-30T00:00:00+01:00", to: "2025-03-31T00:00:00+02:00") == [
            "2025-03-30T03:00:00+02:00",
        ].map { Date.utc($0) })
    }

    // MARK: Weeks containing a DST change

    @Test func berlinHoursStayOnTheWallClockThroughTheSpringWeek() throws {
        let expert = Expert.fixture(weeklyHours: Weekday.allCases.map { .on($0, "09:00", "10:00") })
        let starts = try slots(expert, from: "2025-03-27T00:00:00+01:00", to: "2025-04-01T00:00:00+02:00", minutes: 30)
        let expected = ["2025-03-27T%@+01:00", "2025-03-28T%@+01:00", "2025-03-29T%@+01:00",
                        "2025-03-30T%@+02:00", "2025-03-31T%@+02:00"].flatMap { day in
            ["09:00:00", "09:15:00", "09:30:00"].map { Date.utc(day.replacingOccurrences(of: "%@", with: $0)) }
        }
        #expect(starts == expected)
        #expect(starts[9] == .utc("2025-03-30T07:00:00Z"))   // an hour earlier in UTC from Sunday on
    }

    @Test func newYorkHoursStayOnTheWallClockThroughTheFallWeek() throws {
        let expert = Expert.fixture(timeZone: "America/New_York", weeklyHours: [
            .on(.saturday, "16:00", "17:00"), .on(.sunday, "16:00", "17:00"), .on(.monday, "16:00", "17:00"),
        ])
        let starts = try slots(expert, from: "2025-10-27T00:00:00-04:00", to: "2025-11-04T00:00:00-05:00", minutes: 30)
        let expected = ["2025-11-01T%@-04:00", "2025-11-02T%@-05:00", "2025-11-03T%@-05:00"].flatMap { day in
            ["16:00:00", "16:15:00", "16:30:00"].map { Date.utc(day.replacingOccurrences(of: "%@", with: $0)) }
        }
        // Monday 2025-10-27 too, before the change.
        let monday = ["16:00:00", "16:15:00", "16:30:00"].map { Date.utc("2025-10-27T\($0)-04:00") }
        #expect(starts == monday + expected)
    }

    @Test func aRangeEndingAt2400RunsToMidnight() throws {
        let expert = Expert.fixture(weeklyHours: [.on(.monday, "23:00", "24:00")])
        #expect(try slots(expert, from: "2025-06-02T00:00:00+02:00", to: "2025-06-04T00:00:00+02:00", minutes: 30) == [
            "2025-06-02T23:00:00+02:00", "2025-06-02T23:15:00+02:00", "2025-06-02T23:30:00+02:00",
        ].map { Date.utc($0) })
    }

    // MARK: Rules removing slots

    @Test func timeOffAndBookedCallsRemoveEveryOverlappingSlot() throws {
        let expert = Expert.fixture(
            weeklyHours: [.on(.monday, "09:00", "12:00")],
            timeOff: [.from("2025-06-02T10:00:00+02:00", to: "2025-06-02T10:30:00+02:00")])
        let booked = [TimeSlot.from("2025-06-02T11:00:00+02:00", to: "2025-06-02T11:30:00+02:00")]
        let starts = try slots(expert, from: "2025-06-02T00:00:00+02:00", to: "2025-06-03T00:00:00+02:00",
                               minutes: 30, booked: booked)
        #expect(starts == [
            "2025-06-02T09:00:00+02:00", "2025-06-02T09:15:00+02:00", "2025-06-02T09:30:00+02:00",
            "2025-06-02T10:30:00+02:00", "2025-06-02T11:30:00+02:00",
        ].map { Date.utc($0) })
    }

    @Test func calendarBusyTimesRemoveSlotsLikeTimeOff() throws {
        var expert = Expert.fixture(
            weeklyHours: [.on(.monday, "09:00", "11:00")],
            timeOff: [.from("2025-06-02T09:00:00+02:00", to: "2025-06-02T09:30:00+02:00")])
        expert.calendarBusy = [.from("2025-06-02T10:00:00+02:00", to: "2025-06-02T10:30:00+02:00")]
        let starts = try slots(expert, from: "2025-06-02T00:00:00+02:00", to: "2025-06-03T00:00:00+02:00", minutes: 30)
        #expect(starts == ["2025-06-02T09:30:00+02:00", "2025-06-02T10:30:00+02:00"].map { Date.utc($0) })
        #expect(ExpertAvailability(expert: expert, booked: []).check(
            .from("2025-06-02T10:15:00+02:00", minutes: 30), now: .utc("2025-06-01T00:00:00Z")) == .duringTimeOff)
    }

    @Test func slotsStartOnTheGridAfterNowAndInsideTheWindow() throws {
        let expert = Expert.fixture(weeklyHours: [.on(.monday, "09:00", "12:00")])
        let starts = try slots(expert, from: "2025-06-02T09:00:00+02:00", to: "2025-06-02T10:40:00+02:00",
                               minutes: 30, now: .utc("2025-06-02T09:20:07+02:00"))
        #expect(starts == [
            "2025-06-02T09:30:00+02:00", "2025-06-02T09:45:00+02:00", "2025-06-02T10:00:00+02:00",
        ].map { Date.utc($0) })
    }

    @Test func touchingRangesAreOneStretchOfWork() throws {
        let expert = Expert.fixture(weeklyHours: [.on(.monday, "09:00", "10:00"), .on(.monday, "10:00", "10:30")])
        #expect(try slots(expert, from: "2025-06-02T00:00:00+02:00", to: "2025-06-03T00:00:00+02:00").map {
            $0.formatted(.iso8601)
        } == ["2025-06-02T07:00:00Z", "2025-06-02T07:15:00Z", "2025-06-02T07:30:00Z"])
    }

    @Test func inactiveExpertsAndUnknownZonesOfferNothing() throws {
        #expect(try slots(.fixture(active: false), from: "2025-06-02T00:00:00Z", to: "2025-06-03T00:00:00Z").isEmpty)
        #expect(try slots(.fixture(timeZone: "Nowhere/Special"), from: "2025-06-02T00:00:00Z", to: "2025-06-03T00:00:00Z").isEmpty)
    }

    // MARK: Booking

    @Test func eachRefusalNamesItsRule() {
        let expert = Expert.fixture(
            weeklyHours: [.on(.monday, "09:00", "12:00")],
            timeOff: [.from("2025-06-02T10:00:00+02:00", to: "2025-06-02T10:30:00+02:00")])
        let availability = ExpertAvailability(
            expert: expert, booked: [.from("2025-06-02T11:00:00+02:00", to: "2025-06-02T11:30:00+02:00")])
        let now = Date.utc("2025-06-01T00:00:00Z")
        #expect(availability.check(.from("2025-06-02T09:05:00+02:00", minutes: 40), now: now) == nil)
        #expect(availability.check(.from("2025-06-02T08:45:00+02:00", minutes: 30), now: now) == .outsideWeeklyHours)
        #expect(availability.check(.from("2025-06-02T11:45:00+02:00", minutes: 30), now: now) == .outsideWeeklyHours)
        #expect(availability.check(.from("2025-06-02T10:15:00+02:00", minutes: 30), now: now) == .duringTimeOff)
        #expect(availability.check(.from("2025-06-02T11:15:00+02:00", minutes: 30), now: now) == .taken)
        #expect(availability.check(.from("2025-06-02T09:00:00+02:00", minutes: 30), now: .utc("2025-06-02T09:01:00+02:00"))
            == .startsInThePast)
        #expect(SlotRefusal.taken.error == .alreadyExists("the expert already has a call at that time"))
        #expect(SlotRefusal.outsideWeeklyHours.error
            == .failedPrecondition("the slot is outside the expert's weekly hours"))
        #expect(ExpertAvailability(expert: .fixture(timeZone: "Nowhere/Special"), booked: [])
            .check(.from("2025-06-02T09:00:00+02:00", minutes: 30), now: now) == .unknownTimeZone("Nowhere/Special"))
    }

    @Test func aSlotRunningPastMidnightIsOutsideEvenWhenTheNextDayStartsAtMidnight() {
        let expert = Expert.fixture(weeklyHours: [.on(.monday, "22:00", "24:00"), .on(.tuesday, "00:00", "02:00")])
        let slot = TimeSlot.from("2025-06-02T23:45:00+02:00", minutes: 30)
        #expect(!ExpertAvailability.isBookable(expert, slot: slot, booked: [], now: longAgo))
    }

    @Test func slotQueriesAreValidated() throws {
        #expect(throws: BookingError.invalidArgument("available_from must be before available_to")) {
            try SlotQuery(from: .utc("2025-06-02T00:00:00Z"), to: .utc("2025-06-02T00:00:00Z"))
        }
        #expect(throws: BookingError.self) {
            try SlotQuery(from: .utc("2025-06-01T00:00:00Z"), to: .utc("2025-08-01T00:00:00Z"))
        }
        #expect(throws: BookingError.invalidArgument("slot_minutes must be 15 to 240, got 10")) {
            try SlotQuery(from: .utc("2025-06-02T00:00:00Z"), to: .utc("2025-06-03T00:00:00Z"), slotMinutes: 10)
        }
        #expect(try SlotQuery(from: .utc("2025-06-02T00:00:00Z"), to: .utc("2025-06-03T00:00:00Z")).slotMinutes == 30)
    }
}
