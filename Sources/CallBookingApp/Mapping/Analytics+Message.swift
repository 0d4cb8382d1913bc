import BookingAPI
import BookingStore

extension CallAnalytics {
    init(_ report: CallAnalyticsReport) {
        self.init()
        let overall = report.overall
        self.totalCalls = overall.totalCalls
        self.completedCalls = overall.completedCalls
        self.cancelledCalls = overall.cancelledCalls
        self.noShowCalls = overall.noShowCalls
        self.completionRate = overall.completionRate
        self.noShowRate = overall.noShowRate
        self.averageDurationSeconds = overall.averageDurationSeconds
        self.p90DurationSeconds = overall.p90DurationSeconds
        self.qualityReportedCalls = overall.qualityReportedCalls
        self.averageQualityScore = overall.averageQualityScore
        self.averageJitterSeconds = overall.averageJitterSeconds
        self.averageLatencySeconds = overall.averageLatencySeconds
        self.perExpert = report.perExpert.map { entry in
            var stats = ExpertCallStats()
            // Calls still waiting for an expert: an empty expert_id.
            stats.expertID = entry.expertID?.uuidString ?? ""
            stats.totalCalls = entry.stats.totalCalls
            stats.completedCalls = entry.stats.completedCalls
            stats.noShowCalls = entry.stats.noShowCalls
            stats.averageDurationSeconds = entry.stats.averageDurationSeconds
            stats.qualityReportedCalls = entry.stats.qualityReportedCalls
            stats.averageQualityScore = entry.stats.averageQualityScore
            return stats
        }
    }
}
