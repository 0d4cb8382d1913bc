import BookingDomain
import Logging

/// How a sync round rides out Calendly's rate limit (providers.md §2 "Rate limits": per token
/// owner, answered with 429 and the seconds until the reset). An expert whose sync hits a 429
/// that says when the limit resets is tried again after that wait, within the same round,
/// instead of being failed until the next one.
///
/// Bounded so a round cannot stall: at most `maximumRetries` waits for one expert, and none
/// longer than `longestWait` (Calendly's window is a minute; a longer reset means something
/// else is wrong, and the expert fails with the wait in its message). A 429 without a reset,
/// and every other failure, fails the expert at once, as before. The wait ends when the task
/// is cancelled (shutdown): the expert then fails and the round stops.
struct CalendlyRateLimitWait: Sendable {
    static let longestWait: Duration = .seconds(120)
    static let maximumRetries = 3

    /// Waits the given time; throws when the task is cancelled. Tests pass one that records.
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    func run<T>(
        expert: ExpertID, _ attempt: () async throws(CalendlySyncFailure) -> T
    ) async throws(CalendlySyncFailure) -> T {
        var retries = 0
        while true {
            do {
                return try await attempt()
            } catch {
                guard let wait = error.rateLimitReset else { throw error }
                guard retries < Self.maximumRetries else {
                    throw CalendlySyncFailure(
                        error.kind, "\(error.message) (still rate-limited after \(Self.maximumRetries) waits)",
                        rateLimitReset: wait)
                }
                guard wait <= Self.longestWait else {
                    throw CalendlySyncFailure(
                        error.kind,
                        "\(error.message) (the rate limit resets in \(wait.components.seconds) s, "
                            + "longer than the \(Self.longestWait.components.seconds) s a round waits)",
                        rateLimitReset: wait)
                }
                retries += 1
                self.logger.notice(
                    "Calendly rate limit reached; waiting for its reset before syncing the expert again",
                    metadata: ["expert_id": "\(expert)", "wait_seconds": "\(wait.components.seconds)", "retry": "\(retries)"])
                do {
                    try await self.sleep(wait)
                } catch {
                    throw CalendlySyncFailure(.calendlyUnavailable, "stopped while waiting for Calendly's rate limit to reset")
                }
            }
        }
    }
}
