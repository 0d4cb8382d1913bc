import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// The schema's guarantees, seen as the `StoreError` codes the app maps to statuses.
@Suite struct ConstraintTests {
    static func insertExpert(_ connection: PGConnection, email: String = "ada@example.com") throws -> UUID {
        try connection.execute(
            """
            INSERT INTO calls.experts (name, email, specialties, time_zone)
            VALUES ($1, $2, $3::text[], $4) RETURNING id
            """,
            ["Ada", email, ["tax", "visa"], "Europe/Paris"]
        ).first?.uuid("id") ?? UUID()
    }

    static func insertCall(
        _ connection: PGConnection, expert: UUID?, _ start: String, _ end: String, state: String = "SCHEDULED",
        bufferBefore: Int = 0, bufferAfter: Int = 0
    ) throws -> UUID? {
        try connection.execute(
            """
            INSERT INTO calls.calls (state, expert_id, customer_user_id, topic, scheduled_start, scheduled_end,
                                     buffer_before_minutes, buffer_after_minutes)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """,
            [state, expert, "user_1", "taxes", Date.utc(start), Date.utc(end), bufferBefore, bufferAfter]
        ).first?.uuid("id")
    }

    @Test func aSecondExpertWithTheSameEmailInAnyCaseIsAUniqueViolation() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            _ = try await pool.withConnection { try Self.insertExpert($0) }
            let error = await expectStoreError(.uniqueViolation) {
                try await pool.withConnection { try Self.insertExpert($0, email: "ADA@example.com") }
            }
            #expect(error?.constraint == "experts_email_key" && error?.refusal == .duplicateExpertEmail)
            #expect(error?.sqlState == "23505")
        }
    }

    @Test func overlappingScheduledCallsOfOneExpertAreAnExclusionViolation() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let expert = try await pool.withConnection { try Self.insertExpert($0) }
            _ = try await pool.withConnection {
                try Self.insertCall($0, expert: expert, "2025-03-30T10:00:00Z", "2025-03-30T11:00:00Z")
            }
            let error = await expectStoreError(.exclusionViolation) {
                try await pool.withConnection {
                    try Self.insertCall($0, expert: expert, "2025-03-30T10:30:00Z", "2025-03-30T11:30:00Z")
                }
            }
            #expect(error?.constraint == "calls_expert_no_overlap" && error?.refusal == .expertBusy)
            #expect(error?.sqlState == "23P01")
        }
    }

    @Test func cancelledCallsAndOtherExpertsDoNotConflict() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            try await pool.withConnection { connection in
                let ada = try Self.insertExpert(connection)
                let grace = try Self.insertExpert(connection, email: "grace@example.com")
                let slot = ("2025-03-30T10:00:00Z", "2025-03-30T11:00:00Z")
                _ = try Self.insertCall(connection, expert: ada, slot.0, slot.1, state: "CANCELLED")
                _ = try Self.insertCall(connection, expert: ada, slot.0, slot.1, state: "NO_SHOW")
                _ = try Self.insertCall(connection, expert: ada, slot.0, slot.1)
                _ = try Self.insertCall(connection, expert: grace, slot.0, slot.1)
                _ = try Self.insertCall(connection, expert: nil, slot.0, slot.1)
                _ = try Self.insertCall(connection, expert: nil, slot.0, slot.1)
                // Back to back is fine: ranges are half-open.
                _ = try Self.insertCall(connection, expert: ada, "2025-03-30T11:00:00Z", "2025-03-30T11:30:00Z")
            }
        }
    }

    @Test func buffersAddUpWhenCheckingOverlap() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let expert = try await pool.withConnection { try Self.insertExpert($0) }
            _ = try await pool.withConnection {
                try Self.insertCall(
                    $0, expert: expert, "2025-03-30T10:00:00Z", "2025-03-30T11:00:00Z", bufferAfter: 10)
            }
            // Starts 15 minutes after the first ends, but its 10-minute buffer before reaches back
            // into the first call's 10-minute buffer after.
            await expectStoreError(.exclusionViolation) {
                try await pool.withConnection {
                    try Self.insertCall(
                        $0, expert: expert, "2025-03-30T11:15:00Z", "2025-03-30T12:00:00Z", bufferBefore: 10)
                }
            }
            _ = try await pool.withConnection {
                try Self.insertCall(
                    $0, expert: expert, "2025-03-30T11:20:00Z", "2025-03-30T12:00:00Z", bufferBefore: 10)
            }
        }
    }

    @Test func reactivatingACancelledCallIntoATakenSlotIsAnExclusionViolation() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            try await pool.withConnection { connection in
                let expert = try Self.insertExpert(connection)
                let cancelled = try Self.insertCall(
                    connection, expert: expert, "2025-03-30T10:00:00Z", "2025-03-30T11:00:00Z", state: "CANCELLED")
                _ = try Self.insertCall(connection, expert: expert, "2025-03-30T10:00:00Z", "2025-03-30T11:00:00Z")
                #expect(throws: StoreError.self) {
                    try connection.execute("UPDATE calls.calls SET state = 'SCHEDULED' WHERE id = $1", [cancelled])
                }
            }
        }
    }

    @Test func endBeforeStartIsACheckViolation() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            await expectStoreError(.checkViolation) {
                try await pool.withConnection {
                    try Self.insertCall($0, expert: nil, "2025-03-30T11:00:00Z", "2025-03-30T10:00:00Z")
                }
            }
        }
    }

    @Test func anUnknownExpertIsAForeignKeyViolation() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            await expectStoreError(.foreignKeyViolation) {
                try await pool.withConnection {
                    try Self.insertCall($0, expert: UUID(), "2025-03-30T10:00:00Z", "2025-03-30T11:00:00Z")
                }
            }
        }
    }

    @Test func aRequestIDIsUniquePerCustomer() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            let insert = """
                INSERT INTO calls.calls (customer_user_id, request_id, scheduled_start, scheduled_end)
                VALUES (nullif($1, ''), $2, $3, $4)
                """
            let start = Date.utc("2025-03-30T10:00:00Z")
            for customer in ["user_1", "user_2", ""] {
                try await pool.withConnection { try $0.execute(insert, [customer, "req-1", start, start + 1800]) }
            }
            for customer in ["user_1", ""] {  // the same customer again, and unclaimed again
                let error = await expectStoreError(.uniqueViolation) {
                    try await pool.withConnection { try $0.execute(insert, [customer, "req-1", start, start + 1800]).rowCount }
                }
                #expect(error?.constraint == "calls_customer_request_id_key")
            }
        }
    }

    @Test func overlappingWeeklyHoursAndManualTimeOffAreRefused() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            try await pool.withConnection { connection in
                let expert = try Self.insertExpert(connection)
                let hours = "INSERT INTO calls.expert_weekly_hours (expert_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)"
                try connection.execute(hours, [expert, 1, 540, 720])
                try connection.execute(hours, [expert, 1, 720, 1020])  // adjacent: fine
                #expect(throws: StoreError.self) { try connection.execute(hours, [expert, 1, 600, 660]) }
                #expect(throws: StoreError.self) { try connection.execute(hours, [expert, 8, 600, 660]) }
                let timeOff = "INSERT INTO calls.expert_time_off (expert_id, period, source) VALUES ($1, $2, $3)"
                let week = Date.utc("2025-04-07T00:00:00Z")..<Date.utc("2025-04-14T00:00:00Z")
                let day = Date.utc("2025-04-08T00:00:00Z")..<Date.utc("2025-04-09T00:00:00Z")
                try connection.execute(timeOff, [expert, week, "manual"])
                try connection.execute(timeOff, [expert, day, "calendly"])  // other source: may overlap
                #expect(throws: StoreError.self) { try connection.execute(timeOff, [expert, day, "manual"]) }
            }
        }
    }

    @Test func theCallEventLogIsAppendOnly() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            try await pool.withConnection { connection in
                let call = try Self.insertCall(connection, expert: nil, "2025-03-30T10:00:00Z", "2025-03-30T11:00:00Z")
                try connection.execute(
                    """
                    INSERT INTO calls.call_events (call_id, from_state, to_state, kind, actor, detail)
                    VALUES ($1, NULL, 'SCHEDULED', 'created', 'user:user_1', $2)
                    """, [call, PGJSON(#"{"source": "test"}"#)])
                #expect(throws: StoreError.self) { try connection.execute("UPDATE calls.call_events SET kind = 'x'") }
                #expect(throws: StoreError.self) { try connection.execute("DELETE FROM calls.call_events") }
            }
        }
    }

    @Test func updatedAtMovesOnUpdate() async throws {
        try await TestDatabase.withFreshDatabase { pool, _ in
            try await pool.withConnection { connection in
                let expert = try Self.insertExpert(connection)
                try connection.execute("UPDATE calls.experts SET updated_at = $2 WHERE id = $1", [expert, Date.utc("2020-01-01T00:00:00Z")])
                try connection.execute("UPDATE calls.experts SET name = 'Ada L.' WHERE id = $1", [expert])
                let row = try connection.execute("SELECT updated_at, created_at FROM calls.experts WHERE id = $1", [expert]).first
                let updated = try row?.date("updated_at") ?? .distantPast
                #expect(updated > Date.utc("2024-01-01T00:00:00Z"))
            }
        }
    }
}
