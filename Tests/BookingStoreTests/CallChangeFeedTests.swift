import BookingDomain
import Foundation
import Logging
import TestSupport
import Testing

@testable import BookingStore

/// The feed behind WatchCall: changes committed by any connection arrive, and a listening
/// connection the server kills is reported (`.interrupted`) and replaced, with `.resynchronize`
/// to say changes may be missed.
@Suite struct CallChangeFeedTests {
    /// The changes a feed delivered, to await one by one.
    private final class Received: Sendable {
        let stream: AsyncStream<CallChangeFeed.Event>
        let continuation: AsyncStream<CallChangeFeed.Event>.Continuation

        init() {
            (self.stream, self.continuation) = AsyncStream.makeStream(of: CallChangeFeed.Event.self)
        }

        func next(within timeout: Duration = .seconds(20)) async -> CallChangeFeed.Event? {
            await self.stream.next(within: timeout)
        }
    }

    private static let applicationName = "call-change-feed-test"

    private func withFeed(
        url: String, _ body: (CallChangeFeed, Received) async throws -> Void
    ) async throws {
        var configuration = TestDatabase.configuration(url)
        configuration.applicationName = Self.applicationName
        var timing = CallChangeFeed.Timing()
        timing.minRetryDelay = .milliseconds(20)
        timing.maxRetryDelay = .milliseconds(200)
        let feed = try CallChangeFeed(configuration: configuration, timing: timing, logger: Logger(label: "test"))
        let received = Received()
        feed.start { received.continuation.yield($0) }
        do {
            #expect(await received.next() == .resynchronize, "the first LISTEN is reported")
            try await body(feed, received)
        } catch {
            await feed.shutdown()
            throw error
        }
        await feed.shutdown()
    }

    private func insertCall(_ pool: PGPool) async throws -> CallID {
        let id = try await pool.withConnection { connection in
            try connection.execute(
                "INSERT INTO calls.calls (scheduled_start, scheduled_end) VALUES (now(), now() + interval '30 minutes') RETURNING id"
            ).first?.uuid("id")
        }
        return CallID(try #require(id))
    }

    @Test func insertsAndUpdatesCommittedByAnotherConnectionArriveAsTheirCallID() async throws {
        try await TestDatabase.withFreshDatabase { pool, url in
            try await withFeed(url: url) { _, received in
                let id = try await insertCall(pool)
                #expect(await received.next() == .changed(id))
                try await pool.withConnection { try $0.execute("UPDATE calls.calls SET topic = 'sleep' WHERE id = $1::uuid", [id.uuidString]) }
                #expect(await received.next() == .changed(id))
            }
        }
    }

    @Test func aRolledBackChangeIsNeverAnnounced() async throws {
        try await TestDatabase.withFreshDatabase { pool, url in
            try await withFeed(url: url) { _, received in
                let id = try await insertCall(pool)
                #expect(await received.next() == .changed(id))
                try await pool.withConnection { connection in
                    try connection.simpleQuery("BEGIN")
                    try connection.execute("UPDATE calls.calls SET topic = 'never' WHERE id = $1::uuid", [id.uuidString])
                    try connection.simpleQuery("ROLLBACK")
                    // A NOTIFY sent afterwards arrives first: the rolled-back one never does.
                    try connection.execute("SELECT pg_notify('call_changed', $1)", [id.uuidString])
                }
                #expect(await received.next() == .changed(id))
                #expect(await received.next(within: .milliseconds(300)) == nil)
            }
        }
    }

    @Test func aKilledListeningConnectionIsReplacedAndSaysChangesMayHaveBeenMissed() async throws {
        try await TestDatabase.withFreshDatabase { pool, url in
            try await withFeed(url: url) { _, received in
                let killed = try await pool.withConnection { connection in
                    try connection.execute(
                        "SELECT count(pg_terminate_backend(pid)) AS killed FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
                        [Self.applicationName]
                    ).first?.int("killed")
                }
                #expect(killed == 1, "exactly one listening connection")
                #expect(await received.next() == .interrupted, "the loss is reported at once")
                #expect(await received.next() == .resynchronize)
                let id = try await insertCall(pool)
                #expect(await received.next() == .changed(id), "listening again")
            }
        }
    }

    @Test func aDatabaseThatIsDownIsRetriedAndShutdownStillReturns() async throws {
        var timing = CallChangeFeed.Timing()
        timing.minRetryDelay = .milliseconds(10)
        let feed = try CallChangeFeed(
            configuration: TestDatabase.configuration("postgresql://postgres@127.0.0.1:1/callbooking"), timing: timing,
            logger: Logger(label: "test"))
        let received = Received()
        feed.start { received.continuation.yield($0) }
        #expect(await received.next(within: .milliseconds(300)) == nil)
        let started = ContinuousClock.now
        await feed.shutdown()
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
