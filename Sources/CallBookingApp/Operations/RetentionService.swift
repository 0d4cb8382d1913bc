import BookingStore
import Logging

/// Prunes what `Retention` lists, hourly: the recurring `RetentionRoundJob`, one replica per
/// round.
struct RetentionService: Sendable {
    static let interval: Duration = .seconds(3600)
    /// Not at once: a starting replica has its migrations and first requests to see to.
    static let firstRoundDelay: Duration = .seconds(60)
    static let schedule = RecurringJob(RetentionRoundJob.self, every: Self.interval, firstRunIn: Self.firstRoundDelay)

    let retention: Retention
    /// `RETENTION_DAYS` [30].
    let days: Int
    let logger: Logger

    init(pool: PGPool, days: Int, logger: Logger) {
        self.retention = Retention(pool: pool)
        self.days = days
        self.logger = logger
    }

    func register(in handlers: inout JobHandlers) {
        let service = self
        handlers.register(RetentionRoundJob.self) { _, _ in try await service.round() }
    }

    /// One round; a failure is the job's (retried, and the round after it comes anyway).
    func round() async throws {
        let pruned = try await self.retention.prune(keepingDays: self.days)
        self.logger.info("retention: pruned rows older than RETENTION_DAYS", metadata: [
            "days": "\(self.days)", "holds": "\(pruned.holds)", "jobs": "\(pruned.jobs)",
            "webhook_deliveries": "\(pruned.webhookDeliveries)", "rate_counts": "\(pruned.rateCounts)",
        ])
    }
}
