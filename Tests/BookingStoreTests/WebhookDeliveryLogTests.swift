import Foundation
import TestSupport
import Testing

@testable import BookingStore

/// The webhook delivery log on a real PostgreSQL: every outcome recorded with its reason and
/// body hash, listed newest first by provider and outcome; refused deliveries capped per
/// provider; retention prunes it.
@Suite struct WebhookDeliveryLogTests {
    static func delivery(_ provider: WebhookProvider, _ outcome: WebhookDeliveryLog.Outcome, reason: String = "r")
        -> WebhookDeliveryLog.Delivery
    {
        .init(provider: provider, outcome: outcome, reason: reason, bodySHA256: String(repeating: "ab", count: 32), bodySize: 17)
    }

    @Test func deliveriesAreListedNewestFirstByProviderAndOutcome() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let log = WebhookDeliveryLog(pool: pool)
            let call = UUID()
            var applied = Self.delivery(.calendly, .applied, reason: "created call")
            applied.event = "invitee.created"
            applied.callID = call
            try await log.record(applied)
            try await log.record(Self.delivery(.calendly, .rejected, reason: "signature refused: wrong signature"))
            try await log.record(Self.delivery(.stream, .invalid, reason: "not a Stream event"))

            let all = try await log.list(provider: nil, outcome: nil, before: nil, limit: 10)
            #expect(all.map(\.delivery.outcome) == [.invalid, .rejected, .applied])
            #expect(all[2].delivery == applied)
            #expect(all[1].delivery.reason == "signature refused: wrong signature")
            #expect(try await log.list(provider: .calendly, outcome: nil, before: nil, limit: 10).count == 2)
            #expect(try await log.list(provider: .calendly, outcome: .rejected, before: nil, limit: 10).count == 1)
            #expect(try await log.list(provider: nil, outcome: nil, before: all[0].id, limit: 1).map(\.delivery.outcome) == [.rejected])
        }
    }

    @Test func onlyTheLatestRefusedDeliveriesOfAProviderAreKept() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let log = WebhookDeliveryLog(pool: pool, refusedKept: 3)
            try await log.record(Self.delivery(.stream, .applied))
            try await log.record(Self.delivery(.calendly, .rejected, reason: "other provider"))
            for number in 1...10 {
                try await log.record(Self.delivery(.stream, number.isMultiple(of: 2) ? .rejected : .invalid, reason: "forged \(number)"))
            }
            try await log.record(Self.delivery(.stream, .failed, reason: "database down"))

            let stream = try await log.list(provider: .stream, outcome: nil, before: nil, limit: 100)
            #expect(stream.map(\.delivery.reason) == ["database down", "forged 10", "forged 9", "forged 8", "r"])
            #expect(try await log.list(provider: .calendly, outcome: nil, before: nil, limit: 100).count == 1)
        }
    }

    @Test func aLongReasonIsCut() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let log = WebhookDeliveryLog(pool: pool)
            try await log.record(Self.delivery(.calendly, .invalid, reason: String(repeating: "x", count: 10_000)))
            let entry = try #require(try await log.list(provider: nil, outcome: nil, before: nil, limit: 1).first)
            #expect(entry.delivery.reason.count == WebhookDeliveryLog.maximumTextLength)
        }
    }

    @Test func retentionPrunesOldDeliveries() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let log = WebhookDeliveryLog(pool: pool)
            try await log.record(Self.delivery(.calendly, .applied, reason: "old"))
            try await log.record(Self.delivery(.calendly, .rejected, reason: "recent"))
            try await pool.withConnection {
                try $0.execute("UPDATE calls.webhook_delivery_log SET received_at = now() - interval '40 days' WHERE reason = 'old'")
            }
            let pruned = try await Retention(pool: pool).prune(keepingDays: 30)
            #expect(pruned.webhookDeliveries == 1)
            #expect(try await log.list(provider: nil, outcome: nil, before: nil, limit: 10).map(\.delivery.reason) == ["recent"])
        }
    }
}
