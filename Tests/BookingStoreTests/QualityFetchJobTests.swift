import BookingDomain
import Foundation
import TestSupport
import Testing

@testable import BookingStore

/// `call.stats_report_ready` queues one `QualityFetchJob` per session of a known call.
@Suite struct QualityFetchJobTests {
    @Test func oneFetchPerSessionOfAKnownCall() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await store.book(expert, "2030-01-07T09:00:00Z")
            let stranger = CallID(UUID())
            let outcomes = try await store.calls.transaction { transaction in
                [
                    try transaction.enqueueQualityFetch(of: call.id, sessionID: "s1"),
                    try transaction.enqueueQualityFetch(of: call.id, sessionID: "s1"),
                    try transaction.enqueueQualityFetch(of: call.id, sessionID: "s2"),
                    try transaction.enqueueQualityFetch(of: stranger, sessionID: "s1"),
                ]
            }
            #expect(outcomes == [.queued, .alreadyQueued, .queued, .unknownCall])
            let queue = JobQueue(pool: store.pool)
            let jobs = try await queue.jobs(kind: QualityFetchJob.name)
            #expect(jobs.count == 2)
            #expect(try await queue.jobs(kind: QualityFetchJob.name, dedupeKey: "\(call.id.uuidString):s1").count == 1)
            let claimed = try await queue.claim(limit: 100, lease: .seconds(30)).filter { $0.kind == QualityFetchJob.name }
            let payloads = try claimed.map { try $0.payload(of: QualityFetchJob.self) }
            #expect(payloads.map(\.sessionID).sorted() == ["s1", "s2"])
            #expect(payloads.allSatisfy { $0.callID == call.id })
        }
    }
}
