public import BookingDomain
public import Foundation

/// Which calls `CallRepository.history` lists; nil and empty mean "any". The caller's
/// permissions are already applied: the store lists what it is asked for.
public struct CallHistoryQuery: Sendable {
    public var expertID: ExpertID?
    public var customerUserID: String?
    public var states: Set<CallState>
    /// Scheduled start in `[from, to)`.
    public var from: Date?
    public var to: Date?
    /// Only SCHEDULED calls not yet started whose expert is deactivated.
    public var needsReassignment: Bool

    public init(
        expertID: ExpertID? = nil, customerUserID: String? = nil, states: Set<CallState> = [], from: Date? = nil,
        to: Date? = nil, needsReassignment: Bool = false
    ) {
        self.expertID = expertID
        self.customerUserID = customerUserID
        self.states = states
        self.from = from
        self.to = to
        self.needsReassignment = needsReassignment
    }
}

extension CallRepository {
    /// Calls matching `query`, newest scheduled start first (then by id, descending), after
    /// `cursor`. The indexes on (expert_id | customer_user_id, scheduled_start, id) and
    /// (scheduled_start, id) are read backwards, so a page costs its size, not the history's.
    public func history(_ query: CallHistoryQuery, after cursor: PageCursor?, now: Date, limit: Int) async throws
        -> [Call]
    {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT \(CallRow.columns) FROM calls.calls c
                WHERE ($1::uuid IS NULL OR c.expert_id = $1::uuid)
                  AND ($2::text IS NULL OR c.customer_user_id = $2)
                  AND ($3::text[] IS NULL OR c.state = ANY($3::text[]))
                  AND ($4::float8 IS NULL OR c.scheduled_start >= to_timestamp($4))
                  AND ($5::float8 IS NULL OR c.scheduled_start < to_timestamp($5))
                  AND (NOT $6::bool OR (c.state = 'SCHEDULED' AND c.scheduled_start > to_timestamp($7)
                       AND EXISTS (SELECT 1 FROM calls.experts e WHERE e.id = c.expert_id AND NOT e.active)))
                  AND ($8::float8 IS NULL OR (c.scheduled_start, c.id) < (to_timestamp($8), $9::uuid))
                ORDER BY c.scheduled_start DESC, c.id DESC
                LIMIT $10
                """,
                [
                    query.expertID?.uuidString, query.customerUserID,
                    query.states.isEmpty ? nil : query.states.map(\.rawValue).sorted(),
                    query.from?.timeIntervalSince1970, query.to?.timeIntervalSince1970, query.needsReassignment,
                    now.timeIntervalSince1970, cursor.map { Double($0.microseconds) / 1_000_000 },
                    cursor?.id.uuidString, limit,
                ]
            ).rows.map(CallRow.decode)
        }
    }
}
