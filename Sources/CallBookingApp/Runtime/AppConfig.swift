public import BookingStore
public import Calendly
public import Clerk
public import Logging

/// Settings read from the environment (CONTRACT.md "Settings"). A bad value is a start-up
/// error naming the variable, never a silent default.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    public var shutdownGrace: Duration
    public var logLevel: Logger.Level
    /// `HOLD_MINUTES` [10]: how long a slot hold lives.
    public var holdDuration: Duration
    /// `DATABASE_URL` (required), `DATABASE_POOL_SIZE`, `DATABASE_STATEMENT_TIMEOUT_MS`.
    public var database: PGConfiguration
    /// `CLERK_JWT_KEY` and/or `CLERK_JWKS_URL` (one is required), `CLERK_ISSUER`,
    /// `CLERK_AUTHORIZED_PARTIES`, `CLERK_CLOCK_SKEW_SECONDS`, `CLERK_ROLE_CLAIM`, `CLERK_EMAIL_CLAIM`.
    public var clerk: ClerkConfiguration
    /// `CALENDLY_API_KEY`, `CALENDLY_WEBHOOK_SECRET` (both required), `CALENDLY_BASE_URL`,
    /// `CALENDLY_SIGNATURE_TOLERANCE_SECONDS`, `CALENDLY_TOPIC_QUESTION`, `CALENDLY_SYNC_INTERVAL_SECONDS`.
    public var calendly: CalendlyConfiguration
    /// `METRICS_TOKEN` [unset: `/metrics` is open]: the bearer token `/metrics` requires.
    public var metricsToken: String?

    public struct Error: Swift.Error, CustomStringConvertible {
        public let variable: String
        public let problem: String
        public var description: String { "\(self.variable): \(self.problem)" }
    }

    public init(environment: [String: String]) throws(AppConfig.Error) {
        func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) throws(AppConfig.Error) -> Int {
            guard let text = environment[name], !text.isEmpty else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw Error(variable: name, problem: "expected a whole number in \(range), got \"\(text)\"")
            }
            return number
        }
        self.host = environment["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "0.0.0.0"
        self.port = try integer("PORT", default: 3003, in: 0...65535)
        self.shutdownGrace = .seconds(try integer("SHUTDOWN_GRACE_SECONDS", default: 5, in: 0...3600))
        self.holdDuration = .seconds(60 * (try integer("HOLD_MINUTES", default: 10, in: 1...1440)))
        let level = environment["LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "info"
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw Error(variable: "LOG_LEVEL", problem: "expected trace, debug, info, notice, warning, error or critical")
        }
        self.logLevel = logLevel
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            throw Error(variable: "DATABASE_URL", problem: "is required: a PostgreSQL URL (tools/run starts a local one)")
        }
        do {
            self.database = try PGConfiguration(environment: environment)
        } catch {
            throw Error(variable: "DATABASE_POOL_SIZE or DATABASE_STATEMENT_TIMEOUT_MS", problem: error.message)
        }
        do {
            self.clerk = try ClerkConfiguration(environment: environment)
        } catch {
            throw Error(variable: error.variable, problem: error.message)
        }
        do {
            self.calendly = try CalendlyConfiguration(environment: environment)
        } catch {
            // The detail starts with the variable's name ("CALENDLY_API_KEY is not set").
            let variable = error.detail.prefix { $0 != " " }
            throw Error(variable: String(variable), problem: String(error.detail.dropFirst(variable.count + 1)))
        }
        self.metricsToken = environment["METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
