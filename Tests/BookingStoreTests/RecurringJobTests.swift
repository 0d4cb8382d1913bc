import BookingDomain
import Foundation
import TestSupport
import Testing

@testable import BookingStore

/// Periodic work as recurring rows of the jobs outbox: one row however many replicas schedule
/// it, one claim per round, never done or dead, and apart from the calls' jobs.
@Suite struct RecurringJobTests {
    enum Round: JobKind {
        static let name = "test.round"
        typealias Payload = NoPayload
    }

    static let everyTenMinutes = RecurringJob(Round.self, every: .seconds(600), firstRunIn: .zero)

    func row(_ pool: PGPool) async throws -> (state: String, attempts: Int, dueIn: Double, error: String?)? {
        try await pool.withConnection { connection in
            try connection.execute(
                """
                SELECT state, attempts, extract(epoch FROM run_at - now())::float8 AS due_in, last_error
                FROM calls.jobs WHERE kind = 'test.round'
                """
            ).first.map { (try $0.string("state") ?? "", try $0.int("attempts") ?? 0, try $0.double("due_in") ?? 0, try $0.string("last_error")) }
        }
    }

    @Test func replicasSchedulingTheSameJobMakeOneRowAndOneClaimPerRound() async throws {
        try await TestDatabase.withFreshDatabase(poolSize: 8) { pool, _ in
            let queue = JobQueue(pool: pool)
            _ = await race(8) { _ in try await queue.schedule(Self.everyTenMinutes) }
            let claims = await race(8) { _ in try await queue.claim(limit: 5, lease: .seconds(30), recurring: true) }
            #expect(claims.refusals.isEmpty)
            let claimed = claims.successes.flatMap { $0 }
            #expect(claimed.map(\.kind) == ["test.round"])
            // The running round holds its lease for the interval, not the worker's default.
            #expect(try await queue.claim(limit: 5, lease: .zero, recurring: true).isEmpty)

            #expect(try await queue.complete(try #require(claimed.first)))
            let row = try #require(try await self.row(pool))
            #expect(row.state == "pending" && row.attempts == 0)
            #expect(row.dueIn > 590 && row.dueIn <= 600)
            #expect(try await queue.claim(limit: 5, lease: .seconds(30), recurring: true).isEmpty)
        }
    }

    @Test func aFailedRoundIsRetriedWithinItsIntervalAndNeverDies() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            // A minute's backoff: a loaded CI machine may take seconds between the statements.
            let queue = JobQueue(pool: pool, maxAttempts: 1, backoff: JobBackoff(base: .seconds(60), jitter: 0))
            try await queue.schedule(Self.everyTenMinutes)
            let round = try #require(try await queue.claim(limit: 1, lease: .seconds(30), recurring: true).first)
            #expect(try await queue.fail(round, error: "Calendly is down", permanent: true) != .dead)
            let row = try #require(try await self.row(pool))
            #expect(row.state == "pending" && row.error == "Calendly is down")
            #expect(row.dueIn > 30 && row.dueIn <= 60)
        }
    }

    @Test func theCallsWorkerNeverClaimsARoundAndTheRoundsWorkerNoCallJob() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool)
            try await queue.schedule(Self.everyTenMinutes)
            try await queue.enqueue(NewJob(kind: "call.thing"))
            #expect(try await queue.claim(limit: 5, lease: .seconds(30)).map(\.kind) == ["call.thing"])
            #expect(try await queue.claim(limit: 5, lease: .seconds(30), recurring: true).map(\.kind) == ["test.round"])
        }
    }

    @Test func schedulingAgainWithAShorterIntervalBringsTheNextRoundCloser() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool)
            try await queue.schedule(RecurringJob(Round.self, every: .seconds(86_400), firstRunIn: .seconds(86_400)))
            try await queue.schedule(RecurringJob(Round.self, every: .seconds(60), firstRunIn: .seconds(1)))
            let row = try #require(try await self.row(pool))
            #expect(row.dueIn > 50 && row.dueIn <= 60)
        }
    }
}
