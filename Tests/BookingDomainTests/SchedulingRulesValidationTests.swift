import Foundation
import Testing

@testable import BookingDomain

/// An expert's scheduling fields: scheduling rules and date overrides, as
/// `SetExpertAvailability` and `CreateExpert` validate them.
@Suite struct SchedulingRulesValidationTests {
    @Test func defaultRulesLimitNothingAndWeightZeroCountsAsOne() throws {
        let rules = SchedulingRules()
        #expect(try rules.validated() == rules)
        #expect(rules.effectiveWeight == 1)
        #expect(SchedulingRules(weight: 3).effectiveWeight == 3)
        let slot = TimeSlot.from("2025-06-02T10:00:00Z", minutes: 30)
        #expect(rules.occupiedRange(of: slot) == slot)
        #expect(SchedulingRules(bufferBeforeMinutes: 10, bufferAfterMinutes: 5).occupiedRange(of: slot)
            == .from("2025-06-02T09:50:00Z", to: "2025-06-02T10:35:00Z"))
    }

    @Test func eachRuleOutOfRangeNamesItsField() {
        #expect(throws: BookingError.invalidArgument("scheduling.buffer_before_minutes must be 0 to 240, got -5")) {
            try SchedulingRules(bufferBeforeMinutes: -5).validated()
        }
        #expect(throws: BookingError.invalidArgument("scheduling.buffer_after_minutes must be 0 to 240, got 241")) {
            try SchedulingRules(bufferAfterMinutes: 241).validated()
        }
        #expect(throws: BookingError.invalidArgument("scheduling.minimum_notice_minutes must be 0 to 43200, got -1")) {
            try SchedulingRules(minimumNoticeMinutes: -1).validated()
        }
        #expect(throws: BookingError.invalidArgument("scheduling.booking_horizon_days must be 0 to 730, got 731")) {
            try SchedulingRules(bookingHorizonDays: 731).validated()
        }
        #expect(throws: BookingError.invalidArgument("scheduling.max_calls_per_day must be 0 to 96, got 97")) {
            try SchedulingRules(maxCallsPerDay: 97).validated()
        }
        #expect(throws: BookingError.invalidArgument("scheduling.max_calls_per_week must be 0 to 672, got -2")) {
            try SchedulingRules(maxCallsPerWeek: -2).validated()
        }
        #expect(throws: BookingError.invalidArgument("scheduling.weight must be 0 to 1000, got -1")) {
            try SchedulingRules(weight: -1).validated()
        }
        #expect(throws: BookingError.invalidArgument("expert.scheduling.priority must be -1000 to 1000, got 1001")) {
            try SchedulingRules(priority: 1001).validated(field: "expert.scheduling")
        }
        #expect(throws: Never.self) { try SchedulingRules(priority: -1000).validated() }
    }

    @Test func storedWeightsOutsideTheRangeAreClampedNotTrusted() {
        #expect(SchedulingRules(weight: -4).effectiveWeight == 1)
        #expect(SchedulingRules(weight: 1_000_000).effectiveWeight == SchedulingRules.maximumWeight)
    }

    @Test func dateOverridesParseFromTheWireNamingTheirField() throws {
        let parsed = try DateOverride(date: "2025-12-24", hours: [("09:00", "12:00")], index: 0)
        #expect(parsed == .on("2025-12-24", ("09:00", "12:00")))
        #expect(try DateOverride(date: "2025-12-25", hours: [], index: 1).isClosed)
        #expect(throws: BookingError.invalidArgument(
            "date_overrides[2].date must be a local date \"YYYY-MM-DD\", got \"2025-02-30\"")) {
            try DateOverride(date: "2025-02-30", hours: [], index: 2)
        }
        #expect(throws: BookingError.invalidArgument(
            "date_overrides[0].hours[1].end_time must be a local time \"HH:MM\" (00:00 to 24:00), got \"25:00\"")) {
            try DateOverride(date: "2025-12-24", hours: [("09:00", "10:00"), ("11:00", "25:00")], index: 0)
        }
    }

    func update(_ overrides: [DateOverride], scheduling: SchedulingRules? = nil) throws(BookingError) -> AvailabilityUpdate {
        try AvailabilityUpdate(validating: [], timeOff: [], dateOverrides: overrides, scheduling: scheduling, timeZone: "Europe/Berlin")
    }

    @Test func overridesNeedUniqueDatesOrderedRangesAndNoOverlap() throws {
        let ok = try self.update([
            .on("2025-12-24", ("09:00", "12:00"), ("12:00", "13:00")), .on("2025-12-25"), .on("2025-12-31", ("22:00", "24:00")),
        ])
        #expect(ok.dateOverrides.count == 3)
        #expect(ok.scheduling == nil)
        #expect(throws: BookingError.invalidArgument("date_overrides[0] and date_overrides[2] are both for 2025-12-24")) {
            try self.update([.on("2025-12-24"), .on("2025-12-25"), .on("2025-12-24", ("09:00", "10:00"))])
        }
        #expect(throws: BookingError.invalidArgument(
            "date_overrides[1].hours[0] must start before it ends, got 12:00–09:00")) {
            try self.update([.on("2025-12-24"), .on("2025-12-25", ("12:00", "09:00"))])
        }
        #expect(throws: BookingError.invalidArgument(
            "date_overrides[0].hours[1] and date_overrides[0].hours[0] overlap")) {
            try self.update([.on("2025-12-24", ("10:00", "12:00"), ("09:00", "10:30"))])
        }
    }

    @Test func rulesGivenWithAnUpdateAreValidatedAndKept() throws {
        let rules = SchedulingRules(bufferAfterMinutes: 10, maxCallsPerDay: 4, weight: 2, priority: -1)
        #expect(try self.update([], scheduling: rules).scheduling == rules)
        #expect(throws: BookingError.self) { try self.update([], scheduling: SchedulingRules(maxCallsPerDay: -1)) }
    }

    @Test func aNewExpertsRulesAndOverridesAreValidatedToo() {
        var expert = Expert.fixture(scheduling: SchedulingRules(bufferBeforeMinutes: 300))
        #expect(throws: BookingError.invalidArgument("expert.scheduling.buffer_before_minutes must be 0 to 240, got 300")) {
            try expert.validated()
        }
        expert.scheduling = SchedulingRules()
        expert.dateOverrides = [.on("2025-12-24"), .on("2025-12-24")]
        #expect(throws: BookingError.self) { try expert.validated() }
    }
}
