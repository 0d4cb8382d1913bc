import BookingAPI
import BookingDomain
import Foundation
import RPC
import Synchronization
import TestSupport
import Testing

@testable import BookingStore
@testable import CallBookingApp

/// WatchCall on a real PostgreSQL with the real change feed: the call, then each change made by
/// any writer, until the call is final; GetCall's permissions; the hub's caps and shutdown.
@Suite struct CallWatchTests {
    static let customer = Principal(userID: "user_c", role: .customer, email: "user_c@example.com", expertID: nil)

    /// The messages a watch sent, to await one by one, and how the watch ended.
    final class Watch: Sendable {
        let messages: AsyncStream<BookingAPI.Call>
        private let continuation: AsyncStream<BookingAPI.Call>.Continuation
        let task: Task<RPCError.Code, Never>

        init(_ service: CallWatchService, id: String, by caller: Principal) {
            let (messages, continuation) = AsyncStream.makeStream(of: BookingAPI.Call.self)
            self.messages = messages
            self.continuation = continuation
            var request = GetCallRequest()
            request.id = id
            self.task = Task {
                defer { continuation.finish() }
                do {
                    try await service.watch(request, by: caller) { continuation.yield($0) }
                    return .ok
                } catch {
                    return RPCError(from: error).code
                }
            }
        }

        /// The next message, or nil when the watch ended or none came within `timeout`.
        func next(within timeout: Duration = .seconds(20)) async -> BookingAPI.Call? {
            await self.messages.next(within: timeout)
        }
    }

