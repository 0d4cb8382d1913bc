extension Migration {
    /// The webhook delivery ledger that makes provider webhooks take effect exactly once.
    ///
    /// A delivery's row is inserted in the same transaction as its effect (see
    /// `WebhookDeliveryLedger`): a retry, or the same delivery racing on another replica, meets
    /// the primary key, waits for the first transaction and then finds it committed (changes
    /// nothing) or rolled back (applies it itself). The provider is answered 2xx only after the
    /// COMMIT.
    static let v3WebhookDeliveries = Migration(
        version: 3, name: "webhook deliveries",
        sql: #"""
            CREATE TABLE calls.webhook_deliveries (
                provider text NOT NULL CHECK (provider IN ('calendly', 'stream')),
                -- The provider's identity of one delivery, stable across its retries.
                delivery_key text NOT NULL CHECK (delivery_key <> ''),
                event text NOT NULL,
                -- What the delivery did ("created call …", "ignored: …"), for operators.
                outcome text NOT NULL DEFAULT '',
                call_id uuid REFERENCES calls.calls (id),
                received_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (provider, delivery_key)
            );
            CREATE INDEX webhook_deliveries_by_call ON calls.webhook_deliveries (call_id) WHERE call_id IS NOT NULL;
            """#)
}
