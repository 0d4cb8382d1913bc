public import BookingStore
import Foundation
import Testing

/// `RATE_LIMIT_PER_MINUTE` counts per clock minute of the database. A scenario on a loaded
/// machine can straddle a minute's turn whenever it starts; then its counts are split across
/// two windows and it is played again, by a user of its own (at most three times).
public enum RateLimitWindow {
    /// Runs `scenario` with a fresh user id until its attempts all fell in one minute.
    /// `attempt` (0, 1, 2) lets a scenario pick slots that an earlier attempt did not take.
    public static func inOneMinute(
        _ pool: PGPool, _ scenario: (_ userID: String, _ attempt: Int) async throws -> Void
    ) async throws {
        for attempt in 0..<3 {
            let userID = "user_\(UUID().uuidString.prefix(8).lowercased())"
            try await scenario(userID, attempt)
            let windows = try await pool.withConnection { connection in
                try connection.execute(
                    "SELECT count(DISTINCT minute)::int AS n FROM calls.caller_rate WHERE user_id = $1", [userID]
                ).first?.int("n")
            }
            if windows == 1 { return }
        }
        Issue.record("every attempt straddled a minute's turn")
    }
}
