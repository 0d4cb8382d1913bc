import TestSupport
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
                    "call_events", "call_participants", "call_quality", "caller_rate", "calls", "expert_date_overrides",
                    "expert_day_counts",
                    "expert_load_ledger", "expert_occupancy", "expert_time_off", "expert_week_counts",
                    "expert_weekly_hours", "experts", "job_events", "jobs", "recordings",
                    "schema_migrations", "slot_holds", "trigger_deliveries", "video_rooms", "webhook_deliveries",
                    "webhook_delivery_log",
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

@Suite struct MigrationV2Tests {
    /// Calls booked under version 1 get their occupancy and counters, so the first cancel after
    /// the upgrade decrements a counter that exists (the counters' CHECK would refuse it otherwise).
    @Test func version2BackfillsOccupancyAndCountersOfVersion1Calls() async throws {
        try await TestDatabase.withFreshDatabase(migrated: false) { pool, _ in
            #expect(try await Migrator(pool: pool, migrations: [.v1InitialSchema]).migrate() == [1])
            let (expert, scheduled) = try await pool.withConnection { connection in
                let expert = try ConstraintTests.insertExpert(connection)
                let scheduled = try ConstraintTests.insertCall(
                    connection, expert: expert, "2025-03-30T10:00:00Z", "2025-03-30T10:45:00Z")
                _ = try ConstraintTests.insertCall(
                    connection, expert: expert, "2025-03-30T12:00:00Z", "2025-03-30T13:00:00Z", state: "CANCELLED")
                return (expert, scheduled)
            }
            let upToV2 = Migrator(pool: pool, migrations: [.v1InitialSchema, .v2SchedulingRules])
            #expect(try await upToV2.migrate() == [2])
            #expect(try await upToV2.migrate() == [])
            try await pool.withConnection { connection in
                let occupied = try connection.execute(
                    "SELECT count(*) AS n FROM calls.expert_occupancy WHERE call_id = $1", [scheduled]
                ).first?.int("n")
                #expect(occupied == 1)
                let day = try connection.execute(
                    "SELECT call_count FROM calls.expert_day_counts WHERE expert_id = $1 AND local_date = '2025-03-30'",
                    [expert]
                ).first?.int("call_count")
                #expect(day == 1)
                let minutes = try connection.execute(
                    "SELECT booked_minutes FROM calls.expert_load_ledger WHERE expert_id = $1", [expert]
                ).first?.int("booked_minutes")
                #expect(minutes == 45)
                try connection.execute("UPDATE calls.calls SET state = 'CANCELLED' WHERE id = $1", [scheduled])
                let after = try connection.execute(
                    """
                    SELECT (SELECT sum(call_count) FROM calls.expert_day_counts) AS days,
                           (SELECT sum(booked_minutes) FROM calls.expert_load_ledger) AS minutes,
                           (SELECT count(*) FROM calls.expert_occupancy) AS occupied
                    """
                ).first
                #expect(try after?.int("days") == 0)
                #expect(try after?.int("minutes") == 0)
                #expect(try after?.int("occupied") == 0)
            }
        }
    }

    @Test func schedulingRulesDefaultToNoRulesAndWeightOne() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            try await pool.withConnection { connection in
                let expert = try ConstraintTests.insertExpert(connection)
                let row = try connection.execute(
                    """
                    SELECT buffer_before_minutes + buffer_after_minutes + minimum_notice_minutes + booking_horizon_days
                        + max_calls_per_day + max_calls_per_week + priority AS zeros, weight
                    FROM calls.experts WHERE id = $1
                    """, [expert]
                ).first
                #expect(try row?.int("zeros") == 0)
                #expect(try row?.int("weight") == 1)
                #expect(throws: StoreError.self) {
                    try connection.execute("UPDATE calls.experts SET buffer_after_minutes = -5 WHERE id = $1", [expert])
                }
            }
        }
    }

    @Test func aDateIsEitherClosedOrHasNonOverlappingRanges() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            try await pool.withConnection { connection in
                let expert = try ConstraintTests.insertExpert(connection)
                let insert = """
                    INSERT INTO calls.expert_date_overrides (expert_id, local_date, start_minute, end_minute)
                    VALUES ($1, $2::date, $3, $4)
                    """
                try connection.execute(insert, [expert, "2025-04-01", 540, 720])
                try connection.execute(insert, [expert, "2025-04-01", 780, 960])
                #expect(throws: StoreError.self) { try connection.execute(insert, [expert, "2025-04-01", 700, 800]) }
                #expect(throws: StoreError.self) { try connection.execute(insert, [expert, "2025-04-01", nil, nil]) }
                #expect(throws: StoreError.self) { try connection.execute(insert, [expert, "2025-04-02", 540, nil]) }
                try connection.execute(insert, [expert, "2025-04-02", nil, nil])
                #expect(throws: StoreError.self) { try connection.execute(insert, [expert, "2025-04-02", nil, nil]) }
                #expect(throws: StoreError.self) { try connection.execute(insert, [expert, "2025-04-02", 540, 600]) }
            }
        }
    }
}
