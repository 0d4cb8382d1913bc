public import Foundation

/// Every webhook delivery as operators see it (`calls.webhook_delivery_log`): applied,
/// duplicate and ignored ones, and the refused ones the ledger never sees (a bad signature, an
/// unreadable payload, our own failure), each with its outcome and reason. Bodies are not kept,
/// only their SHA-256 and size.
///
/// Refused deliveries (`rejected`, `invalid`) may come from anyone who can reach the port, so
/// only the latest `refusedKept` of them per provider are kept: a flood of forged deliveries
/// replaces older refused rows instead of growing the table. Retention prunes the rest.
public struct WebhookDeliveryLog: Sendable {
    /// What became of a delivery; the raw values are `webhook_deliveries_total`'s outcomes.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        case applied, duplicate, ignored, rejected, invalid, failed

        /// Refused before we knew who sent it or what it said.
        var isRefused: Bool { self == .rejected || self == .invalid }
    }

    /// A delivery as the log holds it.
    public struct Entry: Sendable, Hashable {
        public var id: Int64
        public var receivedAt: Date
        public var delivery: Delivery
    }

    /// What `record` stores.
    public struct Delivery: Sendable, Hashable {
        public var provider: WebhookProvider
        public var outcome: Outcome
        public var reason: String
        public var event: String
        /// Lower-case hex.
        public var bodySHA256: String
        public var bodySize: Int
        public var callID: UUID?

        public init(
            provider: WebhookProvider, outcome: Outcome, reason: String = "", event: String = "", bodySHA256: String,
            bodySize: Int, callID: UUID? = nil
        ) {
            self.provider = provider
            self.outcome = outcome
            self.reason = reason
            self.event = event
            self.bodySHA256 = bodySHA256
            self.bodySize = bodySize
            self.callID = callID
        }
    }

    /// Reasons and event names longer than this are cut: a forged delivery chooses them.
    public static let maximumTextLength = 500

    let pool: PGPool
    /// Refused deliveries kept per provider [1000].
    public let refusedKept: Int

    public init(pool: PGPool, refusedKept: Int = 1000) {
        self.pool = pool
        self.refusedKept = max(1, refusedKept)
    }

    /// Stores `delivery`; a refused one drops the provider's refused rows past `refusedKept`.
    public func record(_ delivery: Delivery) async throws {
        let kept = self.refusedKept
        try await self.pool.withTransaction { connection in
            try connection.execute(
                """
                INSERT INTO calls.webhook_delivery_log
                    (provider, outcome, reason, event, body_sha256, body_size, call_id)
                VALUES ($1, $2, left($3, $8), left($4, $8), $5, $6, $7::uuid)
                """,
                [
                    delivery.provider.rawValue, delivery.outcome.rawValue, delivery.reason, delivery.event,
                    delivery.bodySHA256, delivery.bodySize, delivery.callID?.uuidString, Self.maximumTextLength,
                ])
            guard delivery.outcome.isRefused else { return }
            try connection.execute(
                """
                DELETE FROM calls.webhook_delivery_log
                WHERE provider = $1 AND outcome IN ('rejected', 'invalid') AND id <= (
                    SELECT id FROM calls.webhook_delivery_log
                    WHERE provider = $1 AND outcome IN ('rejected', 'invalid')
                    ORDER BY id DESC OFFSET $2 LIMIT 1)
                """,
                [delivery.provider.rawValue, kept])
        }
    }

    /// Up to `limit` deliveries of `provider` and `outcome` (nil: any) with ids below `before`
    /// (nil: from the latest), latest first.
    public func list(provider: WebhookProvider?, outcome: Outcome?, before: Int64?, limit: Int) async throws -> [Entry] {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT id, provider, received_at, outcome, reason, event, body_sha256, body_size, call_id
                FROM calls.webhook_delivery_log
                WHERE ($1::text IS NULL OR provider = $1) AND ($2::text IS NULL OR outcome = $2)
                  AND ($3::bigint IS NULL OR id < $3)
                ORDER BY id DESC
                LIMIT $4
                """,
                [provider?.rawValue, outcome?.rawValue, before, max(1, limit)]
            ).rows.map { row in
                Entry(
                    id: try row.require(Int64.self, "id"), receivedAt: try row.require(Date.self, "received_at"),
                    delivery: Delivery(
                        provider: WebhookProvider(rawValue: try row.string("provider") ?? "") ?? .calendly,
                        outcome: Outcome(rawValue: try row.string("outcome") ?? "") ?? .failed,
                        reason: try row.string("reason") ?? "", event: try row.string("event") ?? "",
                        bodySHA256: try row.string("body_sha256") ?? "", bodySize: try row.int("body_size") ?? 0,
                        callID: try row.uuid("call_id")))
            }
        }
    }
}
