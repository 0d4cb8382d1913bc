import Crypto
import Foundation
import Synchronization

/// Sessions already verified, by the SHA-256 of their token, so that a client sending the same
/// token with every request has it parsed and its RS256 signature checked once, not per request.
///
/// An entry answers only inside the window the token itself allows (`nbf` and `exp`, with the
/// clock skew), and only while the key that verified it is still the one the key source gives
/// for the token's `kid` (the verifier asks it on every hit: a JWKS refetched after its max-age,
/// or a key removed, sends the token through a full verification again). So a hit never accepts
/// what a fresh verification would refuse. Only verified tokens get in; a forged one costs its
/// verification each time, as before.
///
/// Bounded by two generations of at most `capacity / 2` entries: when the current one is
/// full it becomes the previous one and the oldest is dropped, and a hit in the previous one
/// moves back. Recently used tokens stay; memory stays at most `capacity` entries.
final class VerifiedSessionCache: Sendable {
    struct Entry: Sendable {
        var session: VerifiedSession
        /// The header's `kid`, and the key it verified with.
        var kid: JSONValue?
        var key: RSAPublicKey
        /// `nbf` − skew (or the distant past), and `exp` + skew.
        var validFrom: Date
        var validUntil: Date
    }

    private struct Generations: ~Copyable {
        var current: [[UInt8]: Entry] = [:]
        var previous: [[UInt8]: Entry] = [:]
    }

    let capacity: Int
    private let generations = Mutex(Generations())

    init(capacity: Int = 10_000) {
        self.capacity = max(2, capacity)
    }

    static func key(_ token: String) -> [UInt8] { SHA256.hash(token) }

    /// What was kept of a token verified before, while its window includes `now`.
    func entry(for key: [UInt8], at now: Date) -> Entry? {
        self.generations.withLock { generations in
            let entry: Entry
            if let current = generations.current[key] {
                entry = current
            } else if let previous = generations.previous.removeValue(forKey: key) {
                entry = previous
                Self.insert(previous, for: key, into: &generations, capacity: self.capacity)
            } else {
                return nil
            }
            guard now >= entry.validFrom, now < entry.validUntil else { return nil }
            return entry
        }
    }

    func insert(_ entry: Entry, for key: [UInt8]) {
        self.generations.withLock { Self.insert(entry, for: key, into: &$0, capacity: self.capacity) }
    }

    var count: Int { self.generations.withLock { $0.current.count + $0.previous.count } }

    private static func insert(_ entry: Entry, for key: [UInt8], into generations: inout Generations, capacity: Int) {
        if generations.current.count >= capacity / 2, generations.current[key] == nil {
            generations.previous = generations.current
            generations.current = [:]
        }
        generations.current[key] = entry
    }
}
