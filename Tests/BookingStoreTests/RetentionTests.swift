import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// `RETENTION_DAYS`: old rows go, recent ones and the ones operators or exactly-once need stay.
@Suite struct RetentionTests {
    static func count(_ store: Store, _ sql: String) async throws -> Int {
        try await store.pool.withConnection { try $0.execute(sql).first.flatMap { try $0.int("n") } ?? -1 }
    }

    @Test func rowsPastTheRetentionArePrunedAndTheRestKept() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let holds = HoldRepository(pool: store.pool)
            for day in [7, 8] {
                let start = Date.utc("2030-01-0\(day)T09:00:00Z")
                _ = try await holds.hold(
                    expertID: expert, customerUserID: "user_h\(day)", slot: TimeSlot(start: start, end: start + 1800),
                    expiresIn: .seconds(600))
            }
            let queue = JobQueue(pool: store.pool)
            for index in 0..<4 { try await queue.enqueue(NewJob(kind: "work", payload: #"{"i":\#(index)}"#)) }
            try await store.pool.withConnection { connection in
                // One hold expired 31 days ago, the other lives.
                try connection.execute(
                    "UPDATE calls.slot_holds SET created_at = now() - interval '32 days', expires_at = now() - interval '31 days' WHERE customer_user_id = 'user_h7'")
                // Jobs: done long ago (goes), done yesterday, dead long ago, pending (stay).
                try connection.execute(
                    """
                    UPDATE calls.jobs SET state = CASE payload->>'i' WHEN '0' THEN 'done' WHEN '1' THEN 'done'
                        WHEN '2' THEN 'dead' ELSE 'pending' END,
                        finished_at = CASE payload->>'i' WHEN '1' THEN now() - interval '1 day'
                        WHEN '3' THEN NULL ELSE now() - interval '40 days' END
                    """)
                try connection.execute(
                    """
                    INSERT INTO calls.webhook_deliveries (provider, delivery_key, event, received_at) VALUES
                        ('calendly', 'old', 'invitee.created', now() - interval '30 days 1 minute'),
                        ('stream', 'recent', 'call.session_started', now() - interval '29 days')
                    """)
                try connection.execute(
                    """
                    INSERT INTO calls.caller_rate (user_id, minute, count) VALUES
                        ('user_r', floor(extract(epoch FROM now()) / 60)::bigint - 61, 5),
                        ('user_r', floor(extract(epoch FROM now()) / 60)::bigint, 1)
                    """)
            }
            let pruned = try await Retention(pool: store.pool).prune(keepingDays: 30)
            var expected = Retention.Pruned()
            (expected.holds, expected.jobs, expected.webhookDeliveries, expected.rateCounts) = (1, 1, 1, 1)
            #expect(pruned == expected)
            #expect(try await Self.count(store, "SELECT count(*) AS n FROM calls.slot_holds WHERE customer_user_id = 'user_h8'") == 1)
            #expect(try await Self.count(store, "SELECT count(*) AS n FROM calls.jobs") == 3)
            #expect(try await Self.count(store, "SELECT count(*) AS n FROM calls.webhook_deliveries WHERE delivery_key = 'recent'") == 1)
            #expect(try await Self.count(store, "SELECT count(*) AS n FROM calls.caller_rate") == 1)
            // A second round finds nothing more.
            #expect(try await Retention(pool: store.pool).prune(keepingDays: 30) == Retention.Pruned())
        }
    }

    @Test func aBacklogLargerThanABatchIsPrunedInSeveralBatches() async throws {
        try await Store.withFresh { store in
            try await store.pool.withConnection { connection in
                try connection.execute(
                    """
                    INSERT INTO calls.webhook_deliveries (provider, delivery_key, event, received_at)
                    SELECT 'calendly', 'old-' || n, 'invitee.created', now() - interval '40 days'
                    FROM generate_series(1, 5) AS n
                    """)
            }
            let pruned = try await Retention(pool: store.pool, batchSize: 2).prune(keepingDays: 30)
            #expect(pruned.webhookDeliveries == 5)
            #expect(try await Self.count(store, "SELECT count(*) AS n FROM calls.webhook_deliveries") == 0)
        }
    }
}
