import BookingStore
import Foundation
import Logging
import OutboundHTTP
import StreamVideo

/// Everything Stream Video needs, built once from the configuration: the API client, the
/// token issuer, the webhook endpoint, and the jobs worker with the room-setup and quality-fetch
/// handlers and the call lifecycle's handlers (`lifecycle`, whose settings the webhook's call
/// changes plan with).
struct VideoWiring: Sendable {
    let configuration: StreamConfiguration
    let jobSettings: JobSettings
    let pool: PGPool
    let client: StreamClient
    let lifecycle: LifecycleWiring
    let logger: Logger

    /// `streamHTTP` and `triggerHTTP` are separate clients so that each provider has its own
    /// circuit breaker: Trigger.dev failing must not make Stream calls fail fast.
    init(config: AppConfig, pool: PGPool, streamHTTP: any HTTPClient, triggerHTTP: any HTTPClient, logger: Logger) {
        self.configuration = config.stream
        self.jobSettings = config.jobs
        self.pool = pool
        self.client = StreamClient(configuration: config.stream, httpClient: streamHTTP)
        self.lifecycle = LifecycleWiring(
            configuration: config.triggerDev, pool: pool, httpClient: triggerHTTP, logger: logger)
        self.logger = logger
    }

    func service(calls: CallRepository, authenticator: any CallerAuthenticator, now: @escaping @Sendable () -> Date)
        -> VideoService
    {
        VideoService(
            calls: calls, video: VideoRepository(pool: self.pool), issuer: CallTokenIssuer(configuration: self.configuration),
            stream: self.client, authenticator: authenticator, logger: self.logger, now: now)
    }

    func webhookEndpoint() throws(StreamError) -> StreamWebhookEndpoint {
        StreamWebhookEndpoint(
            verifier: try StreamWebhookVerifier(apiKey: self.configuration.apiKey, secret: self.configuration.secret),
            ledger: WebhookDeliveryLedger(pool: self.pool), callType: self.configuration.callType,
            lifecycle: self.lifecycle.jobs, logger: self.logger)
    }

    /// The worker with every job kind's handler; reminders and follow-ups register here too.
    func jobWorker() -> JobWorker {
        var handlers = JobHandlers()
        VideoRoomSetup(
            video: VideoRepository(pool: self.pool), client: self.client, callType: self.configuration.callType,
            logger: self.logger
        ).register(in: &handlers)
        CallQualityFetch(
            quality: CallQualityRepository(pool: self.pool), client: self.client, callType: self.configuration.callType,
            logger: self.logger
        ).register(in: &handlers)
        self.lifecycle.register(in: &handlers)
        let queue = JobQueue(
            pool: self.pool, maxAttempts: self.jobSettings.maxAttempts, backoff: JobBackoff(base: self.jobSettings.retryBase))
        return JobWorker(queue: queue, handlers: handlers, logger: self.logger)
    }
}
