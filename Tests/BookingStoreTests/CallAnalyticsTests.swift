import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// GetCallAnalytics' numbers, computed by PostgreSQL: the expected values below are worked out
/// by hand from the fixture (durations in seconds; p90 is percentile_cont's interpolation).
@Suite struct CallAnalyticsTests {
    static let from = Date.utc("2030-01-01T00:00:00Z")
    static let to = Date.utc("2030-02-01T00:00:00Z")

    /// Expert A: completed calls of 600, 1200, 1800 and 2400 s, one completed without times, a
    /// no-show, a cancellation and a scheduled call. Expert B: a completed call of 3600 s and two
    /// no-shows, one exactly at `from`; a call at `to` and one before `from` are outside. One
    /// cancelled call waits for an expert.
    static func seed(_ store: Store) async throws -> (a: ExpertID, b: ExpertID) {
        let a = try await store.expert(email: "a@example.com")
        let b = try await store.expert(email: "b@example.com")
        var rows: [(ExpertID?, String, String, Int?)] = [  // expert, state, start, duration (minutes)
            (a, "COMPLETED", "2030-01-02T09:00:00Z", 10),
            (a, "COMPLETED", "2030-01-03T09:00:00Z", 20),
            (a, "COMPLETED", "2030-01-04T09:00:00Z", 30),
            (a, "COMPLETED", "2030-01-05T09:00:00Z", 40),
            (a, "COMPLETED", "2030-01-06T09:00:00Z", nil),
            (a, "NO_SHOW", "2030-01-07T09:00:00Z", nil),
            (a, "CANCELLED", "2030-01-08T09:00:00Z", nil),
            (a, "SCHEDULED", "2030-01-31T23:00:00Z", nil),
            (b, "COMPLETED", "2030-01-02T09:00:00Z", 60),
            (b, "NO_SHOW", "2030-01-01T00:00:00Z", nil),
            (b, "NO_SHOW", "2030-01-10T09:00:00Z", nil),
            (b, "COMPLETED", "2030-02-01T00:00:00Z", 50),  // at `to`: outside
            (b, "COMPLETED", "2029-12-31T23:00:00Z", 5),  // before `from`: outside
        ]
        rows.append((nil, "CANCELLED", "2030-01-15T09:00:00Z", nil))
        for (expert, state, start, minutes) in rows {
            let begin = Date.utc(start)
            let startedAt = minutes.map { _ in begin }
            let endedAt = minutes.map { begin + TimeInterval($0 * 60) }
            _ = try await store.pool.withConnection { connection in
                try connection.execute(
                    """
                    INSERT INTO calls.calls (state, expert_id, scheduled_start, scheduled_end, started_at, ended_at)
                    VALUES ($1, $2::uuid, $3, $3::timestamptz + interval '1 hour', $4, $5)
                    """, [state, expert?.uuidString, begin, startedAt, endedAt]
                ).affectedRows
            }
        }
        return (a, b)
    }

    static let expertA: CallOutcomeStats = {
        var stats = CallOutcomeStats()
        stats.totalCalls = 8
        stats.completedCalls = 5
        stats.cancelledCalls = 1
        stats.noShowCalls = 1
        stats.completionRate = 5.0 / 6
        stats.noShowRate = 1.0 / 6
        stats.averageDurationSeconds = 1500
        stats.p90DurationSeconds = 2220  // 1800 + 0.7 × (2400 − 1800)
        return stats
    }()

    static let expertB: CallOutcomeStats = {
        var stats = CallOutcomeStats()
        stats.totalCalls = 3
        stats.completedCalls = 1
        stats.noShowCalls = 2
        stats.completionRate = 1.0 / 3
        stats.noShowRate = 2.0 / 3
        stats.averageDurationSeconds = 3600
        stats.p90DurationSeconds = 3600
        return stats
    }()

