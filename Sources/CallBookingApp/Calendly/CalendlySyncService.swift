import BookingStore
import Calendly
import Clerk
import Foundation
import Logging
import OutboundHTTP
import RPC

/// The Calendly availability sync as the application runs it: the on-demand REST routes and
/// the recurring `CalendlySyncRoundJob` (every `CALENDLY_SYNC_INTERVAL_SECONDS`, one replica per
/// round), sharing one `CalendlyAvailabilitySync`.
struct CalendlySyncService: Sendable {
    /// A deployment's first round (or the first after its row was removed) comes this soon.
    static let firstRoundDelay: Duration = .seconds(2)

    let sync: CalendlyAvailabilitySync
    let routes: [RESTRoute]
    let schedule: RecurringJob

    init(
        configuration: CalendlyConfiguration, calls: CallRepository, experts: ExpertRepository,
        authenticator: any CallerAuthenticator, credentials: SessionCredentials, logger: Logger,
        httpClient: any HTTPClient,
        now: @escaping @Sendable () -> Date
    ) {
        let sync = CalendlyAvailabilitySync(
            client: CalendlyClient(apiKey: configuration.apiKey, baseURL: configuration.baseURL, httpClient: httpClient),
            experts: experts, calls: calls, now: now, logger: logger)
        self.sync = sync
        self.routes = CalendlySyncRoutes(
            sync: sync, authenticator: authenticator, credentials: credentials, logger: logger
        ).routes
        self.schedule = RecurringJob(CalendlySyncRoundJob.self, every: configuration.syncInterval, firstRunIn: Self.firstRoundDelay)
    }

    /// One round syncs every linked expert; one expert's failure is in the round's log, only
    /// experts that cannot be listed fail the job. Shutdown stops a round between experts.
    func register(in handlers: inout JobHandlers) {
        let sync = self.sync
        handlers.register(CalendlySyncRoundJob.self) { _, _ in _ = try await sync.syncAll() }
    }
}
