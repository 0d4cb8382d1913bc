import BookingStore
public import Logging

/// `call-booking migrate`: applies the pending migrations on one connection and returns.
///
/// It reads only the database settings (`DATABASE_URL`, `DATABASE_STATEMENT_TIMEOUT_MS`), so a
/// migration job needs no provider secrets. Serving replicas still migrate at start (a no-op once
/// the job has run); the `Migrator`'s advisory lock makes the two safe together.
public enum MigrationRun {
    /// The versions this run applied (empty when the schema was up to date).
    public static func run(environment: [String: String], logger: Logger) async throws -> [Int] {
        var configuration = try PGConfiguration(environment: environment)
        configuration.poolSize = 1
        configuration.applicationName = "call-booking-migrate"
        let pool = PGPool(configuration: configuration, logger: logger)
        do {
            let applied = try await Migrator(pool: pool, logger: logger).migrate()
            await pool.shutdown()
            return applied
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}
