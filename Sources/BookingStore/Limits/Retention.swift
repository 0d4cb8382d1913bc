/// `RETENTION_DAYS`: what the service keeps only for a while. Rows older than the retention
/// (by the database's clock) are deleted in batches, so a first run over a large backlog never
/// holds long locks or meets the statement timeout:
///
/// - holds that expired (a hold is never live past `expires_at`, converted or not);
/// - jobs that are `done` (dead jobs stay for operators to see and retry);
/// - webhook deliveries. A delivery key is what makes a provider's retry a duplicate, so it
///   must outlive the provider's retry window: Calendly retries for up to 24 hours, Stream for
///   minutes. `minimumDays` (2) keeps every key at least twice Calendly's window; the delivery
///   log operators read (`WebhookDeliveryLog`) goes with them;
/// - per-minute rate counts older than an hour (they matter for one minute).
public struct Retention: Sendable {
    public struct Pruned: Sendable, Equatable {
        public var holds = 0
        public var jobs = 0
        public var webhookDeliveries = 0
        public var rateCounts = 0

        public init() {}
    }

    public static let minimumDays = 2

    let pool: PGPool
    /// Rows per statement: small enough for the statement timeout, large enough to be few.
    let batchSize: Int

    public init(pool: PGPool, batchSize: Int = 5000) {
        self.pool = pool
        self.batchSize = batchSize
    }

    /// Deletes what is older than `days` days.
    public func prune(keepingDays days: Int) async throws -> Pruned {
        precondition(days >= Self.minimumDays, "a retention under \(Self.minimumDays) days would forget webhook keys")
        var pruned = Pruned()
        let cutoff = "now() - make_interval(days => $1::int)"
        pruned.holds = try await self.deleteInBatches(from: "calls.slot_holds", where: "expires_at < \(cutoff)", [days])
        pruned.jobs = try await self.deleteInBatches(
            from: "calls.jobs", where: "state = 'done' AND finished_at < \(cutoff)", [days])
        pruned.webhookDeliveries = try await self.deleteInBatches(
            from: "calls.webhook_deliveries", where: "received_at < \(cutoff)", [days])
        pruned.webhookDeliveries += try await self.deleteInBatches(
            from: "calls.webhook_delivery_log", where: "received_at < \(cutoff)", [days])
        pruned.rateCounts = try await self.deleteInBatches(
            from: "calls.caller_rate", where: "minute < floor(extract(epoch FROM now()) / 60)::bigint - 60", [])
        return pruned
    }

    /// `DELETE … WHERE condition`, `batchSize` rows per statement (each its own transaction),
    /// until a batch comes back short.
    private func deleteInBatches(from table: String, where condition: String, _ parameters: [Int]) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await self.pool.withConnection { connection in
                try connection.execute(
                    """
                    DELETE FROM \(table) WHERE ctid = ANY(ARRAY(
                        SELECT ctid FROM \(table) WHERE \(condition) LIMIT \(self.batchSize)))
                    """,
                    parameters
                ).affectedRows
            }
            total += deleted
            if deleted < self.batchSize { return total }
        }
    }
}
