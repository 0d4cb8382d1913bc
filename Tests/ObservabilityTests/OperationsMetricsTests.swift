import Testing

@testable import Observability

/// The operations metrics as Prometheus scrapes them: names, labels and values in the text
/// exposition of the process's registry.
@Suite struct OperationsMetricsTests {
    init() { PrometheusExposition.bootstrap() }

    private func exposition() -> String { String(decoding: PrometheusExposition.render(), as: UTF8.self) }

    /// The value of the series `name{labels}` in the exposition (0 when absent).
    private func value(_ series: String) -> Double {
        for line in self.exposition().split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? .nan
        }
        return 0
    }

    @Test func webhookOutcomesAreCountedPerProviderAndOutcome() {
        let series = #"webhook_deliveries_total{provider="calendly",outcome="duplicate"}"#
        let before = self.value(series)
        OperationsMetrics.webhookProcessed(provider: "calendly", outcome: .duplicate)
        OperationsMetrics.webhookProcessed(provider: "calendly", outcome: .duplicate)
        #expect(self.value(series) == before + 2)
        #expect(self.exposition().contains("# TYPE webhook_deliveries_total counter"))
    }

    @Test func jobFailuresCountDeadLettersSeparately() {
        let failures = #"job_failures_total{kind="reminder"}"#
        let dead = #"job_dead_letters_total{kind="reminder"}"#
        let (failuresBefore, deadBefore) = (self.value(failures), self.value(dead))
        OperationsMetrics.jobFailed(kind: "reminder", deadLettered: false)
        OperationsMetrics.jobFailed(kind: "reminder", deadLettered: true)
        #expect(self.value(failures) == failuresBefore + 2)
        #expect(self.value(dead) == deadBefore + 1)
    }

    @Test func theQueueDepthIsAGaugeOfTheLastCount() {
        OperationsMetrics.jobQueueDepth(7, state: "pending")
        OperationsMetrics.jobQueueDepth(3, state: "pending")
        #expect(self.value(#"job_queue_depth{state="pending"}"#) == 3)
        #expect(self.exposition().contains("# TYPE job_queue_depth gauge"))
    }

    @Test func tokenErrorsAreCountedByReason() {
        let series = #"call_token_errors_total{reason="signing"}"#
        let before = self.value(series)
        OperationsMetrics.callTokenFailed(reason: "signing")
        #expect(self.value(series) == before + 1)
    }

    @Test func bookingsAreCountedBySourceAndFinishedCallsByStateAndParty() {
        let booked = #"calls_booked_total{source="calendly"}"#
        let noShow = #"calls_finished_total{state="no_show",no_show_party="both"}"#
        let (bookedBefore, noShowBefore) = (self.value(booked), self.value(noShow))
        OperationsMetrics.callBooked(source: "calendly")
        OperationsMetrics.callFinished(state: "no_show", noShowParty: "both")
        #expect(self.value(booked) == bookedBefore + 1)
        #expect(self.value(noShow) == noShowBefore + 1)
    }

    @Test func callDurationsFallIntoMinuteToHourBuckets() {
        let (count, sum) = (self.value("call_duration_seconds_count"), self.value("call_duration_seconds_sum"))
        let (halfHour, quarterHour) = (
            self.value(#"call_duration_seconds_bucket{le="1800.0"}"#), self.value(#"call_duration_seconds_bucket{le="900.0"}"#)
        )
        OperationsMetrics.callLasted(seconds: 1500)
        #expect(self.value("call_duration_seconds_count") == count + 1)
        #expect(self.value("call_duration_seconds_sum") == sum + 1500)
        #expect(self.value(#"call_duration_seconds_bucket{le="1800.0"}"#) == halfHour + 1)
        #expect(self.value(#"call_duration_seconds_bucket{le="900.0"}"#) == quarterHour)
        #expect(self.exposition().contains("# TYPE call_duration_seconds histogram"))
    }
}
