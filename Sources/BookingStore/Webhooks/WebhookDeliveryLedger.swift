public import Foundation

/// A provider whose webhooks are recorded in `calls.webhook_deliveries`.
public enum WebhookProvider: String, Sendable {
    case calendly, stream
}

/// Exactly-once webhook effects: `apply` records the delivery and runs its effect in ONE
/// transaction, so the provider may be answered 2xx as soon as it returns.
///
/// The delivery row is inserted first. A committed duplicate conflicts at once and `apply`
/// returns `.duplicate` without running the effect. A concurrent duplicate (a retry racing the
/// first attempt, or another replica) blocks on the primary key until the first transaction
/// ends: committed → `.duplicate`, rolled back → this one applies the effect.
public struct WebhookDeliveryLedger: Sendable {
    let calls: CallRepository

    /// The deliveries' effects are changes of calls, decided by `calls.lifecycle`.
    public init(calls: CallRepository) {
        self.calls = calls
    }

    public enum Result<Value: Sendable>: Sendable {
        case applied(Value)
        case duplicate
    }

    /// What an effect reports for the ledger row.
    public struct Outcome<Value: Sendable>: Sendable {
        public var value: Value
        /// A short sentence for operators ("created call …", "ignored: unknown invitee").
        public var summary: String
        public var callID: UUID?

        public init(_ value: Value, summary: String, callID: UUID? = nil) {
            self.value = value
            self.summary = summary
            self.callID = callID
        }
    }

    /// Records (`provider`, `key`) and runs `effect` in the same transaction. `effect` may run
    /// more than once (serialization retries) and must touch nothing outside the database.
    public func apply<Value: Sendable>(
        provider: WebhookProvider, key: String, event: String,
        _ effect: @escaping @Sendable (CallTransaction) throws -> Outcome<Value>
    ) async throws -> Result<Value> {
        try await self.apply(provider: provider, keys: [key], event: event, effect)
    }

    /// The same for a delivery known by several keys (Stream's: the signed body's hash, and
    /// `X-Webhook-Id`, which its retries keep while the body may change): a duplicate when any
    /// key was applied before, so neither a retry nor a replay under a fresh id applies twice.
    public func apply<Value: Sendable>(
        provider: WebhookProvider, keys: [String], event: String,
        _ effect: @escaping @Sendable (CallTransaction) throws -> Outcome<Value>
    ) async throws -> Result<Value> {
        try await self.calls.transaction { transaction in
            let connection = transaction.connection
            var seen = false
            for key in keys {
                let recorded = try connection.execute(
                    """
                    INSERT INTO calls.webhook_deliveries (provider, delivery_key, event) VALUES ($1, $2, $3)
                    ON CONFLICT (provider, delivery_key) DO NOTHING
                    """,
                    [provider.rawValue, key, event])
                if recorded.affectedRows != 1 { seen = true }
            }
            guard !seen else { return .duplicate }
            let outcome = try effect(transaction)
            for key in keys {
                try connection.execute(
                    """
                    UPDATE calls.webhook_deliveries SET outcome = $3, call_id = $4::uuid
                    WHERE provider = $1 AND delivery_key = $2
                    """,
                    [provider.rawValue, key, outcome.summary, outcome.callID?.uuidString])
            }
            return .applied(outcome.value)
        }
    }

    /// Whether (`provider`, `key`) has been applied (committed).
    public func contains(provider: WebhookProvider, key: String) async throws -> Bool {
        try await self.calls.pool.withConnection { connection in
            try connection.execute(
                "SELECT 1 FROM calls.webhook_deliveries WHERE provider = $1 AND delivery_key = $2",
                [provider.rawValue, key]
            ).first != nil
        }
    }
}
