import BookingDomain
import Foundation
import Synchronization
import Testing

@testable import BookingStore

/// `find`s that arrive while a read is on its way share the next read; none joins a read
/// already sent.
@Suite struct CallLookupsTests {
    /// A `read` that records the ids of each call and, when `held`, waits to be let go.
    final class FakeReads: Sendable {
        let calls: [CallID: Call]
        private let state = Mutex<(reads: [[CallID]], gates: [CheckedContinuation<Void, Never>], held: Bool)>(([], [], false))

        init(_ calls: [Call]) {
            self.calls = Dictionary(uniqueKeysWithValues: calls.map { ($0.id, $0) })
        }

        var reads: [[CallID]] { self.state.withLock { $0.reads } }
        var waitingReads: Int { self.state.withLock { $0.gates.count } }

        func hold() { self.state.withLock { $0.held = true } }

        func release() {
            let gates = self.state.withLock { state in
                state.held = false
                defer { state.gates = [] }
                return state.gates
            }
            for gate in gates { gate.resume() }
        }

        func read(_ ids: [CallID]) async throws -> [Call] {
            await withCheckedContinuation { gate in
                let wait = self.state.withLock { state in
                    state.reads.append(ids)
                    if state.held { state.gates.append(gate) }
                    return state.held
                }
                if !wait { gate.resume() }
            }
            if ids.contains(Self.failing) { throw StoreError.unavailable("down") }
            return ids.compactMap { self.calls[$0] }
        }

        static let failing = CallID(UUID())
    }

    static func calls(_ count: Int) -> [Call] {
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        return (0..<count).map { _ in
            Call(
                id: CallID(UUID()), state: .scheduled, expertID: nil, customer: Customer(userID: "user_c"), topic: "t",
                scheduledStart: now, scheduledEnd: now.addingTimeInterval(1800), createdAt: now, updatedAt: now)
        }
    }

    static func until(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
        #expect(condition())
    }

    @Test func aLoneFindReadsItsOwnIdAtOnce() async throws {
        let stored = Self.calls(2)
        let fake = FakeReads(stored)
        let lookups = CallLookups(maxInFlight: 2) { try await fake.read($0) }
        #expect(try await lookups.find(stored[0].id) == stored[0])
        #expect(try await lookups.find(CallID(UUID())) == nil)
        #expect(fake.reads.map(\.count) == [1, 1])
    }

    @Test func findsThatArriveDuringAReadShareTheNextOne() async throws {
        let stored = Self.calls(20)
        let fake = FakeReads(stored)
        let lookups = CallLookups(maxInFlight: 1) { try await fake.read($0) }
        fake.hold()
        async let first = lookups.find(stored[0].id)
        try await Self.until { fake.waitingReads == 1 }
        // The first id again, and nineteen others, while the first read is out.
        let rest = Task {
            try await withThrowingTaskGroup(of: (CallID, Call?).self) { group in
                for call in stored { group.addTask { (call.id, try await lookups.find(call.id)) } }
                return try await group.reduce(into: [CallID: Call?]()) { $0[$1.0] = $1.1 }
            }
        }
        try await Self.until { lookups.waitingCount == 20 }
        fake.release()
        #expect(try await first == stored[0])
        try await Self.until { fake.waitingReads == 1 || fake.reads.count == 2 }
        fake.release()
        let found = try await rest.value
        #expect(found.count == 20 && stored.allSatisfy { found[$0.id] == $0 })
        #expect(fake.reads.count == 2, "one read for the first id, one for all that came during it")
        #expect(Set(fake.reads[1]) == Set(stored.map(\.id)), "the first id is read again: it came after the first read left")
    }

    @Test func aFailedReadFailsItsBatchAndTheNextOneStillGoes() async throws {
        let stored = Self.calls(1)
        let fake = FakeReads(stored)
        let lookups = CallLookups(maxInFlight: 1) { try await fake.read($0) }
        await #expect(throws: StoreError.self) { try await lookups.find(FakeReads.failing) }
        #expect(try await lookups.find(stored[0].id) == stored[0])
    }
}
