import BookingStore
import Foundation
import Synchronization

/// A Calendly booking made before sign-up (or by an admin without a user id) carries only an
/// email. It becomes the call of the customer whose session token says that email is theirs
/// and verified (CONTRACT "Who may do what"): an unverified email is anyone's to type.
///
/// Claimed when a customer first reads or lists calls in a session, then not again in that
/// session on this replica (`ClaimedSessions`): bookings that predate sign-up exist before the
/// session does, and a read must not be a write. A token without `sid` (not Clerk's own) is
/// treated as its own session, keyed by user.
final class BookingClaims: Sendable {
    private let calls: CallRepository
    private let sessions: Mutex<ClaimedSessions>
    private let now: @Sendable () -> Date

    init(calls: CallRepository, sessions: ClaimedSessions = ClaimedSessions(), now: @escaping @Sendable () -> Date) {
        self.calls = calls
        self.sessions = Mutex(sessions)
        self.now = now
    }

    /// Claims the caller's bookings unless this session already did. A failure leaves the
    /// session unmarked, so the next read tries again.
    func claimOnce(for caller: Principal) async throws {
        guard caller.role == .customer, caller.emailVerified, let email = caller.email, !email.isEmpty else { return }
        let key = ClaimedSessions.key(sessionID: caller.sessionID ?? "user:\(caller.userID)", email: email)
        guard !self.sessions.withLock({ $0.contains(key, at: self.now()) }) else { return }
        try await self.calls.claimUnclaimed(email: email, userID: caller.userID)
        self.sessions.withLock { $0.insert(key, at: self.now()) }
    }
}
