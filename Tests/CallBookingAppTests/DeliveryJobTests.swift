import BookingAPI
import BookingDomain
import Foundation
import Testing
import TestSupport
import TriggerDev

@testable import BookingStore
@testable import CallBookingApp

/// The reminder and follow-up jobs on a real PostgreSQL against an in-process Trigger.dev that
/// records what it got.
@Suite struct DeliveryJobTests {
    static func trigger() -> RecordingHTTPClient {
        RecordingHTTPClient { request in
            request.path.hasSuffix("/trigger") ? (200, #"{"id":"run_\#(request.path.count)"}"#) : (404, "{}")
        }
    }

    static func reminders(_ app: AppFixture, _ api: RecordingHTTPClient, now: Date) -> ReminderDelivery {
        ReminderDelivery(
            calls: app.calls, experts: app.experts, deliveries: NotificationDeliveries(pool: app.pool),
            client: TriggerDevClient(apiKey: "tr_test", httpClient: api), task: "call-booking.reminder",
            offsetsMinutes: [1440, 15], logger: AppFixture.logger, now: { now })
    }

    /// A call booked for 2030-01-07 09:00 and the key of its earliest reminder.
    static func bookWithAReminder(_ app: AppFixture) async throws -> (BookingAPI.Call, CallID, String) {
        let booked = try await app.book(try await app.expert(), "2030-01-07T09:00:00Z")
        let id = try CallID(validating: booked.id)
        let first = try await NotificationDeliveries(pool: app.pool).deliveries(of: id).first
        return (booked, id, try #require(first).idempotencyKey)
    }

    @Test func aPlannedReminderBecomesADelayedRunAndIsTriggeredOnce() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let booked = try await app.book(expert, "2030-01-07T09:00:00Z")
            let id = try CallID(validating: booked.id)
            let deliveries = NotificationDeliveries(pool: app.pool)
            let key = try #require(try await deliveries.deliveries(of: id).first { $0.minutesBefore == 1440 }).idempotencyKey
            let api = Self.trigger()
            let job = Self.reminders(app, api, now: app.now)
            try await job.trigger(.init(callID: id, idempotencyKey: key))
            try await job.trigger(.init(callID: id, idempotencyKey: key))   // a repeat sends nothing
            #expect(api.recorded.count == 1)
            let sent = try #require(api.recorded.first)
            #expect(sent.path == "/api/v1/tasks/call-booking.reminder/trigger")
            #expect(sent.headers["Authorization"] == "Bearer tr_test")
            let options = sent.json?["options"] as? [String: Any]
            #expect(options?["idempotencyKey"] as? String == key)
            #expect(options?["delay"] as? String == "2030-01-06T09:00:00Z")
            #expect(try await deliveries.find(key)?.status == .triggered)
        }
    }

    @Test func aReminderTheCallNoLongerHasIsSupersededWithoutSending() async throws {
        try await AppFixture.withFresh { app in
            let (_, id, key) = try await Self.bookWithAReminder(app)
            let deliveries = NotificationDeliveries(pool: app.pool)
            // Stale time: the call starts before the reminder is triggered.
            let api = Self.trigger()
            try await Self.reminders(app, api, now: Date.utc("2030-01-07T09:01:00Z")).trigger(.init(callID: id, idempotencyKey: key))
            #expect(api.recorded.isEmpty)
            #expect(try await deliveries.find(key)?.status == .skipped)
        }
    }

    @Test func aCompletedCallsFollowUpIsTriggeredAndRecorded() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let booked = try await app.book(expert, "2030-01-07T09:00:00Z")
            let id = try CallID(validating: booked.id)
            let api = Self.trigger()
            let job = FollowUpDelivery(
                calls: app.calls, experts: app.experts, video: VideoRepository(pool: app.pool),
                deliveries: NotificationDeliveries(pool: app.pool), client: TriggerDevClient(apiKey: "tr_test", httpClient: api),
                task: "call-booking.follow-up", logger: AppFixture.logger)
            // Not completed yet: the job retries.
            await #expect(throws: JobFailure.self) { try await job.run(.init(callID: id)) }
            try await app.calls.change(id, actor: "test") { call, transaction in
                transaction.lifecycle.complete(call, at: Date.utc("2030-01-07T09:30:00Z"))
            }
            try await job.run(.init(callID: id))
            #expect(api.recorded.map(\.path) == ["/api/v1/tasks/call-booking.follow-up/trigger"])
            #expect((api.recorded.first?.json?["payload"] as? [String: Any])?["kind"] as? String == "call.completed")
            let recorded = try await NotificationDeliveries(pool: app.pool).deliveries(of: id).filter { $0.kind == .followUp }
            #expect(recorded.map(\.status) == [.triggered])
        }
    }

    @Test func aCancelledCallsTriggeredReminderHasItsRunCancelled() async throws {
        try await AppFixture.withFresh { app in
            let (booked, id, key) = try await Self.bookWithAReminder(app)
            let api = RecordingHTTPClient { request in
                request.path.hasSuffix("/trigger") ? (200, #"{"id":"run_1"}"#) : (200, #"{"id":"run_1"}"#)
            }
            let job = Self.reminders(app, api, now: app.now)
            try await job.trigger(.init(callID: id, idempotencyKey: key))
            var cancel = CancelCallRequest()
            cancel.id = booked.id
            _ = try await app.callService.cancel(cancel, by: AppFixture.admin)
            let queued = try await app.queue.claim(limit: 20, lease: .seconds(30)).filter { $0.kind == ReminderCancelJob.name }
            let payload = try #require(try queued.first?.payload(of: ReminderCancelJob.self))
            #expect(payload == ReminderCancelJob.Payload(idempotencyKey: key, runID: "run_1"))
            try await job.cancel(payload)
            #expect(api.recorded.map(\.path).last == "/api/v2/runs/run_1/cancel")
        }
    }
}
