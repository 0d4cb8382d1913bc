public import Logging

/// Applies pending migrations at start-up, safely from several replicas at once.
///
/// All of it runs on one pooled connection holding a session-level `pg_advisory_lock` on a fixed
/// key: a second replica blocks on the lock until the first is done, then finds every version
/// recorded in `calls.schema_migrations` and applies nothing. Each migration and its
/// `schema_migrations` row commit in one transaction, so a failure leaves the previous version
/// intact. Creating the schema and the bookkeeping table happens under the lock too (two
/// concurrent `CREATE SCHEMA IF NOT EXISTS` can still collide on the catalog's unique index).
public struct Migrator: Sendable {
    /// The advisory lock key: "callbook" in ASCII. Advisory locks are per database, and this key
    /// is ours alone within it.
    public static let lockKey: Int64 = 0x6361_6C6C_626F_6F6B

    public let pool: PGPool
    public let migrations: [Migration]
    /// Statement timeout while migrating (also bounds the wait for another replica's lock): DDL
    /// on a big table may outlast the request-sized `DATABASE_STATEMENT_TIMEOUT_MS`.
    public var statementTimeout: Duration
    public var logger: Logger

    public init(
        pool: PGPool, migrations: [Migration] = Migration.all, statementTimeout: Duration = .seconds(300),
        logger: Logger = Logger(label: "call-booking.migrations")
    ) {
        self.pool = pool
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.statementTimeout = statementTimeout
        self.logger = logger
    }

    /// Applies what is missing; returns the versions this call applied (empty when up to date).
    @discardableResult
    public func migrate() async throws -> [Int] {
        let versions = self.migrations.map(\.version)
        guard Set(versions).count == versions.count, versions.allSatisfy({ $0 > 0 }) else {
            throw StoreError(code: .other, message: "migration versions must be positive and unique: \(versions)")
        }
        let migrations = self.migrations
        let timeoutMilliseconds = String(max(1, self.statementTimeout.components.seconds * 1000))
        let applied = try await self.pool.withConnection { connection in
            try connection.execute("SELECT set_config('statement_timeout', $1, false)", [timeoutMilliseconds])
            defer { _ = try? connection.simpleQuery("RESET statement_timeout") }
            try connection.execute("SELECT pg_advisory_lock($1)", [Self.lockKey])
            defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [Self.lockKey]) }
            try connection.simpleQuery(
                """
                CREATE SCHEMA IF NOT EXISTS calls;
                CREATE TABLE IF NOT EXISTS calls.schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """)
            let done = try connection.execute("SELECT version FROM calls.schema_migrations")
            var present = Set<Int>()
            for row in done.rows { present.insert(try row.require(Int.self, "version")) }
            var applied: [Int] = []
            for migration in migrations where !present.contains(migration.version) {
                do {
                    try connection.simpleQuery("BEGIN")
                    try connection.simpleQuery(migration.sql)
                    try connection.execute(
                        "INSERT INTO calls.schema_migrations (version, name) VALUES ($1, $2)",
                        [migration.version, migration.name])
                    try connection.simpleQuery("COMMIT")
                } catch var error as StoreError {
                    if connection.isInTransaction { _ = try? connection.simpleQuery("ROLLBACK") }
                    error.message = "migration \(migration.version) (\(migration.name)) failed: \(error.message)"
                    throw error
                }
                applied.append(migration.version)
            }
            return applied
        }
        if applied.isEmpty {
            self.logger.debug("database schema is up to date")
        } else {
            self.logger.info("applied database migrations", metadata: ["versions": "\(applied)"])
        }
        return applied
    }
}
