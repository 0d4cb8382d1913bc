import BookingDomain
import Foundation
import Testing

@testable import BookingStore

/// The lifecycle's jobs and deliveries, enqueued in the transaction of each change of a call,
/// on a real PostgreSQL.
@Suite struct CallLifecycleJobsTests {
    static let start = Date.utc("2030-01-07T09:00:00Z")

    /// The call repository with the default settings (1440 and 15 minutes, 600 s grace) and a
    /// clock stopped at `now`.
    static func calls(_ store: Store, now: Date) -> CallRepository {
        CallRepository(pool: store.pool, lifecycle: CallLifecycleJobs(now: { now }))
    }

    static func book(_ calls: CallRepository, _ expert: ExpertID, at start: Date = Self.start) async throws -> Call {
        let call = Call(
            id: CallID(UUID()), expertID: expert, customer: Customer(userID: "user_1", timeZone: "America/New_York"),
            topic: "taxes", scheduledStart: start, scheduledEnd: start + 1800, createdAt: start, updatedAt: start)
        return try await calls.insert(call, requestID: nil, specialty: "tax", actor: "test")
    }

    /// The jobs of `kind`, oldest first, with their payloads decoded (jsonb reformats the text).
    static func jobs(_ store: Store, _ kind: String) async throws
        -> [(payload: LifecycleJobPayload?, dedupeKey: String?, runAt: Date)]
    {
        try await store.pool.withConnection { connection in
            try connection.execute(
                "SELECT payload::text AS payload, dedupe_key, run_at FROM calls.jobs WHERE kind = $1 ORDER BY id", [kind]
            ).rows.map { row in
                (LifecycleJobPayload(json: try row.string("payload") ?? ""), try row.string("dedupe_key"), try row.require(Date.self, "run_at"))
            }
        }
    }

    @Test func bookingPlansEachReminderWithItsJobAndTheNoShowCheck() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let calls = Self.calls(store, now: Self.start - 2 * 86_400)
            let call = try await Self.book(calls, expert)

            let deliveries = try await TriggerDeliveries(pool: store.pool).deliveries(of: call.id)
            #expect(deliveries.count == 4)
            #expect(deliveries.allSatisfy { $0.kind == .reminder && $0.status == .planned && $0.runID == nil })
            #expect(Set(deliveries.map(\.recipient)) == ["customer", "expert-\(expert.uuidString)"])
            #expect(deliveries.map(\.minutesBefore) == [1440, 1440, 15, 15])
            #expect(deliveries.map(\.sendAt) == [Self.start - 86_400, Self.start - 86_400, Self.start - 900, Self.start - 900])

