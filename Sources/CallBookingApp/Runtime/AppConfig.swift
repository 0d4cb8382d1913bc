public import BookingStore
public import Calendly
public import Clerk
public import Logging
import NIOCore
public import RPC
public import StreamVideo
public import TLS
public import Transport
public import TriggerDev

/// Settings read from the environment (CONTRACT.md "Settings"). A bad value is a start-up
/// error naming the variable, never a silent default.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    public var shutdownGrace: Duration
    public var logLevel: Logger.Level
    /// `REMINDER_OFFSETS_MINUTES`, `NO_SHOW_GRACE_SECONDS`, `HOLD_MINUTES`, `PREPARATION_FILE`…: the
    /// product's rules.
    public var product: ProductSettings
    /// `DATABASE_URL` (required), `DATABASE_POOL_SIZE`, `DATABASE_STATEMENT_TIMEOUT_MS`.
    public var database: PGConfiguration
    /// The key source (one is required): `CLERK_JWT_KEY` and/or `CLERK_JWKS_URL`, else the JWKS
    /// found from `CLERK_SECRET_KEY` or `CLERK_PUBLISHABLE_KEY`; `CLERK_ISSUER`,
    /// `CLERK_AUTHORIZED_PARTIES`, `CLERK_CLOCK_SKEW_SECONDS`, `CLERK_ROLE_CLAIM`, `CLERK_EMAIL_CLAIM`.
    public var clerk: ClerkConfiguration
    /// `CALENDLY_API_KEY`, `CALENDLY_WEBHOOK_SECRET` (both required), `CALENDLY_BASE_URL`,
    /// `CALENDLY_SIGNATURE_TOLERANCE_SECONDS`, `CALENDLY_TOPIC_QUESTION`, `CALENDLY_SYNC_INTERVAL_SECONDS`.
    public var calendly: CalendlyConfiguration
    /// `TRIGGER_DEV_API_KEY` (unset: deliveries are recorded as skipped), `TRIGGER_DEV_BASE_URL`,
    /// `TRIGGER_REMINDER_TASK`, `TRIGGER_FOLLOW_UP_TASK`.
    public var triggerDev: TriggerDevConfiguration
    /// `STREAM_API_KEY`, `STREAM_SECRET_KEY` (both required), `STREAM_BASE_URL`, `STREAM_CALL_TYPE`,
    /// `STREAM_TOKEN_GRACE_MINUTES`.
    public var stream: StreamConfiguration
    /// `JOB_MAX_ATTEMPTS` [8], `JOB_RETRY_BASE_SECONDS` [5]: the jobs outbox's retries.
    public var jobs: JobSettings
    /// `BOOKING_LINK_SECRET` [unset: CreateBookingLink is FAILED_PRECONDITION and Calendly's
    /// `utm_content` is ignored]: signs booking links (`BookingLinkToken`), at least 32 bytes.
    public var bookingLinkSecret: [UInt8]?
    /// `RETENTION_DAYS` [30]: expired holds, done jobs and webhook deliveries older than this
    /// are pruned (`Retention`); at least `Retention.minimumDays`.
    public var retentionDays: Int
    /// `METRICS_TOKEN` [unset: `/metrics` is open]: the bearer token `/metrics` requires.
    public var metricsToken: String?
    /// `CORS_ALLOWED_ORIGINS` [unset: no CORS, cookie writes need a same-origin request]: the
    /// browser origins whose pages may call the server, comma-separated.
    public var cors: CORSPolicy
    /// `HEADER_TIMEOUT_SECONDS` [10], `IDLE_TIMEOUT_SECONDS` [120], `BODY_TIMEOUT_SECONDS` [30],
    /// `MAX_CONNECTIONS` [10000], `MAX_CONNECTIONS_PER_PEER` [100]: what one client may hold of
    /// the public port, and for how long.
    public var connectionLimits: ConnectionLimits
    /// `MAX_WATCH_STREAMS` [1000], `MAX_WATCH_STREAMS_PER_CONNECTION` [16]: open health Watch
    /// streams, which anyone may open and keep.
    public var watchLimits: WatchLimits
    /// `MAX_WATCH_CALL_STREAMS` [1000], `MAX_WATCH_CALL_STREAMS_PER_CALLER` [10]: open WatchCall
    /// streams, gRPC and server-sent events together.
    public var callWatchLimits: CallWatchLimits
    /// `SSE_HEARTBEAT_SECONDS` [15]: how often a quiet server-sent event stream gets a comment
    /// line, so proxies between the server and the client keep it open.
    public var eventStreamHeartbeat: Duration
    /// `EVENT_LOOP_THREADS` [the number of cores]: NIO event loops.
    public var eventLoopThreads: Int
    /// `TLS_CERT_FILE` + `TLS_KEY_FILE` [unset: cleartext]: the port serves TLS with this
    /// certificate chain and key, re-read on SIGHUP.
    public var tls: TLSFiles?

    public struct Error: Swift.Error, CustomStringConvertible {
        public let variable: String
        public let problem: String
        public var description: String { "\(self.variable): \(self.problem)" }
    }

    public init(environment: [String: String]) throws(AppConfig.Error) {
        func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) throws(AppConfig.Error) -> Int {
            try Self.integer(environment, name, default: value, in: range)
        }
        try Self.refuseNotYetImplemented(environment)
        self.host = environment["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "0.0.0.0"
        self.port = try integer("PORT", default: 3003, in: 0...65535)
        self.shutdownGrace = .seconds(try integer("SHUTDOWN_GRACE_SECONDS", default: 5, in: 0...3600))
        self.product = try ProductSettings(environment: environment)
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
            throw Error(namedIn: error.detail)
        }
        do {
            self.triggerDev = try TriggerDevConfiguration(environment: environment)
        } catch {
            throw Error(namedIn: error.detail)
        }
        do {
            self.stream = try StreamConfiguration(environment: environment)
        } catch {
            throw Error(namedIn: error.detail)
        }
        self.jobs = JobSettings(
            maxAttempts: try integer("JOB_MAX_ATTEMPTS", default: 8, in: 1...100),
            retryBase: .seconds(try integer("JOB_RETRY_BASE_SECONDS", default: 5, in: 1...3600)))
        self.metricsToken = environment["METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        self.bookingLinkSecret = try Self.bookingLinkSecret(environment["BOOKING_LINK_SECRET"])
        self.cors = try Self.cors(environment["CORS_ALLOWED_ORIGINS"])
        self.retentionDays = try integer("RETENTION_DAYS", default: 30, in: Retention.minimumDays...3650)
        var limits = ConnectionLimits()
        limits.headerTimeout = .seconds(Int64(try integer("HEADER_TIMEOUT_SECONDS", default: 10, in: 1...300)))
        limits.idleTimeout = .seconds(Int64(try integer("IDLE_TIMEOUT_SECONDS", default: 120, in: 1...86_400)))
        limits.bodyTimeout = .seconds(Int64(try integer("BODY_TIMEOUT_SECONDS", default: 30, in: 1...3600)))
        limits.maxConnections = try integer("MAX_CONNECTIONS", default: 10_000, in: 1...1_000_000)
        limits.maxConnectionsPerPeer = try integer("MAX_CONNECTIONS_PER_PEER", default: 100, in: 1...1_000_000)
        self.connectionLimits = limits
        self.watchLimits = WatchLimits(
            total: try integer("MAX_WATCH_STREAMS", default: 1000, in: 0...1_000_000),
            perConnection: try integer("MAX_WATCH_STREAMS_PER_CONNECTION", default: 16, in: 0...1000))
        self.callWatchLimits = CallWatchLimits(
            total: try integer("MAX_WATCH_CALL_STREAMS", default: 1000, in: 0...1_000_000),
            perCaller: try integer("MAX_WATCH_CALL_STREAMS_PER_CALLER", default: 10, in: 0...1000))
        self.eventStreamHeartbeat = .seconds(try integer("SSE_HEARTBEAT_SECONDS", default: 15, in: 1...3600))
        self.eventLoopThreads = try integer("EVENT_LOOP_THREADS", default: System.coreCount, in: 1...256)
        self.tls = try Self.tlsFiles(environment)
    }
}

