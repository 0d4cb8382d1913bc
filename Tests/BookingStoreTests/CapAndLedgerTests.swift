import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// Scheduling, database half: caps counted and enforced by PostgreSQL under concurrency.
@Suite struct CapTests {
    /// 2025-04-01 is a Tuesday; 06:00Z–14:00Z is 08:00–16:00 in Paris, one local day.
    static let tuesday = Date.utc("2025-04-01T06:00:00Z")

    @Test func sixteenConcurrentBookingsAtADailyCapOfThreeMakeExactlyThree() async throws {
        try await Store.withFresh(poolSize: 16) { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerDay: 3))
            // Sixteen different slots of one local day: nothing but the cap refuses them.
            let outcome = await race(16) { index in
                try await store.book(expert, at: Self.tuesday + TimeInterval(index * 1800), customer: "user_\(index)")
            }
            #expect(outcome.successes.count == 3)
            #expect(outcome.refusals == Array(repeating: "ruleViolation:expert_day_cap", count: 13))
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-01") == 3)
        }
    }

    @Test func sixteenConcurrentBookingsOfOneSlotMakeExactlyOne() async throws {
        try await Store.withFresh(poolSize: 16) { store in
            let expert = try await store.expert()
            let outcome = await race(16) { index in
                try await store.book(expert, at: Self.tuesday, customer: "user_\(index)")
            }
            #expect(outcome.successes.count == 1)
            #expect(outcome.refusals == Array(repeating: "exclusionViolation:calls_expert_no_overlap", count: 15))
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-01") == 1)
        }
    }

    /// Days and weeks are the expert's: 23:30Z on Sunday is already Monday in Auckland, a new
    /// week there.
    @Test func theWeeklyCapCountsTheExpertsOwnMondayToSunday() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerWeek: 2), timeZone: "Pacific/Auckland")
            try await store.book(expert, "2025-04-01T01:00:00Z")  // Tue 14:00 NZDT
            try await store.book(expert, "2025-04-02T01:00:00Z")  // Wed
            let error = await expectStoreError(.ruleViolation) { try await store.book(expert, "2025-04-03T01:00:00Z") }
            #expect(error?.constraint == "expert_week_cap" && error?.refusal == .expertWeekCap)
            // Sunday 2025-04-06 20:00Z is Monday 08:00 in Auckland (NZST since 04-06 03:00).
            try await store.book(expert, "2025-04-06T20:00:00Z")
            #expect(try await store.counter("expert_week_counts", "call_count", expert, "week_start", "2025-03-31") == 2)
            #expect(try await store.counter("expert_week_counts", "call_count", expert, "week_start", "2025-04-07") == 1)
        }
    }

    @Test func calendlyBookingsAreCountedButNeverRefusedByACap() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerDay: 1))
            try await store.book(expert, "2025-04-01T08:00:00Z", calendly: true)
            try await store.book(expert, "2025-04-01T09:00:00Z", calendly: true)
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-01") == 2)
            await expectStoreError(.ruleViolation) { try await store.book(expert, "2025-04-01T10:00:00Z") }
        }
    }

    @Test func cancellingFreesTheCapCountAndTheLedgerMinutes() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(maxCallsPerDay: 1))
            let call = try await store.book(expert, "2025-04-01T08:00:00Z", minutes: 45)
            let window = TimeSlot(start: Self.tuesday - 86_400, end: Self.tuesday + 86_400)
            #expect(try await store.calls.loads(of: [expert], around: window)[expert]?.bookedMinutes == 45)
            await expectStoreError(.ruleViolation) { try await store.book(expert, "2025-04-01T12:00:00Z") }

            try await store.setState(call.id, .cancelled)
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-01") == 0)
            let load = try await store.calls.loads(of: [expert], around: window)[expert]
            #expect(load?.bookedMinutes == 0)
            #expect(load?.ledgerCalls == 0)
            try await store.book(expert, "2025-04-01T12:00:00Z")
            #expect(try await store.calls.loads(of: [expert], around: window)[expert]?.bookedMinutes == 30)
        }
    }

    /// No-shows by the customer do not count against the expert's load; the cap
    /// still counts the call (the expert kept the time).
    @Test func aCustomerNoShowLeavesTheLedgerButNotTheCap() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let missed = try await store.book(expert, "2025-04-01T08:00:00Z")
            let expertMissed = try await store.book(expert, "2025-04-01T09:00:00Z")
            try await store.setState(missed.id, .noShow, party: .customer)
            try await store.setState(expertMissed.id, .noShow, party: .expert)
            let window = TimeSlot(start: Self.tuesday, end: Self.tuesday + 3600)
            #expect(try await store.calls.loads(of: [expert], around: window)[expert]?.bookedMinutes == 30)
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-01") == 2)
            // Unmarking (Calendly's invitee_no_show.deleted) puts it back.
            try await store.setState(missed.id, .scheduled)
            #expect(try await store.calls.loads(of: [expert], around: window)[expert]?.bookedMinutes == 60)
        }
    }

    @Test func changingTheExpertsTimeZoneRecountsTheirDays() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            try await store.book(expert, "2025-04-01T22:30:00Z")  // 00:30 on 04-02 in Paris
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-02") == 1)
            try await store.pool.withConnection { connection in
                try connection.execute(
                    "UPDATE calls.experts SET time_zone = 'America/New_York' WHERE id = $1", [expert.uuid])
            }
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-01") == 1)
            #expect(try await store.counter("expert_day_counts", "call_count", expert, "local_date", "2025-04-02") == 0)
        }
    }
}
