import TestSupport
import Testing

@testable import BookingStore

@Suite struct TransactionTests {
    static let insertExpert = "INSERT INTO calls.experts (name, email, time_zone) VALUES ($1, $2, 'UTC')"
    static let countExperts = "SELECT count(*) AS n FROM calls.experts"

    struct Boom: Error {}

    static func experts(in pool: PGPool) async throws -> Int? {
        try await pool.withConnection { try $0.execute(Self.countExperts).first?.int("n") }
    }

    @Test func aTransactionCommitsWhenTheBodyReturns() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            try await pool.withTransaction { connection in
                try connection.execute(Self.insertExpert, ["Ada", "ada@example.com"])
                try connection.execute(Self.insertExpert, ["Grace", "grace@example.com"])
            }
            let experts = try await Self.experts(in: pool)
            #expect(experts == 2)
        }
    }

    @Test func aTransactionRollsBackWhenTheBodyThrows() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            await #expect(throws: Boom.self) {
                try await pool.withTransaction { connection in
                    try connection.execute(Self.insertExpert, ["Ada", "ada@example.com"])
                    throw Boom()
                }
            }
            await expectStoreError(.uniqueViolation) {
                try await pool.withTransaction { connection in
                    try connection.execute(Self.insertExpert, ["Ada", "ada@example.com"])
                    try connection.execute(Self.insertExpert, ["Ada again", "ADA@example.com"])
                }
            }
            let experts = try await Self.experts(in: pool)
            #expect(experts == 0)
        }
    }

    /// Raises SQLSTATE 40001 the way a real conflict would, so the retry is deterministic.
    static let failSerialization = """
        DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure'; END $$
        """

    @Test func aSerializationFailureRunsTheWholeBodyAgain() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let attempts = Counter()
            try await pool.withTransaction(isolation: .serializable) { connection in
                let attempt = attempts.increment()
                try connection.execute(Self.insertExpert, ["Ada", "ada@example.com"])
                if attempt == 1 { try connection.execute(Self.failSerialization) }
            }
            #expect(attempts.value == 2)
            let experts = try await Self.experts(in: pool)
            #expect(experts == 1)
        }
    }

    @Test func aDeadlockIsRetriedToo() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let attempts = Counter()
            let value = try await pool.withTransaction { connection in
                if attempts.increment() < 3 {
                    try connection.execute(
                        "DO $$ BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = 'deadlock_detected'; END $$")
                }
                return 42
            }
            #expect(value == 42)
            #expect(attempts.value == 3)
        }
    }

    @Test func retriesAreBoundedThenTheFailureIsThrown() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let attempts = Counter()
            await expectStoreError(.serializationFailure) {
                try await pool.withTransaction { connection in
                    attempts.increment()
                    try connection.execute(Self.insertExpert, ["Ada", "ada@example.com"])
                    try connection.execute(Self.failSerialization)
                }
            }
            #expect(attempts.value == pool.configuration.transactionRetries + 1)
            let experts = try await Self.experts(in: pool)
            #expect(experts == 0)
        }
    }

    @Test func otherErrorsAreNotRetried() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let attempts = Counter()
            await expectStoreError(.checkViolation) {
                try await pool.withTransaction { connection in
                    attempts.increment()
                    try connection.execute(Self.insertExpert, ["  ", "blank@example.com"])
                }
            }
            #expect(attempts.value == 1)
        }
    }

    /// Two serializable transactions each read the count and insert: one of them must fail to
    /// serialize on a real conflict, and the retry makes both land.
    @Test func concurrentSerializableWritersBothLand() async throws {
        try await TestDatabase.withFreshDatabase(poolSize: 2) { pool, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in ["Ada", "Grace"] {
                    group.addTask {
                        try await pool.withTransaction(isolation: .serializable) { connection in
                            let count = try connection.execute(Self.countExperts).first?.int("n") ?? 0
                            _ = try connection.execute("SELECT pg_sleep(0.05)")
                            try connection.execute(Self.insertExpert, ["\(name) \(count)", "\(name)@example.com"])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let experts = try await Self.experts(in: pool)
            #expect(experts == 2)
        }
    }
}
