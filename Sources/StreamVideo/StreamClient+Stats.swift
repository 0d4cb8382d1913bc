public import OutboundHTTP

/// Call quality: the stats report Stream compiles for each session after it ends.
extension StreamClient {
    /// `GET /api/v2/video/call/{type}/{id}/stats/{session}` (`GetCallStatsResponse`), fetched
    /// after `call.stats_report_ready` names the session. A 404 means Stream has no report for
    /// it (not ready, or gone): `apiStatus` with status 404, permanent like every other 4xx.
    public func callStats(callID: String, sessionID: String) async throws(ProviderError) -> StreamCallStats {
        guard StreamIdentifier.isValid(sessionID) else {
            throw ProviderError(.stream, .invalidArgument, "a Stream session id must be letters, digits, - or _")
        }
        let path = try self.callPath(callID) + "/stats/" + sessionID
        let data = try await self.send("GET", path, body: nil)
        do {
            return try StreamCallStats(response: data)
        } catch {
            throw ProviderError(.stream, .malformedResponse, "GET \(path): \(error.detail)")
        }
    }
}
