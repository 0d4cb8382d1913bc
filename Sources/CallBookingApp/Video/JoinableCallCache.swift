import BookingDomain
import BookingStore
import Synchronization

/// Calls as CreateCallToken last read them, so that a participant joining again, or the other
/// side joining, costs a signature instead of a database round trip.
///
/// A call is answered from here only while it cannot be stale by more than the change feed's
/// delay:
/// - this process's own writes forget the calls they updated before their callers hear back
///   (`CallRepository`'s `updated` hook), so a client never reads its own change stale;
/// - another replica's writes arrive through the change feed (`LISTEN call_changed`) within
///   milliseconds of their commit, and forget the call;
/// - while the feed is not listening (before its first LISTEN, or after losing its connection)
///   nothing is kept or answered, and whatever was kept is dropped;
/// - a read that began before any change was forgotten is not kept (`generation`), so a slow
///   read cannot put back what a change just removed.
/// Entries also expire after `maxAge`, and at `capacity` the whole cache starts over: simpler
/// than LRU, and a full cache at that size means a cache that barely helps anyway.
///
/// What a token depends on (the call's state, its scheduled end, its expert and customer) can
/// thus lag another replica's change by the feed's delay: a token issued in that window is
/// the token issued a moment before the change, which the room's own rules (closed on cancel,
/// blocked on reassign) already handle.
final class JoinableCallCache: Sendable {
    struct Settings: Sendable {
        var capacity = 10_000
        var maxAge: Duration = .seconds(60)
    }

    private struct Entry {
        let call: Call
        let storedAt: ContinuousClock.Instant
    }

    private struct State {
        var listening = false
        /// Bumped by everything that forgets: a read that saw an older generation is not kept.
        var generation: UInt64 = 0
        var entries: [CallID: Entry] = [:]

        mutating func forgetAll() {
            self.generation &+= 1
            self.entries.removeAll(keepingCapacity: false)
        }
    }

    private let settings: Settings
    private let state = Mutex(State())

    init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// The call as kept, or nil: read it from the database, taking `generation` before.
    func call(_ id: CallID, now: ContinuousClock.Instant = .now) -> Call? {
        self.state.withLock { state in
            guard state.listening, let entry = state.entries[id] else { return nil }
            guard now - entry.storedAt < self.settings.maxAge else {
                state.entries[id] = nil
                return nil
            }
            return entry.call
        }
    }

    /// Taken before a read whose result is offered to `keep`.
    var generation: UInt64 { self.state.withLock { $0.generation } }

    /// Keeps a call read after `generation` was taken, unless something was forgotten since.
    func keep(_ call: Call, readAfter generation: UInt64, now: ContinuousClock.Instant = .now) {
        self.state.withLock { state in
            guard state.listening, state.generation == generation else { return }
            if state.entries.count >= self.settings.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[call.id] = Entry(call: call, storedAt: now)
        }
    }

    /// This process updated these calls (committed).
    func forget(_ ids: [CallID]) {
        self.state.withLock { state in
            state.generation &+= 1
            for id in ids { state.entries[id] = nil }
        }
    }

    /// From the change feed's thread. Never blocks.
    func receive(_ event: CallChangeFeed.Event) {
        self.state.withLock { state in
            switch event {
            case .changed(let id):
                state.generation &+= 1
                state.entries[id] = nil
            case .resynchronize:
                state.forgetAll()
                state.listening = true
            case .interrupted:
                state.forgetAll()
                state.listening = false
            }
        }
    }

    var count: Int { self.state.withLock { $0.entries.count } }
}
