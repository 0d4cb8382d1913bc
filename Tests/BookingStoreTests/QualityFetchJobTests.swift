import BookingDomain
import Foundation
import Testing

@testable import BookingStore

/// `call.stats_report_ready` queues one `video.quality.fetch` per session of a known call.
@Suite struct QualityFetchJobTests {
    @Test func oneFetchPerSessionOfAKnownCall() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await store.book(expert, "2030-01-07T09:00:00Z")
            let stranger = CallID(UUID())
            let outcomes = try await store.pool.withTransaction { connection in
                [
                    try CallJobs.enqueueQualityFetch(of: call.id, sessionID: "s1", on: connection),
                    try CallJobs.enqueueQualityFetch(of: call.id, sessionID: "s1", on: connection),
                    try CallJobs.enqueueQualityFetch(of: call.id, sessionID: "s2", on: connection),
                    try CallJobs.enqueueQualityFetch(of: stranger, sessionID: "s1", on: connection),
                ]
            }
            #expect(outcomes == [.queued, .alreadyQueued, .queued, .unknownCall])
            let queue = JobQueue(pool: store.pool)
            let jobs = try await queue.jobs(kind: CallJobs.videoQualityFetch)
            #expect(jobs.count == 2)
            #expect(try await queue.jobs(kind: CallJobs.videoQualityFetch, dedupeKey: "\(call.id.uuidString):s1").count == 1)
            let claimed = try await queue.claim(limit: 100, lease: .seconds(30)).filter { $0.kind == CallJobs.videoQualityFetch }
            let payloads = claimed.compactMap { CallJobs.QualityFetch(json: $0.payload) }.map(\.sessionID).sorted()
            #expect(payloads == ["s1", "s2"])
            #expect(claimed.allSatisfy { CallJobs.QualityFetch(json: $0.payload)?.callID == call.id.uuidString })
        }
    }
}
