import TestSupport
import Testing

@testable import BookingStore

@Suite struct WebhookDeliveryLedgerTests {
    static let insertExpert = "INSERT INTO calls.experts (name, email, time_zone) VALUES ($1, $2, 'UTC')"

    static func experts(in pool: PGPool) async throws -> Int? {
        try await pool.withConnection { try $0.execute("SELECT count(*) AS n FROM calls.experts").first?.int("n") }
    }

    struct Boom: Error {}

    @Test func aRedeliveryChangesNothing() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let ledger = WebhookDeliveryLedger(calls: CallRepository(pool: pool))
            for attempt in 1...3 {
                let result = try await ledger.apply(provider: .calendly, key: "invitee-1|invitee.created|t", event: "invitee.created") {
                    transaction in
                    try transaction.connection.execute(Self.insertExpert, ["Ada \(attempt)", "ada\(attempt)@example.com"])
                    return .init(attempt, summary: "created expert")
                }
                switch result {
                case .applied(let value): #expect(attempt == 1 && value == 1)
                case .duplicate: #expect(attempt > 1)
                }
            }
            #expect(try await Self.experts(in: pool) == 1)
            #expect(try await ledger.contains(provider: .calendly, key: "invitee-1|invitee.created|t"))
            // The same key from another provider is another delivery.
            #expect(try await !ledger.contains(provider: .stream, key: "invitee-1|invitee.created|t"))
        }
    }

    @Test func aFailedEffectLeavesNoRecordSoTheRetryApplies() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let ledger = WebhookDeliveryLedger(calls: CallRepository(pool: pool))
            await #expect(throws: Boom.self) {
                _ = try await ledger.apply(provider: .stream, key: "k", event: "call.session_started") {
                    transaction -> WebhookDeliveryLedger.Outcome<Void> in
                    try transaction.connection.execute(Self.insertExpert, ["Ada", "ada@example.com"])
                    throw Boom()
                }
            }
            #expect(try await !ledger.contains(provider: .stream, key: "k"))
            let retry = try await ledger.apply(provider: .stream, key: "k", event: "call.session_started") { transaction in
                try transaction.connection.execute(Self.insertExpert, ["Ada", "ada@example.com"])
                return .init(true, summary: "ok")
            }
            guard case .applied = retry else { Issue.record("the retry must apply"); return }
            #expect(try await Self.experts(in: pool) == 1)
        }
    }

    @Test func concurrentDeliveriesOnTwoPoolsApplyOnce() async throws {
        try await TestDatabase.withFreshDatabase(poolSize: 8) { pool, url in
            let other = PGPool(configuration: TestDatabase.configuration(url, poolSize: 8))
            let applied = Counter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<16 {
                    let ledger = WebhookDeliveryLedger(calls: CallRepository(pool: index.isMultiple(of: 2) ? pool : other))
                    group.addTask {
                        let result = try await ledger.apply(provider: .calendly, key: "same", event: "invitee.created") {
                            transaction in
                            try transaction.connection.execute(Self.insertExpert, ["Ada \(index)", "ada\(index)@example.com"])
                            return .init((), summary: "created")
                        }
                        if case .applied = result { applied.increment() }
                    }
                }
                try await group.waitForAll()
            }
            await other.shutdown()
            #expect(applied.value == 1)
            #expect(try await Self.experts(in: pool) == 1)
        }
    }
}