extension AppConfig {
    /// A whole-number setting in `range`; unset, empty or only spaces: `value`. Every numeric
    /// setting is read here, so they all accept and refuse the same texts.
    static func integer(
        _ environment: [String: String], _ name: String, default value: Int, in range: ClosedRange<Int>
    ) throws(AppConfig.Error) -> Int {
        guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            return value
        }
        guard let number = Int(text), range.contains(number) else {
            throw Error(variable: name, problem: "expected a whole number in \(range), got \"\(text)\"")
        }
        return number
    }

    /// Its bytes as written (hex or base64 text is fine: it is an HMAC key), at least
    /// `BookingLinkToken.minimumSecretBytes` of them, so a short password cannot be guessed from
    /// a link.
    static func bookingLinkSecret(_ text: String?) throws(AppConfig.Error) -> [UInt8]? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.utf8.count >= BookingLinkToken.minimumSecretBytes else {
            throw Error(
                variable: "BOOKING_LINK_SECRET",
                problem: "must be at least \(BookingLinkToken.minimumSecretBytes) bytes (e.g. `openssl rand -hex 32`)")
        }
        return Array(text.utf8)
    }

    /// Exact origins (`https://app.example.com`, `http://localhost:5173`), separated by commas
    /// or spaces. Never `*`: credentials (the session cookie) are allowed, so a wildcard would
    /// let any site act for a signed-in user.
    static func cors(_ text: String?) throws(AppConfig.Error) -> CORSPolicy {
        let entries = (text ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        for entry in entries where CORSPolicy.serializedOrigin(entry) == nil {
            throw Error(
                variable: "CORS_ALLOWED_ORIGINS",
                problem: "\"\(entry)\" is not an origin: list each one as scheme://host[:port], e.g. https://app.example.com (no path, no wildcard)")
        }
        return CORSPolicy(allowedOrigins: entries)
    }
}

/// How the jobs outbox retries (CONTRACT "Settings": `JOB_MAX_ATTEMPTS`).
public struct JobSettings: Sendable {
    /// Attempts before a job is dead.
    public var maxAttempts: Int
    /// The first retry's delay; each further one doubles it (capped at an hour).
    public var retryBase: Duration
}

extension AppConfig.Error {
    /// From a provider configuration's error, whose detail starts with the variable's name
    /// ("CALENDLY_API_KEY is not set").
    init(namedIn detail: String) {
        let variable = detail.prefix { $0 != " " }
        self.init(variable: String(variable), problem: String(detail.dropFirst(variable.count + 1)))
    }
}
