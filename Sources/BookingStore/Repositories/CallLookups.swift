import BookingDomain
import Synchronization

/// `CallRepository.find` for many callers at once: the ids asked for while earlier reads are
/// on their way are read together, `WHERE id = ANY($1)`, in one round trip.
///
/// Under load nearly every GetCall read waited for a connection, then cost PostgreSQL and this
/// process one round trip each (a pool thread woken, a `send` and a `poll`, a thread switch
/// back). Coalesced, one round trip answers every id that queued behind it.
///
/// - A read with no other read in flight (fewer than `maxInFlight`) goes out at once, alone:
///   an idle service answers as fast as before, on the asking task.
/// - Otherwise the id waits; when a read comes back, everything waiting goes out as the next
///   batch (at most `maxBatch` ids).
/// - An id joins only a batch that has not been sent, so a read that starts after a write
///   committed sees that write: coalescing never answers from an older snapshot than a lone
///   read would have.
/// - A failure (no connection, a lost one) fails every read of its batch with the same error.
final class CallLookups: Sendable {
    typealias Read = @Sendable ([CallID]) async throws -> [Call]

    private struct Waiter {
        let id: CallID
        let continuation: CheckedContinuation<Call?, any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var inFlight = 0
    }

    private let read: Read
    private let maxInFlight: Int
    private let maxBatch: Int
    private let state = Mutex(State())

    init(maxInFlight: Int, maxBatch: Int = 256, read: @escaping Read) {
        self.read = read
        self.maxInFlight = max(1, maxInFlight)
        self.maxBatch = max(1, maxBatch)
    }

    /// Ids waiting for the next batch, for tests.
    var waitingCount: Int { self.state.withLock { $0.waiting.count } }

    func find(_ id: CallID) async throws -> Call? {
        let leads = self.state.withLock { state in
            guard state.inFlight < self.maxInFlight, state.waiting.isEmpty else { return false }
            state.inFlight += 1
            return true
        }
        if leads {
            do {
                let call = try await self.read([id]).first { $0.id == id }
                self.sendNextBatch()
                return call
            } catch {
                self.sendNextBatch()
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            let batch = self.state.withLock { state -> [Waiter]? in
                state.waiting.append(Waiter(id: id, continuation: continuation))
                // Every read may have come back between the check above and now.
                guard state.inFlight < self.maxInFlight else { return nil }
                state.inFlight += 1
                return self.takeBatch(&state)
            }
            if let batch { Task { await self.run(batch) } }
        }
    }

    /// After a read came back: the waiting ids go out as the next batch, in a task of their
    /// own so that the caller's answer is not held back; or the slot is given up.
    private func sendNextBatch() {
        let batch = self.state.withLock { state -> [Waiter]? in
            guard !state.waiting.isEmpty else {
                state.inFlight -= 1
                return nil
            }
            return self.takeBatch(&state)
        }
        if let batch { Task { await self.run(batch) } }
    }

    private func takeBatch(_ state: inout State) -> [Waiter] {
        let count = min(state.waiting.count, self.maxBatch)
        let batch = Array(state.waiting.prefix(count))
        state.waiting.removeFirst(count)
        return batch
    }

    private func run(_ batch: [Waiter]) async {
        do {
            let calls = try await self.read(Array(Set(batch.map(\.id))))
            let byID = Dictionary(calls.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for waiter in batch { waiter.continuation.resume(returning: byID[waiter.id]) }
        } catch {
            for waiter in batch { waiter.continuation.resume(throwing: error) }
        }
        self.sendNextBatch()
    }
}
