import BookingDomain
import BookingStore
import Foundation
import Logging
import StreamVideo

/// The `QualityFetchJob` (enqueued by Stream's `call.stats_report_ready`, `StreamEventEffect`):
/// fetches the session's stats report from Stream (`StreamClient.callStats`) and stores its
/// figures with the call (`CallQualityRepository.record`, one row per session, replaced when
/// fetched again), where analytics reads them.
///
/// Retryable failures (no answer, 5xx, 429) retry with the queue's backoff. A 404 is
/// permanent: Stream announced the report, so it is gone (reports are not kept forever) or
/// never will be, and asking again cannot help. A call deleted meanwhile is permanent too.
struct CallQualityFetch: Sendable {
    let quality: CallQualityRepository
    let client: StreamClient
    let callType: String
    let logger: Logger

    func register(in handlers: inout JobHandlers) {
        let fetch = self
        handlers.register(QualityFetchJob.self) { payload, _ in try await fetch.run(payload) }
    }

    func run(_ payload: QualityFetchJob.Payload) async throws {
        let id = payload.callID
        guard !payload.sessionID.isEmpty else { throw JobFailure("payload has an empty session_id", permanent: true) }
        let room = VideoRoomName(callType: self.callType, call: id)
        let stats: StreamCallStats
        do {
            stats = try await self.client.callStats(callID: room.callID, sessionID: payload.sessionID)
        } catch {
            if error.status == 404 {
                throw JobFailure(
                    "Stream has no stats report for session \(payload.sessionID) of \(room.cid) "
                        + "(HTTP 404: expired, or never compiled): \(error.detail)",
                    permanent: true)
            }
            throw JobFailure(error.description, permanent: !error.isRetryable)
        }
        do {
            try await self.quality.record(Self.report(stats, of: id, sessionID: payload.sessionID))
        } catch let error as StoreError where error.code == .foreignKeyViolation {
            throw JobFailure("no call \(id): it was deleted after Stream announced its stats report", permanent: true)
        }
        self.logger.info(
            "call quality recorded",
            metadata: ["call": "\(id)", "session": "\(payload.sessionID)", "quality_score": "\(stats.qualityScore)"])
    }

    /// Stream's figures as `calls.call_quality` keeps them.
    static func report(_ stats: StreamCallStats, of id: CallID, sessionID: String) -> CallQualityReport {
        CallQualityReport(
            callID: id, sessionID: sessionID, qualityScore: stats.qualityScore,
            jitterAverageSeconds: stats.jitter?.averageSeconds, jitterMaxSeconds: stats.jitter?.maxSeconds,
            latencyAverageSeconds: stats.latency?.averageSeconds, latencyMaxSeconds: stats.latency?.maxSeconds,
            maxFreezesDurationSeconds: stats.maxFreezesDurationSeconds, maxParticipants: stats.maxParticipants,
            report: stats.report)
    }
}
