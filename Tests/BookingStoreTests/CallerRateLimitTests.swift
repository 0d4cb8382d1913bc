import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// `RATE_LIMIT_PER_MINUTE` in PostgreSQL: the count is shared by every replica.
@Suite struct CallerRateLimitTests {
    /// The window is the database's clock minute: start a test with enough of it left.
    static func awayFromTheMinutesTurn() async throws {
        let second = Int(Date().timeIntervalSince1970) % 60
        if second >= 50 { try await Task.sleep(for: .seconds(61 - second)) }
    }

    @Test func theAttemptPastTheLimitWaitsForTheNextMinuteOnEveryReplica() async throws {
        try await Self.awayFromTheMinutesTurn()
        try await TestDatabase.withFreshDatabase { pool, url in
            let other = PGPool(configuration: TestDatabase.configuration(url, poolSize: 2))
            let here = CallerRateLimit(pool: pool, perMinute: 3)
            let there = CallerRateLimit(pool: other, perMinute: 3)
            #expect(try await here.admit("user_a") == .allowed)
            #expect(try await there.admit("user_a") == .allowed)
            #expect(try await here.admit("user_a") == .allowed)
            let verdict = try await there.admit("user_a")
            await other.shutdown()
            guard case .limited(let seconds) = verdict else {
                Issue.record("the fourth attempt in a minute was \(verdict)")
                return
            }
            #expect((1...60).contains(seconds))
            #expect(try await here.admit("user_b") == .allowed, "another user has a count of their own")
        }
    }

    @Test func concurrentAttemptsAreCountedExactly() async throws {
        try await Self.awayFromTheMinutesTurn()
        try await TestDatabase.withFreshDatabase(poolSize: 8) { pool, _ in
            let limit = CallerRateLimit(pool: pool, perMinute: 10)
            let verdicts = try await withThrowingTaskGroup(of: CallerRateLimit.Verdict.self) { group in
                for _ in 0..<25 { group.addTask { try await limit.admit("user_burst") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(verdicts.filter { $0 == .allowed }.count == 10)
        }
    }
}
