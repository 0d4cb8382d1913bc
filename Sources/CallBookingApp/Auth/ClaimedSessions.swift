import Foundation

/// The sessions whose bookings this replica has already claimed, so a claim is one write per
/// session rather than one per read. A plain value with time passed in; `BookingClaims` keeps
/// it behind a lock.
///
/// Bounded in both directions: an entry is forgotten after `memory` (a session that lives
/// longer claims again, which is harmless: a claim finds nothing left to take), and at
/// `capacity` the expired entries go, then, if that is not enough, all of them. Forgetting
/// costs one more claim per session; it never claims something it should not.
struct ClaimedSessions: Sendable {
    let memory: TimeInterval
    let capacity: Int
    private var claimedUntil: [String: Date] = [:]

    init(memory: TimeInterval = 24 * 3600, capacity: Int = 100_000) {
        self.memory = memory
        self.capacity = capacity
    }

    var count: Int { self.claimedUntil.count }

    /// The key of a session and the email it claims with: a new email in the same session
    /// (changed in Clerk) claims again.
    static func key(sessionID: String, email: String) -> String {
        "\(sessionID)\u{0}\(email.lowercased())"
    }

    func contains(_ key: String, at now: Date) -> Bool {
        guard let until = self.claimedUntil[key] else { return false }
        return now < until
    }

    mutating func insert(_ key: String, at now: Date) {
        if self.claimedUntil.count >= self.capacity, self.claimedUntil[key] == nil {
            self.claimedUntil = self.claimedUntil.filter { now < $0.value }
            if self.claimedUntil.count >= self.capacity { self.claimedUntil.removeAll(keepingCapacity: true) }
        }
        self.claimedUntil[key] = now.addingTimeInterval(self.memory)
    }
}
