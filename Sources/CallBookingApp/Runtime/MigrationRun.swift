import BookingStore
public import Logging

/// `call-booking migrate`: applies the pending migrations on one connection and returns.
///
/// It reads `DATABASE_URL` and nothing else, so a migration job needs no provider secret (the
/// migrator sets its own statement timeout). Serving replicas still migrate at start (a no-op
/// once the job has run); the `Migrator`'s advisory lock makes the two safe together.
public enum MigrationRun {
    /// The versions this run applied (empty when the schema was up to date).
    public static func run(environment: [String: String], logger: Logger) async throws -> [Int] {
        guard let url = environment["DATABASE_URL"], !url.isEmpty else {
            throw AppConfig.Error(variable: "DATABASE_URL", problem: "is required: the PostgreSQL database to migrate")
        }
        let pool = PGPool(
            configuration: PGConfiguration(url: url, poolSize: 1, applicationName: "call-booking-migrate"), logger: logger)
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
