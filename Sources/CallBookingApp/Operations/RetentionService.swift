import BookingStore
import Logging

/// Prunes what `Retention` lists, hourly, on one replica per round (`PeriodicJobRunner`).
struct RetentionService: Sendable {
    static let jobName = "retention"
    static let interval: Duration = .seconds(3600)
    /// Not at once: a starting replica has its migrations and first requests to see to.
    static let firstRoundDelay: Duration = .seconds(60)

    let retention: Retention
    /// `RETENTION_DAYS` [30].
    let days: Int
    let runner: PeriodicJobRunner
    let logger: Logger

    init(pool: PGPool, days: Int, logger: Logger) {
        self.retention = Retention(pool: pool)
        self.days = days
        self.runner = PeriodicJobRunner(
            jobs: PeriodicJobs(pool: pool), job: Self.jobName, interval: Self.interval,
            initialDelay: Self.firstRoundDelay, holder: PeriodicJobRunner.replicaName, logger: logger)
        self.logger = logger
    }

    /// Starts the hourly rounds in a task of their own; cancelling the task stops them.
    func start() -> Task<Void, Never> {
        let (retention, days, runner, logger) = (self.retention, self.days, self.runner, self.logger)
        return Task {
            await runner.run {
                do {
                    let pruned = try await retention.prune(keepingDays: days)
                    logger.info("retention: pruned rows older than RETENTION_DAYS", metadata: [
                        "days": "\(days)", "holds": "\(pruned.holds)", "jobs": "\(pruned.jobs)",
                        "webhook_deliveries": "\(pruned.webhookDeliveries)", "rate_counts": "\(pruned.rateCounts)",
                    ])
                } catch {
                    logger.warning("retention: pruning failed; the next round tries again", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