    /// A fixture with a hub fed by a real `CallChangeFeed` on its database.
    private func withWatching(
        limits: CallWatchLimits = CallWatchLimits(total: 100, perCaller: 10),
        _ body: (AppFixture, CallWatchService, CallWatchHub) async throws -> Void
    ) async throws {
        try await TestDatabase.withFreshDatabase { pool, url in
            let app = AppFixture(pool: pool, now: AppFixture.now)
            let hub = CallWatchHub(limits: limits)
            let feed = try CallChangeFeed(configuration: TestDatabase.configuration(url), logger: AppFixture.logger)
            let listening = Atomic<Bool>(false)
            feed.start { change in
                if change == .resynchronize { listening.store(true, ordering: .releasing) }
                hub.receive(change)
            }
            while !listening.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(10)) }
            let service = CallWatchService(calls: app.callService, hub: hub, authenticator: NoAuthenticator())
            do {
                try await body(app, service, hub)
            } catch {
                await feed.shutdown()
                throw error
            }
            await feed.shutdown()
        }
    }

    @Test func aWatcherGetsTheCallThenEveryChangeByAnyWriterAndTheStreamEndsWhenItIsCancelled() async throws {
        try await withWatching { app, service, hub in
            let call = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let watch = Watch(service, id: call.id, by: Self.customer)
            #expect(await watch.next() == call, "first the call as GetCall answers it")
            // A writer that is not this process's services: the database announces it all the same.
            try await app.pool.withConnection {
                try $0.execute("UPDATE calls.calls SET topic = 'Better sleep' WHERE id = $1::uuid", [call.id])
            }
            #expect(await watch.next()?.topic == "Better sleep")
            var cancel = CancelCallRequest()
            cancel.id = call.id
            cancel.reason = "flu"
            _ = try await app.callService.cancel(cancel, by: Self.customer)
            let last = await watch.next()
            #expect(last?.state == .cancelled && last?.cancellationReason == "flu")
            #expect(await watch.task.value == .ok, "a final call ends the stream")
            #expect(hub.openWatches == 0)
        }
    }

    @Test func aChangeThatLeavesTheCallAsItWasIsNotSentAgain() async throws {
        try await withWatching { app, service, _ in
            let call = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let watch = Watch(service, id: call.id, by: Self.customer)
            #expect(await watch.next() == call)
            // A notification with nothing behind it, as after the feed reconnects: read, not sent.
            try await app.pool.withConnection { try $0.execute("SELECT pg_notify('call_changed', $1)", [call.id]) }
            #expect(await watch.next(within: .seconds(1)) == nil)
            watch.task.cancel()
            #expect([.ok, .cancelled].contains(await watch.task.value), "the client left")
        }
    }

    @Test func watchingIsAllowedAsGetCallIs() async throws {
        try await withWatching { app, service, hub in
            let call = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let stranger = Principal(userID: "user_other", role: .customer, email: nil, expertID: nil)
            #expect(await Watch(service, id: call.id, by: stranger).task.value == .permissionDenied)
            #expect(await Watch(service, id: UUID().uuidString, by: AppFixture.admin).task.value == .notFound)
            #expect(await Watch(service, id: "not-a-uuid", by: AppFixture.admin).task.value == .invalidArgument)
            #expect(hub.openWatches == 0, "a refused watch holds nothing")
        }
    }

    @Test func anExpertWhoseCallIsReassignedAwayStopsSeeingIt() async throws {
        try await withWatching { app, service, _ in
            let (first, second) = (try await app.expert(1), try await app.expert(2))
            let call = try await app.book(first, "2030-01-07T09:00:00Z")
            let expert = Principal(userID: "user_expert1", role: .expert, email: nil, expertID: first)
            let watch = Watch(service, id: call.id, by: expert)
            #expect(await watch.next()?.expertID == first.uuidString)
            var reassign = ReassignCallRequest()
            reassign.id = call.id
            reassign.expertID = second.uuidString
            _ = try await app.callService.reassign(reassign, by: AppFixture.admin)
            #expect(await watch.next() == nil, "the call as the new expert has it is never sent")
            watch.task.cancel()
            #expect(await watch.task.value == .permissionDenied)
        }
    }

    @Test func aCallerOverTheirCapIsRefusedWithResourceExhausted() async throws {
        try await withWatching(limits: CallWatchLimits(total: 100, perCaller: 2)) { app, service, hub in
            let call = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
            let open = [Watch(service, id: call.id, by: Self.customer), Watch(service, id: call.id, by: Self.customer)]
            for watch in open { #expect(await watch.next() != nil) }
            #expect(await Watch(service, id: call.id, by: Self.customer).task.value == .resourceExhausted)
            #expect(await Watch(service, id: call.id, by: AppFixture.admin).next() != nil, "another caller still may")
            hub.shutDown()
            for watch in open { #expect(await watch.task.value == .ok, "shutdown ends a watch") }
            #expect(await Watch(service, id: call.id, by: Self.customer).task.value == .unavailable)
        }
    }
}

/// The hub alone: which watchers a change wakes, and the process-wide cap.
@Suite struct CallWatchHubTests {
    @Test func aChangeWakesTheWatchersOfItsCallAndAResynchronizationWakesAll() async throws {
        let hub = CallWatchHub(limits: CallWatchLimits(total: 10, perCaller: 10))
        let (one, two) = (CallID(), CallID())
        try await hub.withChanges(of: one, by: "a") { ofOne in
            try await hub.withChanges(of: two, by: "b") { ofTwo in
                var first = ofOne.makeAsyncIterator()
                var second = ofTwo.makeAsyncIterator()
                hub.receive(.changed(one))
                hub.receive(.changed(one))  // coalesced with the first: one wake-up
                hub.receive(.resynchronize)
                hub.shutDown()
                #expect(await first.next() != nil)
                #expect(await first.next() == nil, "three notifications, one buffered wake-up, then the end")
                #expect(await second.next() != nil, "woken by the resynchronization only")
                #expect(await second.next() == nil)
            }
        }
    }

    @Test func theProcessCapCountsEveryCaller() async throws {
        let hub = CallWatchHub(limits: CallWatchLimits(total: 1, perCaller: 10))
        try await hub.withChanges(of: CallID(), by: "a") { _ in
            await #expect(throws: RPCError.self) {
                try await hub.withChanges(of: CallID(), by: "b") { _ in }
            }
        }
        try await hub.withChanges(of: CallID(), by: "b") { _ in }  // released when the first ended
        #expect(hub.openWatches == 0)
    }
}
