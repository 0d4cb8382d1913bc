import BookingDomain
import BookingStore
import Foundation
import StreamVideo
import Testing

@testable import CallBookingApp

/// Stream's `GetCallStatsResponse` as `calls.call_quality` keeps it.
@Suite struct CallQualityFetchTests {
    @Test func everyFigureLandsInItsColumnAndTheReportIsKeptWhole() throws {
        let body = """
            {"quality_score":87,"max_freezes_duration_seconds":4,"max_participants":2,"call_status":"ended",\
            "jitter":{"average_seconds":0.012,"max_seconds":0.25},"latency":{"average_seconds":0.085,"max_seconds":0.4}}
            """
        let id = CallID(UUID())
        let report = CallQualityFetch.report(try StreamCallStats(response: Data(body.utf8)), of: id, sessionID: "s1")
        #expect(report == CallQualityReport(
            callID: id, sessionID: "s1", qualityScore: 87, jitterAverageSeconds: 0.012, jitterMaxSeconds: 0.25,
            latencyAverageSeconds: 0.085, latencyMaxSeconds: 0.4, maxFreezesDurationSeconds: 4, maxParticipants: 2,
            report: body))
        let bare = CallQualityFetch.report(try StreamCallStats(response: Data(#"{"quality_score":40}"#.utf8)), of: id, sessionID: "s2")
        #expect(bare == CallQualityReport(callID: id, sessionID: "s2", qualityScore: 40, report: #"{"quality_score":40}"#))
    }
}
