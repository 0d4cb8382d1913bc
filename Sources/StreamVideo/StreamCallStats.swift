public import OutboundHTTP
public import Foundation

/// One call session's stats report as Stream's `GET …/stats/{session}` answers it
/// (`GetCallStatsResponse`): the figures call-booking keeps as columns, and the whole answer as
/// received for questions nobody has asked yet.
///
/// `quality_score` is required (the report is useless without it); the other figures are
/// optional because Stream leaves `jitter` and `latency` out when it measured nothing. Negative
/// figures are refused as malformed: none of them can be below zero.
public struct StreamCallStats: Sendable, Equatable {
    /// Stream's `Stats`: seconds, over the session.
    public struct TimeStats: Sendable, Equatable {
        public var averageSeconds: Double
        public var maxSeconds: Double

        public init(averageSeconds: Double, maxSeconds: Double) {
            self.averageSeconds = averageSeconds
            self.maxSeconds = maxSeconds
        }
    }

    public var qualityScore: Int
    public var jitter: TimeStats?
    public var latency: TimeStats?
    public var maxFreezesDurationSeconds: Int?
    public var maxParticipants: Int?
    public var callDurationSeconds: Int?
    public var callStatus: String?
    /// The response body as Stream sent it (a JSON object).
    public var report: String

    /// Decodes a 2xx body; throws `malformedResponse` naming the field that is wrong.
    public init(response body: Data) throws(ProviderError) {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: body)
        } catch {
            throw ProviderError(.stream, .malformedResponse, "not a GetCallStatsResponse: \(StreamWebhookEvent.describe(error))")
        }
        guard let score = wire.quality_score else {
            throw ProviderError(.stream, .malformedResponse, "quality_score is missing")
        }
        let figures: [(String, Double?)] = [
            ("quality_score", Double(score)), ("jitter.average_seconds", wire.jitter?.average_seconds),
            ("jitter.max_seconds", wire.jitter?.max_seconds), ("latency.average_seconds", wire.latency?.average_seconds),
            ("latency.max_seconds", wire.latency?.max_seconds),
            ("max_freezes_duration_seconds", wire.max_freezes_duration_seconds.map(Double.init)),
            ("max_participants", wire.max_participants.map(Double.init)),
        ]
        if let negative = figures.first(where: { ($0.1 ?? 0) < 0 }) {
            throw ProviderError(.stream, .malformedResponse, "\(negative.0) is negative")
        }
        self.qualityScore = score
        self.jitter = wire.jitter.map { TimeStats(averageSeconds: $0.average_seconds, maxSeconds: $0.max_seconds) }
        self.latency = wire.latency.map { TimeStats(averageSeconds: $0.average_seconds, maxSeconds: $0.max_seconds) }
        self.maxFreezesDurationSeconds = wire.max_freezes_duration_seconds
        self.maxParticipants = wire.max_participants
        self.callDurationSeconds = wire.call_duration_seconds
        self.callStatus = wire.call_status
        self.report = String(decoding: body, as: UTF8.self)
    }

    /// The fields read, as Stream names them (stream-go's `GetCallStatsResponse`, `Stats`).
    private struct Wire: Decodable {
        struct Stats: Decodable {
            var average_seconds: Double
            var max_seconds: Double
        }
        var quality_score: Int?
        var jitter: Stats?
        var latency: Stats?
        var max_freezes_duration_seconds: Int?
        var max_participants: Int?
        var call_duration_seconds: Int?
        var call_status: String?
    }
}
