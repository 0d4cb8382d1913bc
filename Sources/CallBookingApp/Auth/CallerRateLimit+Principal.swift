import BookingStore
import RPC

extension CallerRateLimit {
    /// Counts a customer's booking or hold, and refuses it past the limit with
    /// RESOURCE_EXHAUSTED / 429 and when to retry. Admins are not counted: they are Loop's
    /// internal apps acting for many customers, and their tokens are not handed to the public.
    func admit(_ caller: Principal) async throws {
        guard caller.role == .customer else { return }
        if case .limited(let seconds) = try await self.admit(caller.userID) {
            throw RPCError(
                .resourceExhausted,
                "more than \(self.perMinute) bookings and holds in a minute (RATE_LIMIT_PER_MINUTE); retry in \(seconds) s",
                retryAfterSeconds: seconds)
        }
    }
}
