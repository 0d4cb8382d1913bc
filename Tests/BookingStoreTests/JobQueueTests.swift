import BookingDomain
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import BookingStore

/// The jobs outbox on a real PostgreSQL: enqueue in the cause's transaction, each job to one
/// worker, backoff, dead after the last attempt, leases that end.
@Suite struct JobQueueTests {
    @Test func aJobEnqueuedInARolledBackTransactionNeverExists() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await pool.withTransaction { connection in
                    try JobQueue.enqueue(NewJob(kind: "test.kind"), on: connection)
                    throw Boom()
                }
            }
            let queue = JobQueue(pool: pool)
            let jobs = try await queue.jobs(kind: "test.kind")
            let claimed = try await queue.claim(limit: 10, lease: .seconds(30))
            #expect(jobs.isEmpty && claimed.isEmpty)
        }
    }

    @Test func aDedupeKeyAddsTheJobOnce() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool)
            #expect(try await queue.enqueue(NewJob(kind: "k", payload: #"{"n":1}"#, dedupeKey: "call-1")))
            #expect(try await !queue.enqueue(NewJob(kind: "k", payload: #"{"n":2}"#, dedupeKey: "call-1")))
            // Another kind with the same key is another job.
            #expect(try await queue.enqueue(NewJob(kind: "other", dedupeKey: "call-1")))
            let claimed = try await queue.claim(limit: 10, lease: .seconds(30))
            #expect(claimed.map(\.kind).sorted() == ["k", "other"])
            #expect(claimed.first { $0.kind == "k" }?.payload == #"{"n": 1}"#)
        }
    }

    @Test func jobsAddedTogetherAreAddedAsEachAloneWouldBe() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let later = Date(timeIntervalSince1970: 1_900_000_000)
            #expect(try await JobQueue(pool: pool).enqueue(NewJob(kind: "k", payload: #"{"n":0}"#, dedupeKey: "taken")))
            let started = try await pool.withTransaction { connection in
                try JobQueue.enqueue(
                    [
                        NewJob(kind: "k", payload: #"{"n":1}"#, dedupeKey: "now"),
                        NewJob(kind: "k", payload: #"{"n":2}"#, runAt: later, dedupeKey: "later"),
                        NewJob(kind: "k", payload: #"{"n":3}"#, dedupeKey: "taken"),
                        NewJob(kind: "k", payload: #"{"n":4}"#, dedupeKey: "now"),
                        NewJob(kind: "k", payload: #"{"n":5}"#),
                    ], on: connection)
                return try connection.execute("SELECT now() AS started").first?.date("started")
            }
            let rows = try await pool.withConnection { connection in
                try connection.execute(
                    "SELECT coalesce(dedupe_key, '-') AS key, payload::text AS payload, run_at FROM calls.jobs WHERE kind = 'k'"
                ).rows.map { row throws(StoreError) in
                    (key: try row.string("key") ?? "", payload: try row.string("payload") ?? "", runAt: try row.date("run_at"))
                }
            }
            #expect(rows.count == 4, "one per dedupe key, and the one without")
            let byKey = Dictionary(rows.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byKey["now"]?.runAt == started, "no time is the transaction's now()")
            #expect(byKey["later"]?.runAt == later)
            #expect(byKey["taken"]?.payload == #"{"n": 0}"#, "a key already taken keeps its job")
            #expect(byKey["now"]?.payload == #"{"n": 1}"#, "of two with one key the first is added")
        }
    }

    @Test func aJobDueLaterIsNotClaimedBeforeItsTime() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool)
            try await queue.enqueue(NewJob(kind: "later", runAt: Date().addingTimeInterval(3600)))
            try await queue.enqueue(NewJob(kind: "now"))
            #expect(try await queue.claim(limit: 10, lease: .seconds(30)).map(\.kind) == ["now"])
        }
    }

    @Test func twoWorkersOnTwoPoolsRunEachJobOnce() async throws {
        try await TestDatabase.withFreshDatabase(poolSize: 4) { pool, url in
            let other = PGPool(configuration: TestDatabase.configuration(url, poolSize: 4))
            let jobCount = 60
            let seeding = JobQueue(pool: pool)
            for index in 0..<jobCount { try await seeding.enqueue(NewJob(kind: "work", payload: #"{"i":\#(index)}"#)) }
            let runs = Runs()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for workerPool in [pool, other, pool, other] {
                    group.addTask {
                        let queue = JobQueue(pool: workerPool)
                        while true {
                            let claimed = try await queue.claim(limit: 3, lease: .seconds(30))
                            if claimed.isEmpty { return }
                            for job in claimed {
                                runs.ids.withLock { $0.append(job.id) }
                                #expect(try await queue.complete(job))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            await other.shutdown()
            let ran = runs.ids.withLock { $0 }
            #expect(ran.count == jobCount, "every job ran once, none twice")
            #expect(Set(ran).count == jobCount)
            #expect(try await seeding.jobs(kind: "work").allSatisfy { $0.state == .done && $0.attempts == 1 })
        }
    }

    @Test func aFailedJobWaitsLongerAfterEachAttempt() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            // Minutes, not seconds: on a loaded machine the check that the job is not due yet
            // must not come after it is due again.
            let backoff = JobBackoff(base: .seconds(60), cap: .seconds(3600), jitter: 0)
            let queue = JobQueue(pool: pool, maxAttempts: 8, backoff: backoff)
            try await queue.enqueue(NewJob(kind: "flaky"))
            var delays: [TimeInterval] = []
            for _ in 1...3 {
                // Make the job due now, then fail it once more.
                try await pool.withConnection { try $0.execute("UPDATE calls.jobs SET run_at = now()") }
                let job = try #require(try await queue.claim(limit: 1, lease: .seconds(30)).first)
                let before = Date()
                guard case .scheduled(let next) = try await queue.fail(job, error: "HTTP 503") else {
                    Issue.record("expected a retry")
                    return
                }
                delays.append(next.timeIntervalSince(before))
                // Not due yet: nobody gets it.
                #expect(try await queue.claim(limit: 1, lease: .seconds(30)).isEmpty)
            }
            // 1, 2, 4 minutes, each within the time the statements took.
            for (delay, expected) in zip(delays, [60.0, 120.0, 240.0]) {
                #expect(abs(delay - expected) < 5, "delays \(delays)")
            }
            let status = try #require(try await queue.jobs(kind: "flaky").first)
            #expect(status.state == .pending && status.attempts == 3 && status.lastError == "HTTP 503")
        }
    }

    @Test func theBackoffDoublesUpToItsCap() {
        let backoff = JobBackoff(base: .seconds(5), cap: .seconds(60), jitter: 0)
        #expect((1...6).map { backoff.delay(afterAttempt: $0) } == [5, 10, 20, 40, 60, 60].map { .seconds($0) })
    }

    @Test func aJobIsDeadAfterItsLastAttempt() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool, maxAttempts: 3, backoff: JobBackoff(base: .zero, jitter: 0))
            try await queue.enqueue(NewJob(kind: "doomed"))
            var outcomes: [JobQueue.Retry] = []
            for _ in 1...3 {
                let job = try #require(try await queue.claim(limit: 1, lease: .seconds(30)).first)
                outcomes.append(try await queue.fail(job, error: "refused"))
            }
            #expect(outcomes.count == 3)
            #expect(outcomes.last == .dead)
            #expect(outcomes.dropLast().allSatisfy { if case .scheduled = $0 { true } else { false } })
            #expect(try await queue.claim(limit: 1, lease: .seconds(30)).isEmpty)
            let status = try #require(try await queue.jobs(kind: "doomed").first)
            #expect(status.state == .dead && status.attempts == 3)
        }
    }

    @Test func aPermanentFailureIsDeadAtOnce() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool, maxAttempts: 8)
            try await queue.enqueue(NewJob(kind: "bad"))
            let job = try #require(try await queue.claim(limit: 1, lease: .seconds(30)).first)
            #expect(try await queue.fail(job, error: "no such call", permanent: true) == .dead)
            #expect(try await queue.status(of: job.id)?.state == .dead)
        }
    }

    @Test func aJobWhoseLeaseEndedIsClaimedAgainAndTheOldClaimLosesIt() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool, maxAttempts: 8)
            try await queue.enqueue(NewJob(kind: "crashy"))
            // An 8 s lease: the next claim comes well within it also while the whole suite runs in
            // parallel on a machine loaded by other builds (2 s was not always enough).
            let leased = ContinuousClock.now
            let first = try #require(try await queue.claim(limit: 1, lease: .seconds(8)).first)
            // The worker "crashed": the job is held until the lease ends.
            #expect(try await queue.claim(limit: 1, lease: .seconds(30)).isEmpty)
            try await Task.sleep(until: leased + .milliseconds(8500))
            let second = try #require(try await queue.claim(limit: 1, lease: .seconds(30)).first)
            #expect(second.id == first.id && second.attempt == 2 && second.leaseToken != first.leaseToken)
            // The first worker coming back cannot overwrite the second attempt.
            #expect(try await !queue.complete(first))
            #expect(try await queue.fail(first, error: "late") == .claimLost)
            #expect(try await queue.complete(second))
            #expect(try await queue.status(of: first.id)?.state == .done)
        }
    }

    @Test func aLeaseThatEndsOnTheLastAttemptMakesTheJobDead() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let queue = JobQueue(pool: pool, maxAttempts: 1)
            try await queue.enqueue(NewJob(kind: "crashes-every-time"))
            let job = try #require(try await queue.claim(limit: 1, lease: .milliseconds(200)).first)
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await queue.claim(limit: 1, lease: .seconds(30)).isEmpty)
            let status = try #require(try await queue.status(of: job.id))
            #expect(status.state == .dead && status.lastError?.contains("lease") == true)
        }
    }

    @Test func bookingACallEnqueuesItsRoomSetupInTheSameTransaction() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await store.book(expert, "2030-01-07T09:00:00Z")
            let queue = JobQueue(pool: store.pool)
            let jobs = try await queue.jobs(kind: RoomSetupJob.name, dedupeKey: call.id.uuidString)
            #expect(jobs.count == 1)
            let job = try #require(try await queue.claim(limit: 1, lease: .seconds(30)).first)
            #expect(job.payload == #"{"call_id": "\#(call.id.uuidString)"}"#)
            // A booking the database refuses leaves no job behind.
            await #expect(throws: StoreError.self) { try await store.book(expert, "2030-01-07T09:00:00Z") }
            #expect(try await queue.jobs(kind: RoomSetupJob.name).count == 1)
        }
    }
}

/// Job ids claimed by workers running concurrently.
final class Runs: Sendable {
    let ids = Mutex<[Int64]>([])
}
