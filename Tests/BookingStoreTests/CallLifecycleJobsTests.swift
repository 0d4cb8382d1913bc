import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// The lifecycle's jobs and deliveries, enqueued in the transaction of each change of a call,
/// on a real PostgreSQL.
@Suite struct CallLifecycleJobsTests {
    static let start = Date.utc("2030-01-07T09:00:00Z")

    /// The call repository with the default settings (1440 and 15 minutes, 600 s grace) and a
    /// clock stopped at `now`.
    static func calls(_ store: Store, now: Date) -> CallRepository {
        CallRepository(pool: store.pool, lifecycle: CallLifecycle(), now: { now })
    }

    static func book(_ calls: CallRepository, _ expert: ExpertID, at start: Date = Self.start) async throws -> Call {
        let call = Call(
            id: CallID(UUID()), expertID: expert, customer: Customer(userID: "user_1", timeZone: "America/New_York"),
            topic: "taxes", scheduledStart: start, scheduledEnd: start + 1800, createdAt: start, updatedAt: start)
        return try await calls.insert(calls.lifecycle.book(call), requestID: nil, specialty: "tax", actor: "test")
    }

    /// The jobs of `kind`, oldest first, with their payloads decoded (jsonb reformats the text).
    static func jobs<Kind: JobKind>(_ store: Store, _ kind: Kind.Type) async throws
        -> [(payload: Kind.Payload?, dedupeKey: String?, runAt: Date)]
    {
        try await store.pool.withConnection { connection in
            try connection.execute(
                "SELECT payload::text AS payload, dedupe_key, run_at FROM calls.jobs WHERE kind = $1 ORDER BY id", [Kind.name]
            ).rows.map { row in
                (
                    try? JSONDecoder().decode(Kind.Payload.self, from: Data((try row.string("payload") ?? "").utf8)),
                    try row.string("dedupe_key"), try row.require(Date.self, "run_at")
                )
            }
        }
    }

    /// The no-show check in a transaction of its own, as the job runs it.
    static func checkNoShow(_ calls: CallRepository, _ id: CallID) async throws -> NoShowVerdict? {
        try await calls.transaction { try $0.checkNoShow(id, actor: "no-show-check") }
    }

    /// Cancels the call through the lifecycle.
    static func cancel(_ calls: CallRepository, _ id: CallID, reason: String = "") async throws {
        try await calls.change(id, actor: "test") { call, transaction in
            transaction.lifecycle.cancel(call, reason: reason, at: transaction.now)
        }
    }

    static func reassign(_ calls: CallRepository, _ id: CallID, to expert: ExpertID, note: String = "") async throws {
        try await calls.change(id, actor: "admin") { call, transaction in
            transaction.lifecycle.reassign(
                call, to: expert, assignment: Assignment(reason: .requested, note: note), at: transaction.now)
        }
    }

    @Test func bookingPlansEachReminderWithItsJobAndTheNoShowCheck() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let calls = Self.calls(store, now: Self.start - 2 * 86_400)
            let call = try await Self.book(calls, expert)

            let deliveries = try await NotificationDeliveries(pool: store.pool).deliveries(of: call.id)
            #expect(deliveries.count == 4)
            #expect(deliveries.allSatisfy { $0.kind == .reminder && $0.status == .planned && $0.runID == nil })
            #expect(Set(deliveries.map(\.recipient)) == ["customer", "expert-\(expert.uuidString)"])
            #expect(deliveries.map(\.minutesBefore) == [1440, 1440, 15, 15])
            #expect(deliveries.map(\.sendAt) == [Self.start - 86_400, Self.start - 86_400, Self.start - 900, Self.start - 900])

