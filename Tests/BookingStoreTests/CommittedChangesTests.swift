import BookingDomain
import Foundation
import Synchronization
import Testing
import TestSupport

@testable import BookingStore

/// What `CallRepository` reports as committed (the call volume metrics count it): each stored
/// change once, after its transaction committed, and nothing of a transaction rolled back.
@Suite struct CommittedChangesTests {
    static let start = Date.utc("2030-01-07T09:00:00Z")

    /// The changes reported, in order.
    final class Reported: Sendable {
        let changes = Mutex<[CallChange]>([])
        var events: [CallEvent.Kind] { self.changes.withLock { $0.map(\.event.kind) } }
    }

    static func calls(_ store: Store, reported: Reported, now: Date = Self.start) -> CallRepository {
        CallRepository(pool: store.pool, now: { now }, committed: { changes in reported.changes.withLock { $0 += changes } })
    }

    static func book(_ calls: CallRepository, _ expert: ExpertID, calendlyInvitee: String? = nil) async throws -> Call {
        let call = Call(
            id: CallID(UUID()), expertID: expert, customer: Customer(userID: "user_1", timeZone: "UTC"), topic: "taxes",
            scheduledStart: Self.start, scheduledEnd: Self.start + 1800, calendlyInviteeURI: calendlyInvitee,
            createdAt: Self.start, updatedAt: Self.start)
        return try await calls.insert(calls.lifecycle.book(call), requestID: nil, specialty: "tax", actor: "test")
    }

    @Test func aBookingAndEachMoveAreReportedOnceWithTheCallAsStored() async throws {
        try await Store.withFresh { store in
            let reported = Reported()
            let calls = Self.calls(store, reported: reported)
            let call = try await Self.book(calls, try await store.expert())
            try await calls.change(call.id, actor: "stream") { call, tx in tx.lifecycle.start(call, at: Self.start + 60) }
            try await calls.change(call.id, actor: "stream") { call, tx in tx.lifecycle.complete(call, at: Self.start + 1560) }

            #expect(reported.events == [.created, .sessionStarted, .completed])
            let changes = reported.changes.withLock { $0 }
            #expect(changes.map(\.books) == [true, false, false])
            #expect(changes.first?.call.bookingSource == .api)
            #expect(changes.map(\.finishes) == [nil, nil, .completed])
            #expect(changes.last?.completedDuration == 1500)
        }
    }

    @Test func aRefusedMoveOrARepeatReportsNothing() async throws {
        try await Store.withFresh { store in
            let reported = Reported()
            let calls = Self.calls(store, reported: reported)
            let call = try await Self.book(calls, try await store.expert(), calendlyInvitee: "https://api.calendly.com/i/1")
            try await calls.change(call.id, actor: "admin") { call, tx in tx.lifecycle.cancel(call, reason: "", at: tx.now) }
            let again = try await calls.change(call.id, actor: "admin") { call, tx in
                tx.lifecycle.cancel(call, reason: "", at: tx.now)
            }

            guard case .refused = again?.decision else { Issue.record("a second cancel was not refused"); return }
            #expect(reported.events == [.created, .cancelled])
            #expect(reported.changes.withLock { $0.first?.call.bookingSource } == .calendly)
            #expect(reported.changes.withLock { $0.last?.finishes } == .cancelled)
        }
    }

    @Test func aTransactionThatThrowsAfterAChangeReportsNothing() async throws {
        struct Abort: Error {}
        try await Store.withFresh { store in
            let reported = Reported()
            let calls = Self.calls(store, reported: reported)
            let call = try await Self.book(calls, try await store.expert())
            await #expect(throws: Abort.self) {
                try await calls.transaction { tx in
                    try tx.change(call.id, actor: "admin") { tx.lifecycle.cancel($0, reason: "", at: tx.now) }
                    throw Abort()
                }
            }

            #expect(reported.events == [.created])
            #expect(try await calls.find(call.id)?.state == .scheduled)
        }
    }
}
