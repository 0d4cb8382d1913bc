import BookingAPI
import BookingDomain
import Foundation
import OutboundHTTP
import Testing
import TestSupport
import TriggerDev

@testable import BookingStore
@testable import CallBookingApp

/// Reminders and follow-ups that Trigger.dev refuses for good, or that run out of attempts,
/// end `failed` with the reason, and GetCallTimeline shows it. The worker runs the delivery
/// jobs on a real PostgreSQL against Trigger.dev on a loopback socket.
@Suite struct FailedDeliveryTests {
    static let apiKey = "tr_test_secret"

    /// The worker with the reminder and follow-up handlers, as `Components` registers them.
    static func worker(_ app: AppFixture, _ api: LoopbackHTTPServer, maxAttempts: Int = 8) -> JobWorker {
        let client = TriggerDevClient(
            apiKey: Self.apiKey, baseURL: api.baseURL, httpClient: URLSessionHTTPClient(timeout: .seconds(5)))
        let deliveries = NotificationDeliveries(pool: app.pool)
        var handlers = JobHandlers()
        ReminderDelivery(
            calls: app.calls, experts: app.experts, deliveries: deliveries, client: client, task: "call-booking.reminder",
            offsetsMinutes: [1440, 15], logger: AppFixture.logger, now: { [now = app.now] in now }
        ).register(in: &handlers)
        FollowUpDelivery(
            calls: app.calls, experts: app.experts, video: VideoRepository(pool: app.pool), deliveries: deliveries,
            client: client, task: "call-booking.follow-up", logger: AppFixture.logger
        ).register(in: &handlers)
        return JobWorker(
            queue: JobQueue(pool: app.pool, maxAttempts: maxAttempts, backoff: JobBackoff(base: .zero, jitter: 0)),
            handlers: handlers, logger: AppFixture.logger)
    }

    /// Runs the due jobs of `kind` once each; the others stay for their own handlers.
    static func runDue(_ kind: String, _ worker: JobWorker) async throws {
        for job in try await worker.queue.claim(limit: 50, lease: .seconds(30)) where job.kind == kind {
            await worker.execute(job)
        }
    }

    /// A call on 2030-01-07 at 09:00, with its four reminder jobs due.
    static func bookedCall(_ app: AppFixture) async throws -> CallID {
        try CallID(validating: try await app.book(try await app.expert(), "2030-01-07T09:00:00Z").id)
    }

    static func timeline(_ app: AppFixture, _ id: CallID) async throws -> CallTimeline {
        var request = GetCallTimelineRequest()
        request.callID = id.uuidString
        return try await CallTimelineService(
            calls: app.callService, records: CallTimelineRepository(pool: app.pool), authenticator: NoAuthenticator()
        ).timeline(request, by: AppFixture.admin)
    }

    @Test func aReminderTriggerDevRejectsIsFailedWithTheReasonAndItsJobDead() async throws {
        try await AppFixture.withFresh { app in
            let api = try LoopbackHTTPServer([(422, #"{"error":"Payload is invalid"}"#)])
            defer { api.stop() }
            let id = try await Self.bookedCall(app)
            try await Self.runDue(ReminderJob.name, Self.worker(app, api))

            let reminders = try await NotificationDeliveries(pool: app.pool).deliveries(of: id)
            #expect(reminders.count == 4 && api.requests.count == 4)
            for reminder in reminders {
                #expect(reminder.status == .failed)
                #expect(reminder.detail?.contains("HTTP 422") == true && reminder.detail?.contains("Payload is invalid") == true)
                #expect(reminder.detail?.contains(Self.apiKey) == false)
            }
            #expect(try await app.queue.jobs(kind: ReminderJob.name).map(\.state) == [.dead, .dead, .dead, .dead])

            let timeline = try await Self.timeline(app, id)
            #expect(timeline.deliveries.map(\.state) == [.failed, .failed, .failed, .failed])
            #expect(timeline.deliveries.allSatisfy { $0.error.contains("HTTP 422") })
        }
    }

    @Test func aFollowUpTriggerDevRefusesIsRecordedFailed() async throws {
        try await AppFixture.withFresh { app in
            let api = try LoopbackHTTPServer([(401, #"{"error":"Invalid API key"}"#)])
            defer { api.stop() }
            let id = try await Self.bookedCall(app)
            try await app.calls.change(id, actor: "test") { call, transaction in
                transaction.lifecycle.complete(call, at: Date.utc("2030-01-07T09:30:00Z"))
            }
            try await Self.runDue(FollowUpJob.name, Self.worker(app, api))

            let followUp = try #require(
                try await NotificationDeliveries(pool: app.pool).deliveries(of: id).first { $0.kind == .followUp })
            #expect(followUp.status == .failed)
            #expect(followUp.detail?.contains("HTTP 401") == true && followUp.detail?.contains("Invalid API key") == true)
            #expect(try await app.queue.jobs(kind: FollowUpJob.name).map(\.state) == [.dead])
            let shown = try #require(try await Self.timeline(app, id).deliveries.first { $0.kind == .followUp })
            #expect(shown.state == .failed && shown.error.contains("HTTP 401"))
        }
    }

    @Test func aReminderStaysPlannedWhileRetriedAndFailsOnItsLastAttempt() async throws {
        try await AppFixture.withFresh { app in
            let api = try LoopbackHTTPServer([(503, #"{"error":"Service unavailable"}"#)])
            defer { api.stop() }
            let id = try await Self.bookedCall(app)
            let worker = Self.worker(app, api, maxAttempts: 2)
            let deliveries = NotificationDeliveries(pool: app.pool)

            try await Self.runDue(ReminderJob.name, worker)
            #expect(try await deliveries.deliveries(of: id).map(\.status) == [.planned, .planned, .planned, .planned])
            #expect(try await app.queue.jobs(kind: ReminderJob.name).map(\.state) == [.pending, .pending, .pending, .pending])

            try await Self.runDue(ReminderJob.name, worker)
            let failed = try await deliveries.deliveries(of: id)
            #expect(failed.map(\.status) == [.failed, .failed, .failed, .failed])
            #expect(failed.allSatisfy { $0.detail?.contains("HTTP 503") == true })
            #expect(try await app.queue.jobs(kind: ReminderJob.name).map(\.state) == [.dead, .dead, .dead, .dead])
        }
    }

    @Test func aFailedReminderIsSentWhenAnOperatorRetriesItsJob() async throws {
        try await AppFixture.withFresh { app in
            let refusing = try LoopbackHTTPServer([(401, #"{"error":"Invalid API key"}"#)])
            defer { refusing.stop() }
            let id = try await Self.bookedCall(app)
            try await Self.runDue(ReminderJob.name, Self.worker(app, refusing))
            let deliveries = NotificationDeliveries(pool: app.pool)
            #expect(try await deliveries.deliveries(of: id).allSatisfy { $0.status == .failed })

            // The key is fixed; the operator retries one dead job.
            let accepting = try LoopbackHTTPServer([(200, #"{"id":"run_1"}"#)])
            defer { accepting.stop() }
            let dead = try #require(try await app.queue.jobs(kind: ReminderJob.name).first)
            _ = try await JobBoard(pool: app.pool).retry(dead.id, actor: "user_admin", reason: "key fixed")
            try await Self.runDue(ReminderJob.name, Self.worker(app, accepting))
            #expect(accepting.requests.count == 1)
            #expect(try await deliveries.deliveries(of: id).map(\.status).sorted { $0.rawValue < $1.rawValue }
                == [.failed, .failed, .failed, .triggered])
        }
    }
}