            let triggers = try await Self.jobs(store, ReminderJob.self)
            #expect(Set(triggers.compactMap(\.dedupeKey)) == Set(deliveries.map(\.idempotencyKey)))
            #expect(triggers.allSatisfy { $0.payload?.callID == call.id && $0.payload?.idempotencyKey == $0.dedupeKey })
            let checks = try await Self.jobs(store, NoShowCheckJob.self)
            #expect(checks.map(\.runAt) == [Self.start + 600])
            #expect(checks.first?.payload == NoShowCheckJob.Payload(callID: call.id))
        }
    }

    @Test func aReminderWhoseTimeHasPassedAtBookingIsNotPlanned() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            // An hour ahead: the 24-hour reminder's time has passed, the 15-minute one's not.
            let call = try await Self.book(Self.calls(store, now: Self.start - 3600), expert)
            let deliveries = try await NotificationDeliveries(pool: store.pool).deliveries(of: call.id)
            #expect(deliveries.map(\.minutesBefore) == [15, 15])
            #expect(try await Self.jobs(store, ReminderJob.self).count == 2)

            // Ten minutes ahead: none at all, but the no-show check still comes.
            let late = try await Self.book(Self.calls(store, now: Self.start + 86_400 - 600), expert, at: Self.start + 86_400)
            #expect(try await NotificationDeliveries(pool: store.pool).deliveries(of: late.id).isEmpty)
            #expect(try await Self.jobs(store, NoShowCheckJob.self).count == 2)
        }
    }

    @Test func cancellingCancelsTheRemindersAndTheRunsTriggerDevHas() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let calls = Self.calls(store, now: Self.start - 2 * 86_400)
            let call = try await Self.book(calls, expert)
            let deliveries = NotificationDeliveries(pool: store.pool)
            let planned = try await deliveries.deliveries(of: call.id)
            // Two have runs at Trigger.dev already; two are still planned.
            #expect(try await deliveries.recordRun(planned[0].idempotencyKey, runID: "run_a") == .triggered)
            #expect(try await deliveries.recordRun(planned[1].idempotencyKey, runID: "run_b") == .triggered)

            try await Self.cancel(calls, call.id, reason: "flu")
            let after = try await deliveries.deliveries(of: call.id)
            #expect(after.map(\.status) == [.cancelled, .cancelled, .cancelled, .cancelled])
            let cancels = try await Self.jobs(store, ReminderCancelJob.self)
            #expect(Set(cancels.compactMap(\.payload)) == [
                ReminderCancelJob.Payload(idempotencyKey: planned[0].idempotencyKey, runID: "run_a"),
                ReminderCancelJob.Payload(idempotencyKey: planned[1].idempotencyKey, runID: "run_b"),
            ])
        }
    }

    @Test func aReminderAlreadyDueIsNotCancelledAnyMore() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 2 * 86_400), expert)
            let deliveries = NotificationDeliveries(pool: store.pool)
            for (index, delivery) in try await deliveries.deliveries(of: call.id).enumerated() {
                _ = try await deliveries.recordRun(delivery.idempotencyKey, runID: "run_\(index)")
            }
            // Cancelled 20 minutes before the start: the 24-hour reminders went out long ago.
            try await Self.cancel(Self.calls(store, now: Self.start - 1200), call.id)
            let after = try await deliveries.deliveries(of: call.id)
            #expect(after.map(\.status) == [.triggered, .triggered, .cancelled, .cancelled])
            #expect(Set(try await Self.jobs(store, ReminderCancelJob.self).compactMap(\.payload?.runID)) == ["run_2", "run_3"])
        }
    }

    @Test func aRunCreatedAfterItsReminderWasCancelledIsCancelledToo() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let calls = Self.calls(store, now: Self.start - 2 * 86_400)
            let call = try await Self.book(calls, expert)
            let deliveries = NotificationDeliveries(pool: store.pool)
            let key = try await deliveries.deliveries(of: call.id)[0].idempotencyKey
            try await Self.cancel(calls, call.id)
            #expect(try await Self.jobs(store, ReminderCancelJob.self).isEmpty)
            // The trigger job was in flight: its run arrives after the cancellation committed.
            #expect(try await deliveries.recordRun(key, runID: "run_late") == .cancelRun)
            #expect(try await deliveries.find(key)?.status == .cancelled)
            #expect(try await deliveries.find(key)?.runID == "run_late")
            #expect(try await Self.jobs(store, ReminderCancelJob.self).map(\.payload) == [
                ReminderCancelJob.Payload(idempotencyKey: key, runID: "run_late")
            ])
        }
    }

    @Test func recordingTheSameRunTwiceStaysTriggered() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 2 * 86_400), expert)
            let deliveries = NotificationDeliveries(pool: store.pool)
            let key = try await deliveries.deliveries(of: call.id)[0].idempotencyKey
            #expect(try await deliveries.recordRun(key, runID: "run_1") == .triggered)
            #expect(try await deliveries.recordRun(key, runID: "run_1") == .triggered)
            #expect(try await Self.jobs(store, ReminderCancelJob.self).isEmpty)
        }
    }

    /// Two experts, and a call booked two days ahead with the first.
    static func bookingWithTwoExperts(_ store: Store) async throws -> (ExpertID, ExpertID, CallRepository, Call) {
        let first = try await store.expert()
        let second = try await store.expert(email: "grace@example.com")
        let calls = Self.calls(store, now: Self.start - 2 * 86_400)
        return (first, second, calls, try await Self.book(calls, first))
    }

    @Test func reassigningReplacesOnlyTheExpertsReminders() async throws {
        try await Store.withFresh { store in
            let (first, second, calls, call) = try await Self.bookingWithTwoExperts(store)
            let deliveries = NotificationDeliveries(pool: store.pool)
            let before = try await deliveries.deliveries(of: call.id)
            for (index, delivery) in before.enumerated() {
                _ = try await deliveries.recordRun(delivery.idempotencyKey, runID: "run_\(index)")
            }

            try await Self.reassign(calls, call.id, to: second, note: "t")
            let after = try await deliveries.deliveries(of: call.id)
            let live = after.filter { $0.status == .planned || $0.status == .triggered }
            #expect(Set(live.compactMap(\.recipient)) == ["customer", "expert-\(second.uuidString)"])
            #expect(after.filter { $0.recipient == "customer" }.allSatisfy { $0.status == .triggered })
            #expect(after.filter { $0.recipient == "expert-\(first.uuidString)" }.map(\.status) == [.cancelled, .cancelled])
            #expect(after.filter { $0.recipient == "expert-\(second.uuidString)" }.map(\.status) == [.planned, .planned])
            #expect(try await Self.jobs(store, ReminderCancelJob.self).count == 2)
            #expect(try await Self.jobs(store, ReminderJob.self).count == 6)
        }
    }

    @Test func reassigningBackPlansTheFirstExpertsRemindersUnderNewKeys() async throws {
        try await Store.withFresh { store in
            let (first, second, calls, call) = try await Self.bookingWithTwoExperts(store)
            let deliveries = NotificationDeliveries(pool: store.pool)
            let original = try await deliveries.deliveries(of: call.id).filter { $0.recipient == "expert-\(first.uuidString)" }
            for expert in [second, first] {
                try await Self.reassign(calls, call.id, to: expert)
            }
            let firsts = try await deliveries.deliveries(of: call.id).filter { $0.recipient == "expert-\(first.uuidString)" }
            // Trigger.dev keeps a cancelled run's key: the second delivery of each has its own.
            #expect(firsts.filter { $0.status == .cancelled }.map(\.idempotencyKey).sorted() == original.map(\.idempotencyKey).sorted())
            let again = firsts.filter { $0.status == .planned }
            #expect(again.map(\.idempotencyKey).sorted() == original.map { $0.idempotencyKey + ":2" }.sorted())
            #expect(again.compactMap(\.reminderKey).sorted() == original.map(\.idempotencyKey).sorted())
            let triggerKeys = try await Self.jobs(store, ReminderJob.self).compactMap(\.dedupeKey)
            #expect(Set(again.map(\.idempotencyKey)).isSubset(of: Set(triggerKeys)))
            // The customer's were never touched.
            #expect(try await deliveries.deliveries(of: call.id).filter { $0.recipient == "customer" }.map(\.status) == [.planned, .planned])
        }
    }

    @Test func completingEnqueuesOneFollowUp() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let calls = Self.calls(store, now: Self.start - 2 * 86_400)
            let call = try await Self.book(calls, expert)
            for _ in 0..<2 {
                try await calls.change(call.id, actor: "test") { call, transaction in
                    transaction.lifecycle.complete(call, at: Self.start + 1800)
                }
            }
            #expect(try await Self.jobs(store, FollowUpJob.self).map(\.payload) == [
                FollowUpJob.Payload(callID: call.id)
            ])
            // The completed call's reminders are no longer due.
            let statuses = try await NotificationDeliveries(pool: store.pool).deliveries(of: call.id).map(\.status)
            #expect(statuses == [.cancelled, .cancelled, .cancelled, .cancelled])
        }
    }

    @Test func theNoShowCheckMarksACallNobodyJoinedAsMissedByBoth() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 3600), expert)

            // Before the grace has run out: checked again at start + grace.
            let early = Self.calls(store, now: Self.start + 60)
            #expect(try await Self.checkNoShow(early, call.id) == .checkAgain(at: Self.start + 600))
            #expect(try await Self.jobs(store, NoShowCheckJob.self).map(\.runAt) == [Self.start + 600])

            let late = Self.calls(store, now: Self.start + 601)
            #expect(try await Self.checkNoShow(late, call.id) == .noShow(.both))
            let stored = try await late.find(call.id)
            #expect(stored?.state == .noShow)
            #expect(stored?.noShowParty == .both)
            let events = try await store.pool.withConnection { connection in
                try connection.execute(
                    "SELECT kind, actor FROM calls.call_events WHERE call_id = $1::uuid ORDER BY id", [call.id.uuidString]
                ).rows.map { "\(try $0.string("kind") ?? "")/\(try $0.string("actor") ?? "")" }
            }
            #expect(events == ["created/test", "no_show/no-show-check"])
            // Checking again changes nothing.
            #expect(try await Self.checkNoShow(late, call.id) == .notApplicable(.noShow))
        }
    }

    @Test func aCallBackFromAnUnmarkedNoShowIsCheckedAgain() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 3600), expert)
            let late = Self.calls(store, now: Self.start + 3600)
            #expect(try await Self.checkNoShow(late, call.id) == .noShow(.both))
            try await late.change(call.id, actor: "calendly") { call, transaction in
                transaction.lifecycle.unmarkNoShow(call, previous: .scheduled, at: transaction.now)
            }
            #expect(try await Self.jobs(store, NoShowCheckJob.self).map(\.runAt) == [Self.start + 600, Self.start + 3600])
        }
    }

    @Test func theNoShowCheckLeavesACallSomeoneJoinedToItsSessionEnd() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 3600), expert)
            _ = try await store.calls.transaction { transaction in
                try transaction.recordParticipant(
                    .init(userID: "user_1", sessionID: "s", userSessionID: "u1", streamRole: "call_member",
                          joinedAt: Self.start + 30),
                    of: call.id)
            }
            let late = Self.calls(store, now: Self.start + 601)
            #expect(try await Self.checkNoShow(late, call.id) == .awaitSessionEnd)
            #expect(try await late.find(call.id)?.state == .scheduled)
            #expect(try await Self.checkNoShow(late, CallID(UUID())) == nil)
        }
    }
}
