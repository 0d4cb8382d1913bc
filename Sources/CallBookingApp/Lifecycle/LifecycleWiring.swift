import BookingStore
import Foundation
import Logging
import OutboundHTTP
import TriggerDev

/// The call lifecycle (issue 7) built once from the configuration: the settings the store's
/// changes plan with (`jobs`, handed to every `CallRepository` and webhook), and the handlers
/// of its job kinds (reminders, their cancellation, no-show checks, follow-ups).
struct LifecycleWiring: Sendable {
    let configuration: TriggerDevConfiguration
    let jobs: CallLifecycleJobs
    let pool: PGPool
    let client: TriggerDevClient?
    let logger: Logger

    init(configuration: TriggerDevConfiguration, pool: PGPool, httpClient: any HTTPClient, logger: Logger) {
        self.configuration = configuration
        let grace = configuration.noShowGrace.components
        self.jobs = CallLifecycleJobs(
            reminderOffsetsMinutes: configuration.reminderOffsetsMinutes,
            noShowGrace: TimeInterval(grace.seconds) + TimeInterval(grace.attoseconds) / 1e18)
        self.pool = pool
        self.client = TriggerDevClient(configuration: configuration, httpClient: httpClient)
        self.logger = logger
        if self.client == nil {
            logger.info("TRIGGER_DEV_API_KEY is not set: reminders and follow-ups are recorded as skipped")
        }
    }

    func register(in handlers: inout JobHandlers) {
        let calls = CallRepository(pool: self.pool, lifecycle: self.jobs)
        let experts = ExpertRepository(pool: self.pool)
        let deliveries = TriggerDeliveries(pool: self.pool)
        ReminderDelivery(
            calls: calls, experts: experts, deliveries: deliveries, client: self.client,
            task: self.configuration.reminderTask, offsetsMinutes: self.jobs.reminderOffsetsMinutes, logger: self.logger,
            now: self.jobs.now
        ).register(in: &handlers)
        FollowUpDelivery(
            calls: calls, experts: experts, video: VideoRepository(pool: self.pool), deliveries: deliveries,
            client: self.client, task: self.configuration.followUpTask, logger: self.logger
        ).register(in: &handlers)
        NoShowCheck(calls: calls, logger: self.logger).register(in: &handlers)
    }
}
