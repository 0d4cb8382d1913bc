import Logging
import OutboundHTTP

/// The outbound HTTP client of each provider (Clerk's JWKS, Calendly, Stream, Trigger.dev):
/// URLSession behind a circuit breaker of its own, so one provider that keeps failing is not
/// called (and waited for) again and again, and its state shows in `circuit_breaker_state`.
enum ProviderHTTP {
    static func client(for provider: String, logger: Logger) -> any HTTPClient {
        CircuitBreakingHTTPClient(
            name: provider, wrapping: URLSessionHTTPClient(), failureThreshold: 5, openDuration: .seconds(30),
            logger: logger)
    }
}
