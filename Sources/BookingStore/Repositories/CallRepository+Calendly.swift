public import BookingDomain
import Foundation

/// What Calendly's webhooks need beyond the RPCs: calls found by their invitee URI (unique), and
/// the state a no-show mark replaced, read back from the event log.
extension CallRepository {
    /// The call booked by a Calendly invitee, read outside any transaction (for matching, before
    /// the delivery's transaction begins).
    public func find(calendlyInviteeURI: String) async throws -> Call? {
        try await self.pool.withConnection { connection in
            try Self.find(calendlyInviteeURI: calendlyInviteeURI, forUpdate: false, on: connection)
        }
    }

    /// The call booked by a Calendly invitee, row-locked until the caller's transaction ends when
    /// `forUpdate`, so two deliveries about one call apply one after the other.
    public static func find(calendlyInviteeURI: String, forUpdate: Bool, on connection: PGConnection) throws -> Call? {
        try connection.execute(
            "SELECT \(CallRow.columns) FROM calls.calls c WHERE c.calendly_invitee_uri = $1\(forUpdate ? " FOR UPDATE" : "")",
            [calendlyInviteeURI]
        ).first.map(CallRow.decode)
    }

    /// The state a call left by its latest move into NO_SHOW (CONTRACT: unmarking a no-show
    /// returns the call to the state before it, from the event log). A widened party is logged
    /// NO_SHOW -> NO_SHOW and skipped. Nil when the log has no such move.
    public static func stateBeforeNoShow(_ id: CallID, on connection: PGConnection) throws -> CallState? {
        try connection.execute(
            """
            SELECT e.from_state FROM calls.call_events e
            WHERE e.call_id = $1::uuid AND e.to_state = 'NO_SHOW' AND e.from_state IS DISTINCT FROM 'NO_SHOW'
            ORDER BY e.id DESC LIMIT 1
            """,
            [id.uuidString]
        ).first.flatMap { row in try row.string("from_state").flatMap(CallState.init(rawValue:)) }
    }
}
