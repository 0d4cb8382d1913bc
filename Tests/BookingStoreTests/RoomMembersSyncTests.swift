import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// A call whose people change gets its room setup again, in the change's transaction, with a
/// dedupe key that lets every change (also back to an earlier expert) run once.
@Suite struct RoomMembersSyncTests {
    static func roomJobs(_ store: Store) async throws -> [JobStatus] {
        try await JobQueue(pool: store.pool).jobs(kind: RoomSetupJob.name)
    }

    static func keys(_ store: Store) async throws -> [String] {
        try await store.pool.withConnection { connection in
            try connection.execute("SELECT dedupe_key FROM calls.jobs WHERE kind = $1 ORDER BY id", [RoomSetupJob.name])
                .rows.map { row throws(StoreError) in try row.string("dedupe_key") ?? "" }
        }
    }

    @Test func everyReassignmentRunsTheRoomSetupAgainAlsoBackToTheFirstExpert() async throws {
        try await Store.withFresh { store in
            let first = try await store.expert(email: "a@example.com")
            let second = try await store.expert(email: "b@example.com")
            let call = try await store.book(first, "2030-01-07T09:00:00Z")
            let assignment = Assignment(reason: .reassigned, note: "test")
            for expert in [second, first] {
                let outcome = try await store.calls.change(call.id, actor: "admin") { call, transaction in
                    transaction.lifecycle.reassign(call, to: expert, assignment: assignment, at: transaction.now)
                }
                #expect(outcome?.call.expertID == expert)
            }
            let id = call.id.uuidString
            #expect(try await Self.keys(store) == [
                id, "\(id):members:\(second.uuidString):user_1:2", "\(id):members:\(first.uuidString):user_1:3",
            ])
            // (The reassignments' reminders are jobs of other kinds.)
            let claimed = try await JobQueue(pool: store.pool).claim(limit: 20, lease: .seconds(30))
                .filter { $0.kind == RoomSetupJob.name }
            #expect(Set(claimed.map(\.payload)) == [#"{"call_id": "\#(id)"}"#])
        }
    }

    @Test func aCallThatCannotBeReassignedGetsNoJob() async throws {
        try await Store.withFresh { store in
            let first = try await store.expert(email: "a@example.com")
            let second = try await store.expert(email: "b@example.com")
            let call = try await store.book(first, "2030-01-07T09:00:00Z")
            try await store.setState(call.id, .cancelled)
            let moved = try await store.calls.change(call.id, actor: "admin") { call, transaction in
                transaction.lifecycle.reassign(call, to: second, assignment: Assignment(reason: .reassigned), at: transaction.now)
            }
            guard case .refused = moved?.decision else {
                Issue.record("a cancelled call was reassigned")
                return
            }
            #expect(try await Self.roomJobs(store).count == 1)
        }
    }

    @Test func claimingABookingAddsTheCustomerToItsRoomOnce() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let start = Date.utc("2030-01-07T09:00:00Z")
            let call = Call(
                id: CallID(UUID()), expertID: expert, customer: Customer(userID: "", email: "Bo@Example.com", name: "Bo"),
                topic: "taxes", scheduledStart: start, scheduledEnd: start + 1800, createdAt: start, updatedAt: start)
            _ = try await store.calls.insert(store.calls.lifecycle.book(call), requestID: nil, specialty: "tax", actor: "calendly")
            #expect(try await store.calls.claimUnclaimed(email: "bo@example.com", userID: "user_bo") == 1)
            #expect(try await store.calls.claimUnclaimed(email: "bo@example.com", userID: "user_bo") == 0)
            let id = call.id.uuidString
            // Two events by then: the booking and the claim.
            #expect(try await Self.keys(store) == [id, "\(id):members:\(expert.uuidString):user_bo:2"])
            #expect(try await store.calls.find(call.id)?.customer.userID == "user_bo")
        }
    }
}