    @Test func reportsEveryCallInTheWindowAndEachExpert() async throws {
        try await Store.withFresh { store in
            let (a, b) = try await Self.seed(store)
            let report = try await CallAnalyticsRepository(pool: store.pool).report(
                expertID: nil, from: Self.from, to: Self.to)

            var overall = CallOutcomeStats()
            overall.totalCalls = 12
            overall.completedCalls = 6
            overall.cancelledCalls = 2
            overall.noShowCalls = 3
            overall.completionRate = 6.0 / 9
            overall.noShowRate = 3.0 / 9
            overall.averageDurationSeconds = 1920  // (600 + 1200 + 1800 + 2400 + 3600) / 5
            overall.p90DurationSeconds = 3120  // 2400 + 0.6 × (3600 − 2400)
            expectClose(report.overall, overall)

            #expect(report.perExpert.count == 3)
            let byExpert = Dictionary(
                report.perExpert.compactMap { entry in entry.expertID.map { ($0, entry.stats) } },
                uniquingKeysWith: { first, _ in first })
            expectClose(byExpert[a], Self.expertA)
            expectClose(byExpert[b], Self.expertB)
            var unassigned = CallOutcomeStats()
            unassigned.totalCalls = 1
            unassigned.cancelledCalls = 1
            #expect(report.perExpert.last?.expertID == nil)
            expectClose(report.perExpert.last?.stats, unassigned)
        }
    }

    @Test func anExpertFilterReportsOnlyThatExpert() async throws {
        try await Store.withFresh { store in
            let (a, _) = try await Self.seed(store)
            let report = try await CallAnalyticsRepository(pool: store.pool).report(
                expertID: a, from: Self.from, to: Self.to)
            expectClose(report.overall, Self.expertA)
            #expect(report.perExpert.map(\.expertID) == [a])
            expectClose(report.perExpert.first?.stats, Self.expertA)
        }
    }

    @Test func theWindowIncludesFromAndExcludesTo() async throws {
        try await Store.withFresh { store in
            let (_, b) = try await Self.seed(store)
            let analytics = CallAnalyticsRepository(pool: store.pool)
            // Exactly the no-show at `from`.
            let atFrom = try await analytics.report(
                expertID: b, from: Self.from, to: Self.from + 1)
            #expect(atFrom.overall.totalCalls == 1)
            #expect(atFrom.overall.noShowCalls == 1)
            #expect(atFrom.overall.noShowRate == 1)
            // Up to `to` inclusive would add the call at `to`; [from, to) does not.
            let upToTo = try await analytics.report(expertID: b, from: Self.to - 1, to: Self.to)
            #expect(upToTo.overall.totalCalls == 0)
            let fromTo = try await analytics.report(expertID: b, from: Self.to, to: Self.to + 1)
            #expect(fromTo.overall.totalCalls == 1)
            #expect(fromTo.overall.averageDurationSeconds == 3000)
            // Unbounded on both sides: every one of B's five calls.
            let all = try await analytics.report(expertID: b, from: nil, to: nil)
            #expect(all.overall.totalCalls == 5)
            #expect(all.overall.completedCalls == 3)
        }
    }

