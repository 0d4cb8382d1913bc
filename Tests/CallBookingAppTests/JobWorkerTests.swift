import BookingDomain
import Foundation
import Logging
import Synchronization
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// The worker on a real PostgreSQL: each kind's handler gets its payload decoded as its type;
/// a kind nobody handles, or a payload that is not its kind's, is dead with the reason.
@Suite struct JobWorkerTests {
    final class Seen: Sendable {
        let payloads = Mutex<[String]>([])
        func add(_ text: String) { self.payloads.withLock { $0.append(text) } }
        var all: [String] { self.payloads.withLock { $0 }.sorted() }
    }

    static func worker(_ queue: JobQueue, seen: Seen) -> JobWorker {
        var handlers = JobHandlers()
        handlers.register(NoShowCheckJob.self) { payload, _ in seen.add("check \(payload.callID)") }
        handlers.register(FollowUpJob.self) { payload, _ in seen.add("follow-up \(payload.callID) \(payload.recording ?? "-")") }
        return JobWorker(queue: queue, handlers: handlers, logger: AppFixture.logger)
    }

    static func runDueJobs(_ worker: JobWorker, _ queue: JobQueue) async throws {
        for job in try await queue.claim(limit: 10, lease: .seconds(30)) { await worker.execute(job) }
    }

    @Test func eachKindsHandlerGetsItsDecodedPayload() async throws {
        try await AppFixture.withFresh { app in
            let queue = app.queue
            let seen = Seen()
            let id = CallID()
            try await queue.enqueue(Job<NoShowCheckJob>(.init(callID: id)))
            try await queue.enqueue(Job<FollowUpJob>(.init(callID: id, recording: "rec.mp4")))
            try await Self.runDueJobs(Self.worker(queue, seen: seen), queue)
            #expect(seen.all == ["check \(id)", "follow-up \(id) rec.mp4"])
            let states = try await queue.jobs(kind: NoShowCheckJob.name) + queue.jobs(kind: FollowUpJob.name)
            #expect(states.map(\.state) == [.done, .done])
        }
    }

    @Test func anUnknownKindAndAnUndecodablePayloadAreDeadWithTheReason() async throws {
        try await AppFixture.withFresh { app in
            let queue = app.queue
            let seen = Seen()
            try await queue.enqueue(NewJob(kind: "retired.kind", payload: "{}"))
            try await queue.enqueue(NewJob(kind: NoShowCheckJob.name, payload: #"{"call_id":"not a uuid"}"#))
            try await Self.runDueJobs(Self.worker(queue, seen: seen), queue)
            #expect(seen.all.isEmpty)
            let unknown = try #require(try await queue.jobs(kind: "retired.kind").first)
            #expect(unknown.state == .dead && unknown.lastError == "no handler for job kind retired.kind")
            let undecodable = try #require(try await queue.jobs(kind: NoShowCheckJob.name).first)
            #expect(undecodable.state == .dead)
            #expect(undecodable.lastError?.hasPrefix("the payload of a call.no_show_check job does not decode") == true)
        }
    }

    @Test func theNoShowCheckMarksACallNobodyJoinedOnceTheGraceHasPassed() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let booked = try await app.book(expert, "2030-01-07T09:00:00Z")
            let id = try CallID(validating: booked.id)
            let early = CallRepository(pool: app.pool, now: { Date.utc("2030-01-07T09:05:00Z") })
            try await NoShowCheck(calls: early, logger: AppFixture.logger).run(id)
            #expect(try await early.find(id)?.state == .scheduled)
            // Checked again at 09:10: the booking's own check, so no second job.
            #expect(try await app.queue.jobs(kind: NoShowCheckJob.name).map(\.runAt) == [Date.utc("2030-01-07T09:10:00Z")])
            let late = CallRepository(pool: app.pool, now: { Date.utc("2030-01-07T09:10:00Z") })
            try await NoShowCheck(calls: late, logger: AppFixture.logger).run(id)
            let missed = try await late.find(id)
            #expect(missed?.state == .noShow && missed?.noShowParty == .both)
        }
    }
}
