import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// A live hold takes one of the expert's places under the day and week caps in the database,
/// so that it always converts, and a hold is refused once the caps are full.
@Suite struct HoldCapTests {
    /// 2025-04-01 is a Tuesday; 06:00Z–14:00Z is 08:00–16:00 in Paris, one local day.
    static let tuesday = Date.utc("2025-04-01T06:00:00Z")

    @Test func aHeldSlotStillConvertsAfterSixteenConcurrentBookingsAtTheDailyCap() async throws {
        try await Store.withFresh(poolSize: 16) { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerDay: 2))
            let hold = try await store.hold(expert, at: Self.tuesday, customer: "holder")
            let outcome = await race(16) { index in
                try await store.book(expert, at: Self.tuesday + TimeInterval((index + 1) * 1800), customer: "user_\(index)")
            }
            #expect(outcome.successes.count == 1)
            #expect(outcome.refusals == Array(repeating: "ruleViolation:expert_day_cap", count: 15))

            let converted = try await store.book(expert, at: Self.tuesday, customer: "holder", hold: hold.id)
            #expect(try await store.holds.find(hold.id)?.convertedCallID == converted.id)
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-01") == 2)
        }
    }

    @Test func aHoldIsRefusedWhenCallsAndHoldsFillTheDay() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerDay: 2))
            try await store.book(expert, at: Self.tuesday, customer: "bob")
            try await store.hold(expert, at: Self.tuesday + 3600, customer: "alice")
            let refused = await expectStoreError(.ruleViolation) {
                try await store.hold(expert, at: Self.tuesday + 7200, customer: "carol")
            }
            #expect(refused?.constraint == "expert_day_cap" && refused?.refusal == .expertDayCap)
            // Another day of the same week is free.
            try await store.hold(expert, at: Self.tuesday + 86_400, customer: "carol")
        }
    }

    @Test func theWeeklyCapCountsHoldsToo() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerWeek: 2))
            try await store.hold(expert, at: Self.tuesday, customer: "alice")
            try await store.book(expert, at: Self.tuesday + 86_400, customer: "bob")
            let booking = await expectStoreError(.ruleViolation) {
                try await store.book(expert, at: Self.tuesday + 2 * 86_400, customer: "carol")
            }
            #expect(booking?.constraint == "expert_week_cap")
            let hold = await expectStoreError(.ruleViolation) {
                try await store.hold(expert, at: Self.tuesday + 2 * 86_400, customer: "carol")
            }
            #expect(hold?.constraint == "expert_week_cap")
        }
    }

    /// The holder's own hold never stands in their way (as in the domain's check)…
    @Test func aHoldersOwnHoldDoesNotCountAgainstTheirBookings() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerDay: 2))
            try await store.hold(expert, at: Self.tuesday, customer: "alice")
            try await store.book(expert, at: Self.tuesday + 3600, customer: "alice")
            // …while alice's hold and call fill the day for everyone else.
            let refused = await expectStoreError(.ruleViolation) {
                try await store.book(expert, at: Self.tuesday + 7200, customer: "carol")
            }
            #expect(refused?.constraint == "expert_day_cap")
        }
    }

    @Test func releasedAndExpiredHoldsFreeTheirPlace() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerDay: 1))
            let released = try await store.hold(expert, at: Self.tuesday, customer: "alice")
            await expectStoreError(.ruleViolation) { try await store.book(expert, at: Self.tuesday + 3600, customer: "bob") }
            _ = try await store.holds.release(released.id, by: "alice")
            let expiring = try await store.hold(expert, at: Self.tuesday + 7200, customer: "carol", expiresIn: .seconds(3))
            await expectStoreError(.ruleViolation) { try await store.book(expert, at: Self.tuesday + 3600, customer: "bob") }
            try await Task.sleep(until: .now + .seconds(max(0, expiring.expiresAt.timeIntervalSinceNow) + 0.2))
            try await store.book(expert, at: Self.tuesday + 3600, customer: "bob")
        }
    }

    /// A Calendly booking is counted but never refused, even over holds; the hold still converts.
    @Test func aCalendlyBookingOverAHoldLeavesTheHoldConvertible() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerDay: 1))
            let hold = try await store.hold(expert, at: Self.tuesday, customer: "alice")
            try await store.book(expert, at: Self.tuesday + 3600, customer: "bob", calendly: true)
            try await store.book(expert, at: Self.tuesday, customer: "alice", hold: hold.id)
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-01") == 2)
        }
    }
}
