/// How to reach PostgreSQL and how the pool behaves. Defaults follow CONTRACT.md's settings.
public struct PGConfiguration: Sendable {
    /// A libpq connection URI or `key=value` string (`DATABASE_URL`).
    public var url: String
    /// Most connections open at once, and threads in the pool's `NIOThreadPool`
    /// (`DATABASE_POOL_SIZE`, default 10).
    public var poolSize: Int
    /// Sent as the `statement_timeout` startup option (`DATABASE_STATEMENT_TIMEOUT_MS`, default
    /// 5000), so it costs no round trip.
    public var statementTimeout: Duration
    /// libpq's `connect_timeout` in whole seconds; libpq treats values below 2 as 2. A URL that
    /// sets its own `connect_timeout` keeps it.
    public var connectTimeoutSeconds: Int
    /// How long a caller waits for a connection when all `poolSize` are leased before failing
    /// with `StoreError.unavailable`.
    public var leaseTimeout: Duration
    /// How many times `withTransaction` runs the body again after a serialization failure or a
    /// deadlock before it throws.
    public var transactionRetries: Int
    /// `application_name`, shown in `pg_stat_activity`; a URL that sets one keeps it.
    public var applicationName: String

    public init(
        url: String,
        poolSize: Int = 10,
        statementTimeout: Duration = .milliseconds(5000),
        connectTimeoutSeconds: Int = 2,
        leaseTimeout: Duration = .seconds(5),
        transactionRetries: Int = 3,
        applicationName: String = "call-booking"
    ) {
        self.url = url
        self.poolSize = max(1, poolSize)
        self.statementTimeout = statementTimeout
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.leaseTimeout = leaseTimeout
        self.transactionRetries = max(0, transactionRetries)
        self.applicationName = applicationName
    }

    /// Reads `DATABASE_URL`, `DATABASE_POOL_SIZE` [10] and `DATABASE_STATEMENT_TIMEOUT_MS` [5000].
    /// A missing URL or a value that is not a positive integer is an error, never a silent default.
    public init(environment: [String: String]) throws(StoreError) {
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            throw StoreError(code: .other, message: "DATABASE_URL is not set")
        }
        func positive(_ name: String, default value: Int) throws(StoreError) -> Int {
            guard let text = environment[name], !text.isEmpty else { return value }
            guard let number = Int(text), number > 0 else {
                throw StoreError(code: .other, message: "\(name) must be a positive integer, not \(text.debugDescription)")
            }
            return number
        }
        self.init(
            url: url,
            poolSize: try positive("DATABASE_POOL_SIZE", default: 10),
            statementTimeout: .milliseconds(try positive("DATABASE_STATEMENT_TIMEOUT_MS", default: 5000)))
    }

    /// Whole milliseconds, as the server's `statement_timeout` wants them (0 would disable it).
    var statementTimeoutMilliseconds: Int64 {
        let (seconds, attoseconds) = self.statementTimeout.components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
