import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// `RATE_LIMIT_PER_MINUTE` in PostgreSQL: the count is shared by every replica.
@Suite struct CallerRateLimitTests {
    @Test func theAttemptPastTheLimitWaitsForTheNextMinuteOnEveryReplica() async throws {
        try await TestDatabase.withFreshDatabase { pool, url in
            let other = PGPool(configuration: TestDatabase.configuration(url, poolSize: 2))
            let here = CallerRateLimit(pool: pool, perMinute: 3)
            let there = CallerRateLimit(pool: other, perMinute: 3)
            var verdicts: [CallerRateLimit.Verdict] = []
            try await RateLimitWindow.inOneMinute(pool) { user, _ in
                verdicts = [
                    try await here.admit(user), try await there.admit(user), try await here.admit(user),
                    try await there.admit(user),
                ]
            }
            await other.shutdown()
            #expect(verdicts.prefix(3).allSatisfy { $0 == .allowed })
            guard case .limited(let seconds) = verdicts.last else {
                Issue.record("the fourth attempt in a minute was \(String(describing: verdicts.last))")
                return
            }
            #expect((1...60).contains(seconds))
            #expect(try await here.admit("user_other") == .allowed, "another user has a count of their own")
        }
    }

    @Test func concurrentAttemptsAreCountedExactly() async throws {
        try await TestDatabase.withFreshDatabase(poolSize: 8) { pool, _ in
            let limit = CallerRateLimit(pool: pool, perMinute: 10)
            var allowed = 0
            try await RateLimitWindow.inOneMinute(pool) { user, _ in
                let verdicts = try await withThrowingTaskGroup(of: CallerRateLimit.Verdict.self) { group in
                    for _ in 0..<25 { group.addTask { try await limit.admit(user) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                allowed = verdicts.filter { $0 == .allowed }.count
            }
            #expect(allowed == 10)
        }
    }
}