            let triggers = try await Self.jobs(store, CallLifecycleJobs.reminderTrigger)
            #expect(Set(triggers.compactMap(\.dedupeKey)) == Set(deliveries.map(\.idempotencyKey)))
            #expect(triggers.allSatisfy { $0.payload?.callID == call.id.uuidString && $0.payload?.idempotencyKey == $0.dedupeKey })
            let checks = try await Self.jobs(store, CallLifecycleJobs.noShowCheck)
            #expect(checks.map(\.runAt) == [Self.start + 600])
            #expect(checks.first?.payload == LifecycleJobPayload(callID: call.id.uuidString))
        }
    }

    @Test func aReminderWhoseTimeHasPassedAtBookingIsNotPlanned() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            // An hour ahead: the 24-hour reminder's time has passed, the 15-minute one's not.
            let call = try await Self.book(Self.calls(store, now: Self.start - 3600), expert)
            let deliveries = try await TriggerDeliveries(pool: store.pool).deliveries(of: call.id)
            #expect(deliveries.map(\.minutesBefore) == [15, 15])
            #expect(try await Self.jobs(store, CallLifecycleJobs.reminderTrigger).count == 2)

            // Ten minutes ahead: none at all, but the no-show check still comes.
            let late = try await Self.book(Self.calls(store, now: Self.start + 86_400 - 600), expert, at: Self.start + 86_400)
            #expect(try await TriggerDeliveries(pool: store.pool).deliveries(of: late.id).isEmpty)
            #expect(try await Self.jobs(store, CallLifecycleJobs.noShowCheck).count == 2)
        }
    }

    @Test func cancellingCancelsTheRemindersAndTheRunsTriggerDevHas() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let calls = Self.calls(store, now: Self.start - 2 * 86_400)
            let call = try await Self.book(calls, expert)
            let deliveries = TriggerDeliveries(pool: store.pool)
            let planned = try await deliveries.deliveries(of: call.id)
            // Two have runs at Trigger.dev already; two are still planned.
            #expect(try await deliveries.recordRun(planned[0].idempotencyKey, runID: "run_a") == .triggered)
            #expect(try await deliveries.recordRun(planned[1].idempotencyKey, runID: "run_b") == .triggered)

            _ = try await calls.update(call.id, actor: "test") { call in
                var changed = call
                changed.state = .cancelled
                changed.cancellationReason = "flu"
                return (changed, "cancelled")
            }
            let after = try await deliveries.deliveries(of: call.id)
            #expect(after.map(\.status) == [.cancelled, .cancelled, .cancelled, .cancelled])
            let cancels = try await Self.jobs(store, CallLifecycleJobs.reminderCancel)
            #expect(Set(cancels.compactMap(\.payload)) == [
                LifecycleJobPayload(idempotencyKey: planned[0].idempotencyKey, runID: "run_a"),
                LifecycleJobPayload(idempotencyKey: planned[1].idempotencyKey, runID: "run_b"),
            ])
        }
    }

    @Test func aReminderAlreadyDueIsNotCancelledAnyMore() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 2 * 86_400), expert)
            let deliveries = TriggerDeliveries(pool: store.pool)
            for (index, delivery) in try await deliveries.deliveries(of: call.id).enumerated() {
                _ = try await deliveries.recordRun(delivery.idempotencyKey, runID: "run_\(index)")
            }
            // Cancelled 20 minutes before the start: the 24-hour reminders went out long ago.
            _ = try await Self.calls(store, now: Self.start - 1200).update(call.id, actor: "test") { call in
                var changed = call
                changed.state = .cancelled
                return (changed, "cancelled")
            }
            let after = try await deliveries.deliveries(of: call.id)
            #expect(after.map(\.status) == [.triggered, .triggered, .cancelled, .cancelled])
            #expect(Set(try await Self.jobs(store, CallLifecycleJobs.reminderCancel).compactMap(\.payload?.runID)) == ["run_2", "run_3"])
        }
    }

    @Test func aRunCreatedAfterItsReminderWasCancelledIsCancelledToo() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let calls = Self.calls(store, now: Self.start - 2 * 86_400)
            let call = try await Self.book(calls, expert)
            let deliveries = TriggerDeliveries(pool: store.pool)
            let key = try await deliveries.deliveries(of: call.id)[0].idempotencyKey
            _ = try await calls.update(call.id, actor: "test") { call in
                var changed = call
                changed.state = .cancelled
                return (changed, "cancelled")
            }
            #expect(try await Self.jobs(store, CallLifecycleJobs.reminderCancel).isEmpty)
            // The trigger job was in flight: its run arrives after the cancellation committed.
            #expect(try await deliveries.recordRun(key, runID: "run_late") == .cancelRun)
            #expect(try await deliveries.find(key)?.status == .cancelled)
            #expect(try await deliveries.find(key)?.runID == "run_late")
            #expect(try await Self.jobs(store, CallLifecycleJobs.reminderCancel).map(\.payload) == [
                LifecycleJobPayload(idempotencyKey: key, runID: "run_late")
            ])
        }
    }

    @Test func recordingTheSameRunTwiceStaysTriggered() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 2 * 86_400), expert)
            let deliveries = TriggerDeliveries(pool: store.pool)
            let key = try await deliveries.deliveries(of: call.id)[0].idempotencyKey
            #expect(try await deliveries.recordRun(key, runID: "run_1") == .triggered)
            #expect(try await deliveries.recordRun(key, runID: "run_1") == .triggered)
            #expect(try await Self.jobs(store, CallLifecycleJobs.reminderCancel).isEmpty)
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
            let deliveries = TriggerDeliveries(pool: store.pool)
            let before = try await deliveries.deliveries(of: call.id)
            for (index, delivery) in before.enumerated() {
                _ = try await deliveries.recordRun(delivery.idempotencyKey, runID: "run_\(index)")
            }

            _ = try await calls.reassign(call.id, to: second, assignment: Assignment(reason: .requested, note: "t"), actor: "admin")
            let after = try await deliveries.deliveries(of: call.id)
            let live = after.filter { $0.status == .planned || $0.status == .triggered }
            #expect(Set(live.compactMap(\.recipient)) == ["customer", "expert-\(second.uuidString)"])
            #expect(after.filter { $0.recipient == "customer" }.allSatisfy { $0.status == .triggered })
            #expect(after.filter { $0.recipient == "expert-\(first.uuidString)" }.map(\.status) == [.cancelled, .cancelled])
            #expect(after.filter { $0.recipient == "expert-\(second.uuidString)" }.map(\.status) == [.planned, .planned])
            #expect(try await Self.jobs(store, CallLifecycleJobs.reminderCancel).count == 2)
            #expect(try await Self.jobs(store, CallLifecycleJobs.reminderTrigger).count == 6)
        }
    }

    @Test func reassigningBackPlansTheFirstExpertsRemindersUnderNewKeys() async throws {
        try await Store.withFresh { store in
            let (first, second, calls, call) = try await Self.bookingWithTwoExperts(store)
            let deliveries = TriggerDeliveries(pool: store.pool)
            let original = try await deliveries.deliveries(of: call.id).filter { $0.recipient == "expert-\(first.uuidString)" }
            for expert in [second, first] {
                _ = try await calls.reassign(call.id, to: expert, assignment: Assignment(reason: .requested), actor: "admin")
            }
            let firsts = try await deliveries.deliveries(of: call.id).filter { $0.recipient == "expert-\(first.uuidString)" }
            // Trigger.dev keeps a cancelled run's key: the second delivery of each has its own.
            #expect(firsts.filter { $0.status == .cancelled }.map(\.idempotencyKey).sorted() == original.map(\.idempotencyKey).sorted())
            let again = firsts.filter { $0.status == .planned }
            #expect(again.map(\.idempotencyKey).sorted() == original.map { $0.idempotencyKey + ":2" }.sorted())
            #expect(again.compactMap(\.reminderKey).sorted() == original.map(\.idempotencyKey).sorted())
            let triggerKeys = try await Self.jobs(store, CallLifecycleJobs.reminderTrigger).compactMap(\.dedupeKey)
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
                _ = try await calls.update(call.id, actor: "test") { call in
                    guard call.state != .completed else { return nil }
                    var changed = call
                    changed.state = .completed
                    changed.endedAt = Self.start + 1800
                    return (changed, "completed")
                }
            }
            #expect(try await Self.jobs(store, CallLifecycleJobs.followUpTrigger).map(\.payload) == [
                LifecycleJobPayload(callID: call.id.uuidString)
            ])
            // The completed call's reminders are no longer due.
            let statuses = try await TriggerDeliveries(pool: store.pool).deliveries(of: call.id).map(\.status)
            #expect(statuses == [.cancelled, .cancelled, .cancelled, .cancelled])
        }
    }

    @Test func theNoShowCheckMarksACallNobodyJoinedAsMissedByBoth() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 3600), expert)

            // Before the grace has run out: checked again at start + grace.
            let early = Self.calls(store, now: Self.start + 60)
            #expect(try await early.checkNoShow(call.id) == .checkAgain(at: Self.start + 600))
            #expect(try await Self.jobs(store, CallLifecycleJobs.noShowCheck).map(\.runAt) == [Self.start + 600])

            let late = Self.calls(store, now: Self.start + 601)
            #expect(try await late.checkNoShow(call.id) == .noShow(.both))
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
            #expect(try await late.checkNoShow(call.id) == .notApplicable(.noShow))
        }
    }

    @Test func aCallBackFromAnUnmarkedNoShowIsCheckedAgain() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 3600), expert)
            let late = Self.calls(store, now: Self.start + 3600)
            #expect(try await late.checkNoShow(call.id) == .noShow(.both))
            _ = try await late.update(call.id, actor: "calendly") { call in
                var changed = call
                changed.state = .scheduled
                changed.noShowParty = nil
                return (changed, "no_show_unmarked")
            }
            #expect(try await Self.jobs(store, CallLifecycleJobs.noShowCheck).map(\.runAt) == [Self.start + 600, Self.start + 3600])
        }
    }

    @Test func theNoShowCheckLeavesACallSomeoneJoinedToItsSessionEnd() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await Self.book(Self.calls(store, now: Self.start - 3600), expert)
            try await store.pool.withTransaction { connection in
                try VideoRepository.recordParticipant(
                    .init(userID: "user_1", sessionID: "s", userSessionID: "u1", streamRole: "call_member",
                          joinedAt: Self.start + 30),
                    of: call.id, on: connection)
            }
            let late = Self.calls(store, now: Self.start + 601)
            #expect(try await late.checkNoShow(call.id) == .awaitSessionEnd)
            #expect(try await late.find(call.id)?.state == .scheduled)
            #expect(try await late.checkNoShow(CallID(UUID())) == nil)
        }
    }
}
