import Testing

@testable import BookingStore

@Suite struct MigrationTests {
    @Test func migratingAnEmptyDatabaseCreatesTheSchema() async throws {
        try await TestDatabase.withFreshDatabase(migrated: false) { pool, _ in
            let applied = try await Migrator(pool: pool).migrate()
            #expect(applied == Migration.all.map(\.version))
            let tables = try await pool.withConnection { connection in
                try connection.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
                    ["calls"]
                ).rows.map { try $0.require(String.self, "table_name") }
            }
            #expect(
                tables == [
                    "call_events", "call_participants", "calls", "expert_time_off", "expert_weekly_hours",
                    "experts", "recordings", "schema_migrations",
                ])
        }
    }

    @Test func migratingAgainIsANoOp() async throws {
        try await TestDatabase.withFreshDatabase(migrated: false) { pool, _ in
            try await Migrator(pool: pool).migrate()
            #expect(try await Migrator(pool: pool).migrate() == [])
            let count = try await pool.withConnection { connection in
                try connection.execute("SELECT count(*) AS n FROM calls.schema_migrations").first?.int("n")
            }
            #expect(count == Migration.all.count)
        }
    }

    @Test func concurrentMigrationsApplyEachVersionOnce() async throws {
        try await TestDatabase.withFreshDatabase(migrated: false) { pool, url in
            // A second pool stands for a second replica starting at the same moment.
            let other = PGPool(configuration: TestDatabase.configuration(url, poolSize: 1))
            async let first = Migrator(pool: pool).migrate()
            async let second = Migrator(pool: other).migrate()
            let results = try await [first, second]
            await other.shutdown()
            #expect(results.sorted { $0.count < $1.count } == [[], Migration.all.map(\.version)])
            let versions = try await pool.withConnection { connection in
                try connection.execute("SELECT version FROM calls.schema_migrations ORDER BY version")
                    .rows.map { try $0.require(Int.self, "version") }
            }
            #expect(versions == Migration.all.map(\.version))
        }
    }

    @Test func migrationsTouchNothingOutsideSchemaCalls() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let outside = try await pool.withConnection { connection in
                try connection.execute(
                    """
                    SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname NOT IN ('calls', 'pg_catalog', 'information_schema', 'pg_toast')
                    """
                ).first?.int("n")
            }
            #expect(outside == 0)
        }
    }

    @Test func aFailingMigrationLeavesNoTrace() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let broken = Migration(
                version: 999, name: "broken", sql: "CREATE TABLE calls.half_done (id int); SELECT 1/0;")
            let error = await expectStoreError(.dataException) {
                try await Migrator(pool: pool, migrations: Migration.all + [broken]).migrate()
            }
            #expect(error?.message.contains("migration 999") == true)
            let leftovers = try await pool.withConnection { connection in
                try connection.execute("SELECT to_regclass('calls.half_done')::text AS t").first?.string("t")
            }
            #expect(leftovers == nil)
        }
    }
}
