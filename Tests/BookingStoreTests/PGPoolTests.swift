import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TestSupport
import Testing

@testable import BookingStore

@Suite struct PGPoolTests {
    @Test func bodiesRunOnPoolThreadsNeverOnAnEventLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await TestDatabase.withAdminPool { pool in
            let direct = try await pool.withConnection { _ in MultiThreadedEventLoopGroup.currentEventLoop == nil }
            #expect(direct)
            // Called from work an event loop started, the body still runs on a pool thread.
            let fromLoop = try await group.next().makeFutureWithTask {
                try await pool.withConnection { _ in
                    (MultiThreadedEventLoopGroup.currentEventLoop == nil, Thread.isMainThread)
                }
            }.get()
            #expect(fromLoop == (true, false))
        }
        try await group.shutdownGracefully()
    }

    @Test func statementTimeoutCancelsASlowQuery() async throws {
        let url = try TestDatabase.adminURL()
        let pool = PGPool(configuration: TestDatabase.configuration(url, poolSize: 1, statementTimeout: .milliseconds(100)))
        let started = ContinuousClock.now
        await expectStoreError(.queryCanceled) {
            try await pool.withConnection { try $0.execute("SELECT pg_sleep(10)").rowCount }
        }
        #expect(ContinuousClock.now - started < .seconds(120), "fails without waiting for the lease timeout")
        // The connection survives a cancelled statement.
        let value = try await pool.withConnection { try $0.execute("SELECT 1 AS one").first?.int("one") }
        #expect(value == 1)
        await pool.shutdown()
    }

    @Test func aDatabaseThatIsDownFailsFastWithUnavailable() async throws {
        // Nothing listens on port 1 of the loopback: connection refused. The lease timeout is long,
        // so "fast" below means "without waiting for it", however loaded the machine is.
        let pool = PGPool(
            configuration: TestDatabase.configuration(
                "postgresql://postgres@127.0.0.1:1/callbooking", poolSize: 2, leaseTimeout: .seconds(600)))
        let started = ContinuousClock.now
        await expectStoreError(.unavailable) {
            try await pool.withConnection { try $0.execute("SELECT 1").rowCount }
        }
        await expectStoreError(.unavailable) { try await pool.ping() }
        // Queued callers fail too, instead of waiting for their lease timeout.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    await expectStoreError(.unavailable) {
                        try await pool.withConnection { try $0.execute("SELECT 1").rowCount }
                    }
                }
            }
        }
        #expect(ContinuousClock.now - started < .seconds(120), "fails without waiting for the lease timeout")
        await pool.shutdown()
    }

    @Test func aTerminatedBackendIsReplacedOnTheNextCall() async throws {
        try await TestDatabase.withFreshDatabase(poolSize: 1) { pool, _ in
            let before = try await pool.withConnection { $0.backendPID }
            try await TestDatabase.withAdminPool(poolSize: 1) { admin in
                let terminated = try await admin.withConnection {
                    try $0.execute("SELECT pg_terminate_backend($1) AS ok", [before]).first?.bool("ok")
                }
                #expect(terminated == true)
            }
            // "At most one failed attempt": the pool notices the closed socket before using it.
            var failures = 0
            var after: Int32?
            for _ in 0..<2 where after == nil {
                do {
                    after = try await pool.withConnection { connection in
                        _ = try connection.execute("SELECT 1")
                        return connection.backendPID
                    }
                } catch {
                    failures += 1
                }
            }
            #expect(failures <= 1)
            #expect(after != nil && after != before)
        }
    }

    @Test func aBackendKilledMidStatementIsConnectionLostThenRecovered() async throws {
        try await TestDatabase.withFreshDatabase(poolSize: 1) { pool, _ in
            let pid = try await pool.withConnection { $0.backendPID }
            async let slow = expectStoreError(.connectionLost) {
                try await pool.withConnection { try $0.execute("SELECT pg_sleep(5)").rowCount }
            }
            try await Task.sleep(for: .milliseconds(300))
            try await TestDatabase.withAdminPool(poolSize: 1) { admin in
                _ = try await admin.withConnection { try $0.execute("SELECT pg_terminate_backend($1)", [pid]).rowCount }
            }
            _ = await slow
            let value = try await pool.withConnection { try $0.execute("SELECT 2 AS two").first?.int("two") }
            #expect(value == 2)
        }
    }

    @Test func moreCallersThanConnectionsAllGetServed() async throws {
        try await TestDatabase.withAdminPool(poolSize: 2) { pool in
            let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await pool.withConnection { connection in
                            _ = try connection.execute("SELECT pg_sleep(0.01)")
                            return connection.backendPID
                        }
                    }
                }
                return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
            }
            #expect(pids.count <= 2)
        }
    }

    @Test func aWaiterTimesOutWithUnavailable() async throws {
        let url = try TestDatabase.adminURL()
        let pool = PGPool(configuration: TestDatabase.configuration(url, poolSize: 1, leaseTimeout: .milliseconds(200)))
        // The waiter must give up on its own lease timeout, not when the holder lets go: the
        // holder is still running when the waiter's error arrives (no wall-clock bound needed).
        let holderDone = Atomic<Bool>(false)
        async let holder: Int = {
            defer { holderDone.store(true, ordering: .sequentiallyConsistent) }
            return try await pool.withConnection { try $0.execute("SELECT pg_sleep(10)").rowCount }
        }()
        try await Task.sleep(for: .milliseconds(100))
        await expectStoreError(.unavailable) {
            try await pool.withConnection { try $0.execute("SELECT 1").rowCount }
        }
        let holderFinishedFirst = holderDone.load(ordering: .sequentiallyConsistent)
        #expect(!holderFinishedFirst)
        _ = try await holder
        await pool.shutdown()
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        try await TestDatabase.withAdminPool(poolSize: 1) { pool in
            async let holder = pool.withConnection { try $0.execute("SELECT pg_sleep(0.5)").rowCount }
            try await Task.sleep(for: .milliseconds(100))
            let waiter = Task { try await pool.withConnection { _ in 1 } }
            try await Task.sleep(for: .milliseconds(50))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            _ = try await holder
            #expect(try await pool.withConnection { _ in 2 } == 2)
        }
    }

    @Test func aTransactionLeftOpenIsRolledBackOnRelease() async throws {
        try await TestDatabase.withFreshDatabase(poolSize: 1) { pool, _ in
            try await pool.withConnection { connection in
                try connection.simpleQuery("BEGIN")
                try connection.execute(
                    "INSERT INTO calls.experts (name, email, time_zone) VALUES ($1, $2, $3)",
                    ["Ada", "ada@example.com", "UTC"])
            }
            let (count, inTransaction) = try await pool.withConnection { connection in
                (try connection.execute("SELECT count(*) AS n FROM calls.experts").first?.int("n"), connection.isInTransaction)
            }
            #expect(count == 0)
            #expect(!inTransaction)
        }
    }

    @Test func statementsArePreparedOncePerConnection() async throws {
        try await TestDatabase.withAdminPool(poolSize: 1) { pool in
            let prepared = try await pool.withConnection { connection in
                for value in 0..<5 { _ = try connection.execute("SELECT $1::int + 1 AS next", [value]) }
                return try connection.execute(
                    "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1", ["SELECT $1::int + 1 AS next"]
                ).first?.int("n")
            }
            #expect(prepared == 1)
        }
    }

    @Test func aStatementWithASyntaxErrorIsNotCachedAndTheConnectionStaysUsable() async throws {
        try await TestDatabase.withAdminPool(poolSize: 1) { pool in
            await expectStoreError(.other) {
                try await pool.withConnection { try $0.execute("SELEC 1").rowCount }
            }
            let three = try await pool.withConnection { try $0.execute("SELECT 3 AS n").first?.int("n") }
            #expect(three == 3)
        }
    }

    @Test func aShutDownPoolRefusesWork() async throws {
        let pool = PGPool(configuration: TestDatabase.configuration(try TestDatabase.adminURL(), poolSize: 1))
        try await pool.ping()
        await pool.shutdown()
        await expectStoreError(.unavailable) { try await pool.withConnection { _ in 1 } }
    }

    @Test func configurationReadsTheContractsSettings() throws {
        let configuration = try PGConfiguration(environment: [
            "DATABASE_URL": "postgresql://db/app", "DATABASE_POOL_SIZE": "3", "DATABASE_STATEMENT_TIMEOUT_MS": "250",
        ])
        #expect(configuration.poolSize == 3)
        #expect(configuration.statementTimeout == .milliseconds(250))
        let defaults = try PGConfiguration(environment: ["DATABASE_URL": "postgresql://db/app"])
        #expect(defaults.poolSize == 10)
        #expect(defaults.statementTimeout == .milliseconds(5000))
        #expect(throws: StoreError.self) { try PGConfiguration(environment: [:]) }
        #expect(throws: StoreError.self) {
            try PGConfiguration(environment: ["DATABASE_URL": "x", "DATABASE_POOL_SIZE": "ten"])
        }
    }
}
