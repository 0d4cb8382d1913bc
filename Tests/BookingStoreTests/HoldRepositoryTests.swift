import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// Holds share one exclusion constraint with calls (`calls.expert_occupancy`).
@Suite struct HoldRepositoryTests {
    @Test func aHoldBlocksAnotherCustomersBookingAndHold() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let hold = try await store.hold(expert, "2025-04-01T08:00:00Z", customer: "alice")
            #expect(hold.customerUserID == "alice")
            #expect(hold.isLive(at: hold.createdAt))
            let booking = await expectStoreError(.ruleViolation) {
                try await store.book(expert, "2025-04-01T08:15:00Z", customer: "bob")
            }
            #expect(booking?.constraint == "slot_held" && booking?.refusal == .slotHeld)
            let second = await expectStoreError(.ruleViolation) {
                try await store.hold(expert, "2025-04-01T07:45:00Z", customer: "bob")
            }
            #expect(second?.constraint == "slot_held")
            // Next to it is free.
            try await store.book(expert, "2025-04-01T08:30:00Z", customer: "bob")
        }
    }

    @Test func aSlotTakenByACallCannotBeHeld() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            try await store.book(expert, "2025-04-01T08:00:00Z")
            let error = await expectStoreError(.exclusionViolation) {
                try await store.hold(expert, "2025-04-01T08:00:00Z", customer: "bob")
            }
            #expect(error?.constraint == "expert_occupancy_no_overlap")
        }
    }

    @Test func sixteenConcurrentHoldsOfOneSlotMakeExactlyOne() async throws {
        try await Store.withFresh(poolSize: 16) { store in
            let expert = try await store.expert()
            let outcome = await race(16) { index in
                try await store.hold(expert, "2025-04-01T08:00:00Z", customer: "user_\(index)").id
            }
            #expect(outcome.successes.count == 1)
            #expect(outcome.refusals == Array(repeating: "ruleViolation:slot_held", count: 15))
        }
    }

    @Test func anExpiredHoldNoLongerBlocks() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let hold = try await store.hold(expert, "2025-04-01T08:00:00Z", customer: "alice", expiresIn: .milliseconds(50))
            try await Task.sleep(for: .milliseconds(200))
            let window = TimeSlot(start: .utc("2025-04-01T00:00:00Z"), end: .utc("2025-04-02T00:00:00Z"))
            #expect(try await store.holds.activeHolds(of: [expert], in: window).isEmpty)
            try await store.hold(expert, "2025-04-01T08:00:00Z", customer: "bob")
            let found = try await store.holds.find(hold.id)
            #expect(found?.isLive(at: Date()) == false)
        }
    }

    @Test func anExpiredHoldNoLongerBlocksABooking() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            try await store.hold(expert, "2025-04-01T08:00:00Z", customer: "alice", expiresIn: .milliseconds(50))
            try await Task.sleep(for: .milliseconds(200))
            try await store.book(expert, "2025-04-01T08:00:00Z", customer: "bob")
        }
    }

    @Test func aReleasedHoldFreesItsSlotAndReleasingAgainChangesNothing() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let hold = try await store.hold(expert, "2025-04-01T08:00:00Z", customer: "alice")
            let released = try await store.holds.release(hold.id, by: "user:alice")
            #expect(released?.releasedAt != nil)
            #expect(released?.releasedBy == "user:alice")
            let again = try await store.holds.release(hold.id, by: "admin")
            #expect(again == released)
            #expect(try await store.holds.release(UUID(), by: "admin") == nil)
            try await store.book(expert, "2025-04-01T08:00:00Z", customer: "bob")
            let error = await expectStoreError(.ruleViolation) {
                try await store.book(expert, "2025-04-01T09:00:00Z", customer: "alice", hold: hold.id)
            }
            #expect(error?.constraint == "hold_released" && error?.refusal == .holdUsed)
        }
    }

    @Test func bookingWithTheHoldConvertsItAtomically() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(bufferAfterMinutes: 10))
            let hold = try await store.hold(expert, "2025-04-01T08:00:00Z", customer: "alice")
            #expect(hold.occupied.end == .utc("2025-04-01T08:40:00Z"))
            let mismatch = await expectStoreError(.ruleViolation) {
                try await store.book(expert, "2025-04-01T08:00:00Z", customer: "bob", hold: hold.id)
            }
            #expect(mismatch?.constraint == "hold_mismatch" && mismatch?.refusal == .holdMismatch)
            let call = try await store.book(expert, "2025-04-01T08:00:00Z", customer: "alice", hold: hold.id)
            let converted = try await store.holds.find(hold.id)
            #expect(converted?.convertedCallID == call.id)
            #expect(converted?.isLive(at: Date()) == false)
            let window = TimeSlot(start: .utc("2025-04-01T00:00:00Z"), end: .utc("2025-04-02T00:00:00Z"))
            #expect(try await store.holds.activeHolds(of: [expert], in: window).isEmpty)
            #expect(try await store.experts.bookedIntervals(of: [expert], in: window)[expert]
                == [TimeSlot(start: .utc("2025-04-01T08:00:00Z"), end: .utc("2025-04-01T08:40:00Z"))])
            let twice = await expectStoreError(.ruleViolation) {
                try await store.book(expert, "2025-04-01T08:00:00Z", customer: "alice", hold: hold.id)
            }
            #expect(twice?.constraint == "hold_converted")
            let unknown = await expectStoreError(.ruleViolation) {
                try await store.book(expert, "2025-04-01T10:00:00Z", customer: "alice", hold: UUID())
            }
            #expect(unknown?.constraint == "hold_not_found")
        }
    }

    @Test func aFailedConversionKeepsTheHold() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let hold = try await store.hold(expert, "2025-04-01T08:00:00Z", customer: "alice")
            let error = await expectStoreError(.ruleViolation) {
                try await store.book(expert, "2025-04-01T08:00:00Z", minutes: 45, customer: "alice", hold: hold.id)
            }
            #expect(error?.constraint == "hold_mismatch")
            #expect(try await store.holds.find(hold.id)?.isLive(at: Date()) == true)
            await expectStoreError(.ruleViolation) { try await store.book(expert, "2025-04-01T08:00:00Z", customer: "carol") }
        }
    }

    @Test func activeHoldsListsLiveHoldsOverlappingTheWindow() async throws {
        try await Store.withFresh { store in
            let ada = try await store.expert()
            let grace = try await store.expert(email: "grace@example.com")
            let first = try await store.hold(ada, "2025-04-01T08:00:00Z", customer: "alice")
            let second = try await store.hold(grace, "2025-04-01T09:00:00Z", customer: "bob")
            _ = try await store.hold(ada, "2025-04-03T08:00:00Z", customer: "carol")
            let window = TimeSlot(start: .utc("2025-04-01T00:00:00Z"), end: .utc("2025-04-02T00:00:00Z"))
            let holds = try await store.holds.activeHolds(of: [ada, grace], in: window)
            #expect(holds[ada]?.map(\.id) == [first.id])
            #expect(holds[grace]?.map(\.id) == [second.id])
        }
    }
}

/// Buffers come from the expert's rules unless the booking names its own.
@Suite struct BufferTests {
    @Test func aBufferAfterBlocksTheNextCallOfThatExpertOnly() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(bufferAfterMinutes: 15))
            let other = try await store.expert(email: "grace@example.com")
            try await store.book(expert, "2025-04-01T09:30:00Z")  // ends 10:00, occupies to 10:15
            let error = await expectStoreError(.exclusionViolation) { try await store.book(expert, "2025-04-01T10:10:00Z") }
            #expect(error?.constraint == "calls_expert_no_overlap")
            try await store.book(other, "2025-04-01T10:10:00Z")
            try await store.book(expert, "2025-04-01T10:15:00Z")
        }
    }

    @Test func explicitBuffersOverrideTheExpertsRules() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert(SchedulingRules(bufferAfterMinutes: 15))
            try await store.book(expert, "2025-04-01T09:30:00Z", buffers: StoredBuffers(beforeMinutes: 0, afterMinutes: 0))
            try await store.book(expert, "2025-04-01T10:00:00Z", buffers: StoredBuffers(beforeMinutes: 0, afterMinutes: 0))
        }
    }
}
