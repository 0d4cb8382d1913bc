public import BookingDomain

extension ExpertRepository {
    /// UpdateExpert: reads the expert (with its scheduling rules) under a row lock, lets
    /// `change` return the new record, and writes its profile fields, `active`, and the rules'
    /// weight and priority. Concurrent updates queue on the lock, so none undoes another's
    /// fields. Hours, time off and date overrides are SetExpertAvailability's and stay. Nil
    /// when the expert is unknown; a taken Calendly URI is a unique violation.
    public func update(_ id: ExpertID, _ change: @escaping @Sendable (Expert) throws -> Expert) async throws -> Expert? {
        try await self.pool.withTransaction { connection in
            guard
                let row = try connection.execute(
                    "SELECT \(ExpertRow.columns) FROM calls.experts e WHERE e.id = $1::uuid FOR UPDATE",
                    [id.uuidString]
                ).first
            else { return nil }
            var current = try ExpertRow.decode(row)
            current.scheduling = try ExpertRow.decodeScheduling(row).rules
            let updated = try change(current)
            _ = try connection.execute(
                """
                UPDATE calls.experts SET name = $2, specialties = $3::text[], topics = $4::text[], time_zone = $5,
                    preparation_instructions = $6, calendly_user_uri = nullif($7, ''), active = $8, weight = $9,
                    priority = $10
                WHERE id = $1::uuid
                """,
                [
                    id.uuidString, updated.name, updated.specialties, updated.topics,
                    updated.timeZone, updated.preparationInstructions, updated.calendlyUserURI, updated.active,
                    updated.scheduling.weight, updated.scheduling.priority,
                ])
            return try Self.find(id, on: connection)
        }
    }
}
