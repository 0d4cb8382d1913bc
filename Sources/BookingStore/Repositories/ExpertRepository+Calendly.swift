public import BookingDomain
import Foundation

extension ExpertRepository {
    /// The expert who is a Calendly event's host: the one linked by `calendly_user_uri`, else the
    /// one whose email is the host's (ignoring case), for experts not linked yet. Inactive experts
    /// are returned too: the caller's rules refuse them, and say why.
    public func find(calendlyUserURI: String, orEmail email: String?) async throws -> Expert? {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT \(ExpertRow.columns) FROM calls.experts e
                WHERE e.calendly_user_uri = $1 OR ($2::text IS NOT NULL AND lower(e.email) = lower($2))
                ORDER BY (e.calendly_user_uri = $1) DESC NULLS LAST
                LIMIT 1
                """,
                [calendlyUserURI, email.flatMap { $0.isEmpty ? nil : $0 }]
            ).first.map(ExpertRow.decode)
        }
    }
}
