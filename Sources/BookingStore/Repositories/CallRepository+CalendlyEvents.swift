extension CallRepository {
    /// Which of `eventURIs` are Calendly events of our own calls (`calendly_event_uri`, any state):
    /// the Calendly sync leaves those out of time off, since the call itself blocks its time.
    public func calendlyEventURIs(among eventURIs: [String]) async throws -> Set<String> {
        guard !eventURIs.isEmpty else { return [] }
        return try await self.pool.withConnection { connection in
            var found = Set<String>()
            for row in try connection.execute(
                "SELECT DISTINCT calendly_event_uri FROM calls.calls WHERE calendly_event_uri = ANY($1::text[])",
                [eventURIs]
            ).rows {
                if let uri = try row.string("calendly_event_uri") { found.insert(uri) }
            }
            return found
        }
    }
}
