import Foundation
import Testing

@testable import BookingDomain

@Suite struct AvailabilityUpdateTests {
    func update(_ hours: [WeeklyHours], timeOff: [TimeSlot] = [], zone: String = "Europe/Berlin")
        throws(BookingError) -> AvailabilityUpdate
    {
        try AvailabilityUpdate(validating: hours, timeOff: timeOff, timeZone: zone)
    }

    @Test func touchingRangesAndAFullDayAreAccepted() throws {
        _ = try self.update([.on(.monday, "09:00", "12:00"), .on(.monday, "12:00", "17:00"),
                             .on(.tuesday, "00:00", "24:00"), .on(.wednesday, "09:00", "12:00")])
    }

    @Test func theZoneMustBeKnown() {
        #expect(throws: BookingError.invalidArgument(
            "timezone must be an IANA timezone such as \"Europe/Berlin\", got \"Europe/Atlantis\"")) {
            try self.update([], zone: "Europe/Atlantis")
        }
        #expect(throws: BookingError.self) { try self.update([], zone: "") }
    }

    @Test func aRangeMustStartBeforeItEnds() {
        #expect(throws: BookingError.invalidArgument("weekly_hours[1] must start before it ends, got 17:00–09:00")) {
            try self.update([.on(.monday, "09:00", "12:00"), .on(.friday, "17:00", "09:00")])
        }
        #expect(throws: BookingError.self) { try self.update([.on(.monday, "09:00", "09:00")]) }
    }

    @Test func overlappingRangesOnOneWeekdayAreRefused() throws {
        #expect(throws: BookingError.invalidArgument("weekly_hours[2] and weekly_hours[0] overlap on MONDAY")) {
            try self.update([.on(.monday, "11:00", "17:00"), .on(.tuesday, "08:00", "12:00"), .on(.monday, "09:00", "12:00")])
        }
        // The same hours on different days do not overlap.
        _ = try self.update([.on(.monday, "09:00", "12:00"), .on(.tuesday, "09:00", "12:00")])
    }

    @Test func wireHoursNameTheirFieldWhenMalformed() {
        #expect(throws: BookingError.invalidArgument("weekly_hours[3].day must be MONDAY to SUNDAY")) {
            try WeeklyHours(dayNumber: 0, startTime: "09:00", endTime: "10:00", index: 3)
        }
        #expect(throws: BookingError.invalidArgument(
            "weekly_hours[0].end_time must be a local time \"HH:MM\" (00:00 to 24:00), got \"5pm\"")) {
            try WeeklyHours(dayNumber: 1, startTime: "09:00", endTime: "5pm", index: 0)
        }
    }

    @Test func timeOffMustStartBeforeItEndsAndNotOverlap() throws {
        let week = TimeSlot.from("2025-06-02T00:00:00Z", to: "2025-06-09T00:00:00Z")
        let after = TimeSlot.from("2025-06-09T00:00:00Z", to: "2025-06-10T00:00:00Z")
        _ = try self.update([], timeOff: [after, week])
        #expect(throws: BookingError.invalidArgument("time_off[0] must start before it ends")) {
            try self.update([], timeOff: [TimeSlot(start: week.end, end: week.start)])
        }
        let inside = TimeSlot.from("2025-06-03T00:00:00Z", to: "2025-06-04T00:00:00Z")
        #expect(throws: BookingError.invalidArgument("time_off[1] and time_off[0] overlap")) {
            try self.update([], timeOff: [inside, week])
        }
    }

    @Test func aNewExpertNeedsANameAndAKnownZone() throws {
        var expert = Expert.fixture(specialties: ["  Tax "])
        #expect(try expert.validated().specialties == ["Tax"])
        expert.name = "  "
        #expect(throws: BookingError.invalidArgument("expert.name is required")) { try expert.validated() }
        expert.name = "Grace"
        expert.timeZone = "CEST+2"
        #expect(throws: BookingError.self) { try expert.validated() }
        expert.timeZone = "America/New_York"
        expert.email = "not-an-email"
        #expect(throws: BookingError.invalidArgument("expert.email must be an email address, got \"not-an-email\"")) {
            try expert.validated()
        }
    }
}
