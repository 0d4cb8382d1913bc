import BookingStore
import Calendly
import Clerk
import Foundation
import Logging
import OutboundHTTP
import RPC

/// The Calendly availability sync as the application runs it: the on-demand REST routes and
/// the periodic runner (`CALENDLY_SYNC_INTERVAL_SECONDS`), sharing one `CalendlyAvailabilitySync`.
struct CalendlySyncService: Sendable {
    /// The row of `calls.periodic_jobs` that the replicas claim rounds of.
    static let jobName = "calendly-availability-sync"
    /// The first round is claimed this long after start (when it is due).
    static let firstRoundDelay: Duration = .seconds(2)

    let sync: CalendlyAvailabilitySync
    let routes: [RESTRoute]
    private let runner: PeriodicJobRunner

    init(
        configuration: CalendlyConfiguration, pool: PGPool, calls: CallRepository, experts: ExpertRepository,
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
        self.runner = PeriodicJobRunner(
            jobs: PeriodicJobs(pool: pool), job: Self.jobName, interval: configuration.syncInterval,
            initialDelay: Self.firstRoundDelay, holder: PeriodicJobRunner.replicaName, logger: logger)
    }

    /// Starts the periodic sync in a task of its own; cancelling the task stops it.
    func startPeriodicSync() -> Task<Void, Never> {
        let (sync, runner, logger) = (self.sync, self.runner, self.sync.logger)
        return Task {
            await runner.run {
                do {
                    _ = try await sync.syncAll()
                } catch {
                    logger.warning("Calendly availability sync could not list the experts", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
