import BookingDomain
import Foundation
import TestSupport
import Testing

@testable import BookingStore

/// The jobs outbox as operators read and fix it, on a real PostgreSQL: listed newest first by
/// state (a failed attempt shows as `failed`), kind and call; a dead or failed job retried
/// with its history, anything else refused.
@Suite struct JobBoardTests {
    static let noJitter = JobBackoff(base: .seconds(60), cap: .seconds(3600), jitter: 0)

    /// A job of `kind` that failed `failures` times with a queue of `maxAttempts`: dead when
    /// that used them up, else failed (pending again, due later).
    static func failedJob(_ queue: JobQueue, kind: String, payload: String = "{}", failures: Int) async throws {
        try await queue.enqueue(NewJob(kind: kind, payload: payload))
        for attempt in 1...failures {
            if attempt > 1 {
                try await queue.pool.withConnection { try $0.execute("UPDATE calls.jobs SET run_at = now() WHERE kind = $1", [kind]) }
            }
            let claimed = try #require(try await queue.claim(limit: 1, lease: .seconds(30)).first { $0.kind == kind })
            try await queue.fail(claimed, error: "provider said 500 (attempt \(attempt))")
        }
    }

    @Test func jobsAreListedNewestFirstByStateKindAndCall() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool, maxAttempts: 2, backoff: Self.noJitter)
            let board = JobBoard(pool: pool)
            let call = UUID()
            try await queue.enqueue(NewJob(
                kind: "waiting", payload: #"{"call_id":"\#(call.uuidString.lowercased())"}"#, runAt: Date() + 3600))
            try await Self.failedJob(queue, kind: "flaky", failures: 1)
            try await Self.failedJob(queue, kind: "broken", failures: 2)

            let all = try await board.list(.init(), before: nil, limit: 10)
            #expect(all.map(\.kind) == ["broken", "flaky", "waiting"])
            #expect(all.map(\.state) == [.dead, .failed, .pending])
            #expect(all[0].lastError == "provider said 500 (attempt 2)" && all[0].attempts == 2 && all[0].nextRunAt == nil)
            #expect(all[1].nextRunAt != nil && all[1].lastError == "provider said 500 (attempt 1)")
            #expect(all[2].callID == call && all[2].history.isEmpty && all[2].nextRunAt != nil)

            #expect(try await board.list(.init(state: .dead), before: nil, limit: 10).map(\.kind) == ["broken"])
            #expect(try await board.list(.init(state: .failed), before: nil, limit: 10).map(\.kind) == ["flaky"])
            #expect(try await board.list(.init(state: .pending), before: nil, limit: 10).map(\.kind) == ["waiting"])
            #expect(try await board.list(.init(kind: "flaky"), before: nil, limit: 10).count == 1)
            #expect(try await board.list(.init(callID: call), before: nil, limit: 10).map(\.kind) == ["waiting"])
            #expect(try await board.list(.init(callID: UUID()), before: nil, limit: 10).isEmpty)

            let first = try await board.list(.init(), before: nil, limit: 2)
            let rest = try await board.list(.init(), before: first.last?.id, limit: 2)
            #expect(first.map(\.kind) + rest.map(\.kind) == ["broken", "flaky", "waiting"])
        }
    }

    @Test func aDeadJobRetriedRunsAgainWithFreshAttemptsAndKeepsItsErrorInItsHistory() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool, maxAttempts: 2, backoff: Self.noJitter)
            let board = JobBoard(pool: pool)
            try await Self.failedJob(queue, kind: "broken", failures: 2)
            let dead = try #require(try await board.list(.init(state: .dead), before: nil, limit: 1).first)

            guard case .retried(let job) = try await board.retry(dead.id, actor: "user_admin", reason: "provider fixed")
            else { Issue.record("the dead job was not retried"); return }
            #expect(job.state == .pending && job.attempts == 0 && job.lastError == nil && job.nextRunAt != nil)
            #expect(job.history.map(\.kind) == ["retried"])
            #expect(job.history.first?.actor == "user_admin")
            #expect(job.history.first?.detail == "was dead after 2 attempts: provider said 500 (attempt 2); reason: provider fixed")

            // It runs again at once, with its full attempts.
            let claimed = try await queue.claim(limit: 10, lease: .seconds(30))
            #expect(claimed.map(\.id) == [dead.id] && claimed.first?.attempt == 1)
            #expect(try await board.retry(dead.id, actor: "user_admin", reason: "") == .notRetryable(.running))
        }
    }

    @Test func aFailedJobRetriedIsDueNowAndOthersAreRefused() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool, maxAttempts: 5, backoff: Self.noJitter)
            let board = JobBoard(pool: pool)
            try await Self.failedJob(queue, kind: "flaky", failures: 1)
            try await queue.enqueue(NewJob(kind: "waiting"))
            let listed = try await board.list(.init(), before: nil, limit: 10)
            let (waiting, flaky) = (listed[0], listed[1])
            #expect(flaky.state == .failed && waiting.state == .pending)

            #expect(try await board.retry(waiting.id, actor: "a", reason: "") == .notRetryable(.pending))
            #expect(try await board.retry(999_999, actor: "a", reason: "") == .unknown)
            guard case .retried(let job) = try await board.retry(flaky.id, actor: "a", reason: "") else {
                Issue.record("the failed job was not retried"); return
            }
            #expect(job.history.first?.detail == "was failed after 1 attempts: provider said 500 (attempt 1)")
            #expect(try await queue.claim(limit: 10, lease: .seconds(30)).map(\.kind).sorted() == ["flaky", "waiting"])
        }
    }
}
