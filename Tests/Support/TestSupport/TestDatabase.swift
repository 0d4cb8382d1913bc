@testable public import BookingStore
import Foundation

/// Tests run against a real PostgreSQL named by `TEST_DATABASE_URL` (tools/test starts one with
/// tools/dev-db). Without it they fail, loudly: a store test that skips proves nothing.
///
/// Each test that writes gets a database of its own: `CREATE DATABASE cb_test_<random>` through
/// the URL's server, dropped (`WITH (FORCE)`) when the test ends, so tests run in parallel and
/// never see each other's rows, and the shared `calls` schema of the URL's own database is never
/// touched.
public enum TestDatabase {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "TEST_DATABASE_URL is not set: start PostgreSQL with `eval \"$(tools/dev-db)\"` and run with "
                + "TEST_DATABASE_URL=$DATABASE_URL (tools/test does this)"
        }
    }

    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty else {
            throw Missing()
        }
        return url
    }

    /// The same server with another database name.
    public static func url(_ base: String, database: String) throws -> String {
        guard var components = URLComponents(string: base), components.scheme?.hasPrefix("postgres") == true else {
            throw StoreError(code: .other, message: "TEST_DATABASE_URL must be a postgresql:// URL")
        }
        components.path = "/" + database
        guard let url = components.string else { throw StoreError(code: .other, message: "cannot build a URL") }
        return url
    }

    /// Generous timeouts by default: the suites create and migrate databases in parallel, and
    /// on a loaded 2-core machine a 5 s statement timeout turned that load into failures, and so
    /// did the 2 s connect timeout (CI, 753 tests starting at once). Tests about timeouts pass
    /// their own small values.
    public static func configuration(
        _ url: String, poolSize: Int = 4, statementTimeout: Duration = .seconds(60),
        leaseTimeout: Duration = .seconds(30)
    ) -> PGConfiguration {
        PGConfiguration(
            url: url, poolSize: poolSize, statementTimeout: statementTimeout, connectTimeoutSeconds: 30,
            leaseTimeout: leaseTimeout, applicationName: "call-booking-tests")
    }

    /// A pool on the URL's own database, for tests that only read (`SELECT $1::type`).
    @discardableResult
    public static func withAdminPool<T: Sendable>(
        poolSize: Int = 2, _ body: (PGPool) async throws -> T
    ) async throws -> T {
        let pool = PGPool(configuration: configuration(try adminURL(), poolSize: poolSize))
        do {
            let value = try await body(pool)
            await pool.shutdown()
            return value
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    /// A fresh database (migrated unless `migrated` is false) with a pool on it; `body` gets
    /// the pool and the database's URL, for extra pools.
    @discardableResult
    public static func withFreshDatabase<T: Sendable>(
        migrated: Bool = true,
        poolSize: Int = 4,
        statementTimeout: Duration = .seconds(60),
        leaseTimeout: Duration = .seconds(30),
        _ body: (PGPool, String) async throws -> T
    ) async throws -> T {
        let admin = try adminURL()
        let name = "cb_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        // `name` is ours (hex digits): identifiers cannot be parameters.
        try await withAdminPool(poolSize: 1) { pool in
            _ = try await pool.withConnection { try $0.simpleQuery("CREATE DATABASE \(name)").affectedRows }
        }
        let url = try url(admin, database: name)
        let pool = PGPool(
            configuration: configuration(
                url, poolSize: poolSize, statementTimeout: statementTimeout, leaseTimeout: leaseTimeout))
        let result: Result<T, any Error>
        do {
            if migrated { try await Migrator(pool: pool).migrate() }
            result = .success(try await body(pool, url))
        } catch {
            result = .failure(error)
        }
        await pool.shutdown()
        try await withAdminPool(poolSize: 1) { pool in
            _ = try await pool.withConnection {
                try $0.simpleQuery("DROP DATABASE IF EXISTS \(name) WITH (FORCE)").affectedRows
            }
        }
        return try result.get()
    }
}

