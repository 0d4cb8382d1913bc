import BookingDomain
import Foundation
import Testing

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
