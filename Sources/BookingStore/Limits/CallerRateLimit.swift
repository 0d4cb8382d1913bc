/// `RATE_LIMIT_PER_MINUTE`: how many bookings and holds one user may start per minute, counted
/// in PostgreSQL so the limit holds across replicas, at one upsert per request.
///
/// Fixed windows of the database's clock minute (every replica agrees on it): a client can
/// fit up to twice the limit around a minute's turn, which bounds the rate as well as a
/// sliding window would for the price of one row per user and minute. A refused attempt still
/// counts, so hammering does not shorten the wait.
public struct CallerRateLimit: Sendable {
    public enum Verdict: Sendable, Equatable {
        case allowed
        /// Seconds until the next minute starts (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    let pool: PGPool
    public let perMinute: Int

    public init(pool: PGPool, perMinute: Int) {
        self.pool = pool
        self.perMinute = perMinute
    }

    /// Counts one attempt of `userID` and says whether it is within the limit.
    public func admit(_ userID: String) async throws -> Verdict {
        try await self.pool.withConnection { connection in
            guard
                let row = try connection.execute(
                    """
                    INSERT INTO calls.caller_rate AS r (user_id, minute, count)
                    VALUES ($1, floor(extract(epoch FROM clock_timestamp()) / 60)::bigint, 1)
                    ON CONFLICT (user_id, minute) DO UPDATE SET count = r.count + 1
                    RETURNING r.count, ceil((r.minute + 1) * 60 - extract(epoch FROM clock_timestamp()))::int AS wait
                    """,
                    [userID]
                ).first
            else { throw StoreError(code: .unexpectedResult, message: "the rate count returned no row") }
            guard try row.int("count") ?? 0 > self.perMinute else { return .allowed }
            return .limited(retryAfterSeconds: max(1, try row.int("wait") ?? 60))
        }
    }
}
