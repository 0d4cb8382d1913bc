import BookingDomain
import BookingStore
import Calendly
import Clerk
import Foundation
import Logging
import OutboundHTTP
import ProtoDescriptors
import RPC
import ServerReflection
import StreamVideo
import TriggerDev

/// The composition root: everything the application serves and runs, built in one place from
/// the configuration, in dependency order (store, providers, services, routes, jobs). Nothing
/// else constructs a repository or a provider client; `Application` starts and stops what is
/// built here. Building touches no network and no database (the pool connects lazily), so a
/// bad key or secret fails here, at start.
struct Components {
    let router: RPCRouter
    let rest: RESTRouter
    /// The jobs outbox's workers: one for the calls' jobs, one for the recurring rounds.
    let jobWorkers: [JobWorker]
    let calendlySync: CalendlySyncService
    let credentials: SessionCredentials
    let calls = CallRegistry()
    /// The WatchCall streams; `Application` feeds it the database's call changes.
    let callWatches: CallWatchHub
    /// Calls CreateCallToken read; `Application` feeds it the database's call changes too.
    let joinableCalls: JoinableCallCache

    /// `httpClient` makes each provider's client (one circuit breaker per provider, shared by
    /// everything that calls it); tests pass loopback ones.
    init(
        config: AppConfig, pool: PGPool, health: HealthStatusBoard, logger: Logger,
        httpClient: (_ provider: String) -> any HTTPClient
    ) throws {
        let now: @Sendable () -> Date = { Date() }
        self.credentials = SessionCredentials(cookieWrites: CookieWriteCheck(trustedOrigins: config.cors))
        self.callWatches = CallWatchHub(limits: config.callWatchLimits)
        let joinableCalls = JoinableCallCache()
        self.joinableCalls = joinableCalls

        // The store, deciding with the product's rules.
        let calls = CallRepository(
            pool: pool, lifecycle: CallLifecycle(settings: config.product.lifecycle), now: now,
            committed: CallVolumeMetrics.record, updated: joinableCalls.forget)
        let experts = ExpertRepository(pool: pool)
        let holds = HoldRepository(pool: pool)
        let video = VideoRepository(pool: pool)
        let directory = ExpertDirectory(experts: experts, holds: holds, calls: calls)

        // The providers.
        let verifier = try SessionTokenVerifier(configuration: config.clerk, httpClient: httpClient("clerk"))
        let calendlyHTTP = httpClient("calendly")
        let stream = StreamClient(configuration: config.stream, httpClient: httpClient("stream"))
        let trigger = TriggerDevClient(configuration: config.triggerDev, httpClient: httpClient("trigger"))
        if trigger == nil {
            logger.info("TRIGGER_DEV_API_KEY is not set: reminders and follow-ups are recorded as skipped")
        }
        let authenticator = ClerkAuthenticator(verifier: verifier, experts: experts, now: now)
        let claims = BookingClaims(calls: calls, now: now)
        let rateLimit = CallerRateLimit(pool: pool, perMinute: config.product.bookingsPerMinute)

        // The RPCs.
        var router = RPCRouter()
        let watchers = WatchStreamLimiter(limits: config.watchLimits)
        let healthService = HealthService(board: health, watchers: watchers)
        healthService.register(in: &router)
        let callService = CallService(
            calls: calls, experts: experts, directory: directory, holds: holds, claims: claims, authenticator: authenticator,
            now: now, videoCallType: config.stream.callType, rateLimit: rateLimit, preparation: config.product.preparation)
        callService.register(in: &router)
        CallTimelineService(calls: callService, records: CallTimelineRepository(pool: pool), authenticator: authenticator)
            .register(in: &router)
        CallWatchService(calls: callService, hub: self.callWatches, authenticator: authenticator).register(in: &router)
        VideoService(
            calls: calls, video: video, issuer: CallTokenIssuer(configuration: config.stream), stream: stream,
            claims: claims, joinable: self.joinableCalls, authenticator: authenticator, logger: logger, now: now
        ).register(in: &router)
        HoldService(
            holds: holds, directory: directory, authenticator: authenticator, holdDuration: config.product.holdDuration,
            now: now, holdsPerCustomer: config.product.holdsPerCustomer, rateLimit: rateLimit
        ).register(in: &router)
        ExpertService(experts: experts, directory: directory, authenticator: authenticator, now: now).register(in: &router)
        AnalyticsService(analytics: CallAnalyticsRepository(pool: pool), authenticator: authenticator).register(in: &router)
        let webhookDeliveries = WebhookDeliveryLog(pool: pool)
        OperationsService(jobs: JobBoard(pool: pool), deliveries: webhookDeliveries, authenticator: authenticator)
            .register(in: &router)
        BookingLinkService(
            secret: config.bookingLinkSecret,
            accountPage: CalendlyAccountPage(
                client: CalendlyClient(
                    apiKey: config.calendly.apiKey, baseURL: config.calendly.baseURL, httpClient: calendlyHTTP)),
            authenticator: authenticator, now: now
        ).register(in: &router)
        ReflectionService(index: try DescriptorIndex(base64: ProtoDescriptors.files)).register(in: &router)
        self.router = router

        // The REST routes beyond the RPCs: the OpenAPI document, health, the operator page,
        // webhooks, the Calendly sync, metrics.
        let ledger = WebhookDeliveryLedger(calls: calls)
        let calendlyWebhook = try CalendlyWebhookEndpoint(
            configuration: config.calendly, calls: calls, experts: experts, directory: directory, ledger: ledger,
            deliveries: webhookDeliveries, bookingLinkSecret: config.bookingLinkSecret, httpClient: calendlyHTTP,
            logger: logger, now: now, preparation: config.product.preparation)
        let streamWebhook = StreamWebhookEndpoint(
            verifier: try StreamWebhookVerifier(apiKey: config.stream.apiKey, secret: config.stream.secret),
            ledger: ledger, deliveries: webhookDeliveries, callType: config.stream.callType,
            tolerance: TimeInterval(config.stream.webhookTolerance.components.seconds), logger: logger, now: now)
        self.calendlySync = CalendlySyncService(
            configuration: config.calendly, calls: calls, experts: experts, authenticator: authenticator,
            credentials: self.credentials, logger: logger, httpClient: calendlyHTTP, now: now)
        self.rest = RESTRouter(
            RESTRoutes.rpcRoutes + [RESTRoutes.openAPIDocument, healthService.restRoute] + OpsPageEndpoint().routes
                + [calendlyWebhook.route, streamWebhook.route]
                + self.calendlySync.routes
                + [MetricsEndpoint(
                    token: config.metricsToken, pool: pool, calls: self.calls, watchers: watchers,
                    callWatches: self.callWatches
                ).route])

        // The jobs outbox: one handler per job kind.
        var handlers = JobHandlers()
        VideoRoomSetup(video: video, client: stream, callType: config.stream.callType, logger: logger)
            .register(in: &handlers)
        CallQualityFetch(
            quality: CallQualityRepository(pool: pool), client: stream, callType: config.stream.callType, logger: logger
        ).register(in: &handlers)
        let deliveries = NotificationDeliveries(pool: pool)
        ReminderDelivery(
            calls: calls, experts: experts, deliveries: deliveries, client: trigger, task: config.triggerDev.reminderTask,
            offsetsMinutes: config.product.lifecycle.reminderOffsetsMinutes, logger: logger, now: now
        ).register(in: &handlers)
        FollowUpDelivery(
            calls: calls, experts: experts, video: video, deliveries: deliveries, client: trigger,
            task: config.triggerDev.followUpTask, logger: logger
        ).register(in: &handlers)
        NoShowCheck(calls: calls, logger: logger).register(in: &handlers)
        CallEndCheck(calls: calls, client: stream, callType: config.stream.callType, logger: logger, now: now)
            .register(in: &handlers)
        VideoRoomClosing(calls: calls, experts: experts, client: stream, callType: config.stream.callType, logger: logger)
            .register(in: &handlers)
        let retention = RetentionService(pool: pool, days: config.retentionDays, logger: logger)
        retention.register(in: &handlers)
        self.calendlySync.register(in: &handlers)
        let queue = JobQueue(pool: pool, maxAttempts: config.jobs.maxAttempts, backoff: JobBackoff(base: config.jobs.retryBase))
        self.jobWorkers = [
            JobWorker(queue: queue, handlers: handlers, logger: logger),
            JobWorker(
                queue: queue, handlers: handlers, logger: logger,
                recurring: [self.calendlySync.schedule, RetentionService.schedule]),
        ]
    }
}