    /// The call of `expert` scheduled at `start` in the fixture.
    static func callID(_ store: Store, _ expert: ExpertID, _ start: String) async throws -> CallID {
        let id = try await store.pool.withConnection { connection in
            try connection.execute(
                "SELECT id FROM calls.calls WHERE expert_id = $1::uuid AND scheduled_start = $2",
                [expert.uuidString, Date.utc(start)]
            ).first?.uuid("id")
        }
        return CallID(try #require(id))
    }

    @Test func streamQualityReportsFeedTheAveragesEachCallCountingOnce() async throws {
        try await Store.withFresh { store in
            let (a, b) = try await Self.seed(store)
            let quality = CallQualityRepository(pool: store.pool)
            let a1 = try await Self.callID(store, a, "2030-01-02T09:00:00Z")
            let a2 = try await Self.callID(store, a, "2030-01-03T09:00:00Z")
            let b1 = try await Self.callID(store, b, "2030-01-02T09:00:00Z")
            // Two sessions of a1 (70 on average), one of a2, one of b1.
            try await quality.record(
                CallQualityReport(
                    callID: a1, sessionID: "s1", qualityScore: 10, jitterAverageSeconds: 0.5, latencyAverageSeconds: 0.1))
            try await quality.record(  // the same session again: replaces the first report
                CallQualityReport(
                    callID: a1, sessionID: "s1", qualityScore: 80, jitterAverageSeconds: 0.01, latencyAverageSeconds: 0.1,
                    report: #"{"quality_score": 80}"#))
            try await quality.record(
                CallQualityReport(
                    callID: a1, sessionID: "s2", qualityScore: 60, jitterAverageSeconds: 0.03, latencyAverageSeconds: 0.2))
            try await quality.record(CallQualityReport(callID: a2, sessionID: "s1", qualityScore: 90, jitterAverageSeconds: 0.04))
            try await quality.record(CallQualityReport(callID: b1, sessionID: "s1", qualityScore: 40, latencyAverageSeconds: 0.3))

            let report = try await CallAnalyticsRepository(pool: store.pool).report(
                expertID: nil, from: Self.from, to: Self.to)
            #expect(report.overall.qualityReportedCalls == 3)
            #expect(abs(report.overall.averageQualityScore - 200.0 / 3) < 1e-9)  // (70 + 90 + 40) / 3
            #expect(abs(report.overall.averageJitterSeconds - 0.03) < 1e-9)  // (0.02 + 0.04) / 2
            #expect(abs(report.overall.averageLatencySeconds - 0.225) < 1e-9)  // (0.15 + 0.3) / 2
            let byExpert = Dictionary(
                report.perExpert.compactMap { entry in entry.expertID.map { ($0, entry.stats) } },
                uniquingKeysWith: { first, _ in first })
            #expect(byExpert[a]?.qualityReportedCalls == 2)
            #expect(byExpert[a]?.averageQualityScore == 80)
            #expect(byExpert[b]?.averageQualityScore == 40)
            #expect(byExpert[b]?.averageJitterSeconds == 0)
            // Quality does not change the outcome figures.
            #expect(byExpert[a]?.totalCalls == Self.expertA.totalCalls)
            #expect(byExpert[a]?.averageDurationSeconds == Self.expertA.averageDurationSeconds)
        }
    }

    @Test func aQualityReportForAnUnknownCallIsRefused() async throws {
        try await Store.withFresh { store in
            await expectStoreError(.foreignKeyViolation) {
                try await CallQualityRepository(pool: store.pool).record(
                    CallQualityReport(callID: CallID(UUID()), sessionID: "s1", qualityScore: 50))
            }
        }
    }

    @Test func anEmptyWindowReportsZerosWithoutExperts() async throws {
        try await Store.withFresh { store in
            _ = try await Self.seed(store)
            let report = try await CallAnalyticsRepository(pool: store.pool).report(
                expertID: nil, from: .utc("2031-01-01T00:00:00Z"), to: .utc("2031-02-01T00:00:00Z"))
            #expect(report.overall == CallOutcomeStats())
            #expect(report.perExpert.isEmpty)
        }
    }
}

/// Equal counts, and rates and durations equal to 1e-9 (percentile_cont interpolates in
/// floating point).
private func expectClose(
    _ actual: CallOutcomeStats?, _ expected: CallOutcomeStats, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("no stats", sourceLocation: sourceLocation)
        return
    }
    #expect(actual.totalCalls == expected.totalCalls, sourceLocation: sourceLocation)
    #expect(actual.completedCalls == expected.completedCalls, sourceLocation: sourceLocation)
    #expect(actual.cancelledCalls == expected.cancelledCalls, sourceLocation: sourceLocation)
    #expect(actual.noShowCalls == expected.noShowCalls, sourceLocation: sourceLocation)
    for (name, got, want) in [
        ("completionRate", actual.completionRate, expected.completionRate),
        ("noShowRate", actual.noShowRate, expected.noShowRate),
        ("averageDurationSeconds", actual.averageDurationSeconds, expected.averageDurationSeconds),
        ("p90DurationSeconds", actual.p90DurationSeconds, expected.p90DurationSeconds),
    ] {
        #expect(abs(got - want) < 1e-9, "\(name): \(got) != \(want)", sourceLocation: sourceLocation)
    }
}
