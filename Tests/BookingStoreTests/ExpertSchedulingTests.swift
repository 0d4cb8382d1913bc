import BookingDomain
import Foundation
import TestSupport
import Testing

@testable import BookingStore

@Suite struct ExpertSchedulingTests {
    static let rules = SchedulingRules(
        bufferBeforeMinutes: 5, bufferAfterMinutes: 10, minimumNoticeMinutes: 120, bookingHorizonDays: 60,
        maxCallsPerDay: 4, maxCallsPerWeek: 12, weight: 2, priority: 3)

    @Test func rulesAndDateOverridesRoundTrip() async throws {
        try await Store.withFresh { store in
            let expert = Expert(id: ExpertID(UUID()), name: "Ada", email: "ada@example.com", timeZone: "Europe/Paris")
            let overrides = [
                StoredDateOverride(date: "2025-04-02", startMinute: 780, endMinute: 960),
                .closed("2025-04-01"),
                StoredDateOverride(date: "2025-04-02", startMinute: 540, endMinute: 720),
            ]
            try await store.experts.insert(expert, scheduling: StoredScheduling(rules: Self.rules, dateOverrides: overrides))
            let found = try #require(try await store.experts.findWithScheduling(expert.id))
            #expect(found.expert.id == expert.id)
            #expect(found.scheduling.rules == Self.rules)
            #expect(found.scheduling.dateOverrides == [overrides[1], overrides[2], overrides[0]])
            #expect(found.scheduling.dateOverrides.first?.isClosed == true)
            #expect(try await store.experts.scheduling(of: [expert.id, ExpertID(UUID())]) == [expert.id: found.scheduling])
        }
    }

    @Test func replacingAvailabilityReplacesOverridesAndRulesOnlyWhenGiven() async throws {
        try await Store.withFresh { store in
            let id = try await store.expert(Self.rules)
            _ = try await store.experts.replaceAvailability(
                id, weeklyHours: [], timeOff: [], dateOverrides: [.closed("2025-04-01")])
            var stored = try await store.experts.scheduling(of: [id])[id]
            #expect(stored?.rules == Self.rules)
            #expect(stored?.dateOverrides == [.closed("2025-04-01")])

            _ = try await store.experts.replaceAvailability(id, weeklyHours: [], timeOff: [])
            stored = try await store.experts.scheduling(of: [id])[id]
            #expect(stored?.dateOverrides == [.closed("2025-04-01")])

            _ = try await store.experts.replaceAvailability(
                id, weeklyHours: [], timeOff: [], dateOverrides: [], rules: SchedulingRules(weight: 5))
            stored = try await store.experts.scheduling(of: [id])[id]
            #expect(stored == StoredScheduling(rules: SchedulingRules(weight: 5)))
        }
    }

    @Test func invalidOverridesAndRulesAreRefusedAndChangeNothing() async throws {
        try await Store.withFresh { store in
            let id = try await store.expert(Self.rules)
            await expectStoreError(.exclusionViolation) {
                try await store.experts.replaceAvailability(
                    id, weeklyHours: [], timeOff: [],
                    dateOverrides: [.closed("2025-04-01"), StoredDateOverride(date: "2025-04-01", startMinute: 60, endMinute: 120)])
            }
            await expectStoreError(.dataException) {
                try await store.experts.replaceAvailability(id, weeklyHours: [], timeOff: [], dateOverrides: [.closed("2025-02-30")])
            }
            let error = await expectStoreError(.checkViolation) {
                try await store.experts.replaceAvailability(
                    id, weeklyHours: [], timeOff: [], rules: SchedulingRules(maxCallsPerDay: -1))
            }
            #expect(error?.constraint == "experts_max_calls_per_day_range")
            #expect(try await store.experts.scheduling(of: [id])[id] == StoredScheduling(rules: Self.rules))
        }
    }
}
