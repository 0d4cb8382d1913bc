public import BookingDomain
public import Foundation

/// What the video provider tells us about a call: its room, who joined and left, recordings.
/// The connection-level functions run inside a webhook's delivery-ledger transaction.
public struct VideoRepository: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// The call with its expert's Clerk user id (the expert's video identity), for room setup.
    public func callForRoom(_ id: CallID) async throws -> (call: Call, expertUserID: String?, expertName: String?)? {
        try await self.pool.withConnection { connection in
            guard
                let row = try connection.execute(
                    """
                    SELECT \(CallRow.columns), e.clerk_user_id AS expert_user_id, e.name AS expert_name
                    FROM calls.calls c LEFT JOIN calls.experts e ON e.id = c.expert_id WHERE c.id = $1::uuid
                    """,
                    [id.uuidString]
                ).first
            else { return nil }
            return (try CallRow.decode(row), try row.string("expert_user_id"), try row.string("expert_name"))
        }
    }

    /// Records that the room exists (idempotent).
    public func markRoomReady(_ id: CallID, callType: String, streamCallID: String) async throws {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO calls.video_rooms (call_id, call_type, stream_call_id) VALUES ($1::uuid, $2, $3)
                ON CONFLICT (call_id) DO UPDATE SET call_type = excluded.call_type, stream_call_id = excluded.stream_call_id
                """,
                [id.uuidString, callType, streamCallID])
        }
    }

    /// One participant's session, as a joined or left event reports it.
    public struct ParticipantSession: Sendable, Hashable {
        public var userID: String
        public var sessionID: String?
        public var userSessionID: String?
        public var streamRole: String?
        public var joinedAt: Date
        public var leftAt: Date?
        public var durationSeconds: Int?

        public init(
            userID: String, sessionID: String?, userSessionID: String?, streamRole: String?, joinedAt: Date,
            leftAt: Date? = nil, durationSeconds: Int? = nil
        ) {
            self.userID = userID
            self.sessionID = sessionID
            self.userSessionID = userSessionID
            self.streamRole = streamRole
            self.joinedAt = joinedAt
            self.leftAt = leftAt
            self.durationSeconds = durationSeconds
        }
    }

    /// Adds the participant's session, or completes it with `leftAt` and the duration when a
    /// left event comes (also before its joined event: events may arrive out of order). The
    /// role is the participant's relation to the call: its customer, its expert (by the
    /// expert's Clerk user id) or other. Returns false when there is no such call.
    @discardableResult
    public static func recordParticipant(_ session: ParticipantSession, of id: CallID, on connection: PGConnection) throws
        -> Bool
    {
        // INSERT … SELECT from the call: nothing is inserted for an unknown call. A session is
        // matched by Stream's user session id when the event has one.
        let conflict =
            session.userSessionID == nil
            ? "(call_id, user_id, joined_at) DO UPDATE SET"
            : """
            (call_id, user_session_id) WHERE user_session_id IS NOT NULL DO UPDATE SET
                joined_at = least(p.joined_at, excluded.joined_at), session_id = coalesce(p.session_id, excluded.session_id),
                stream_role = coalesce(p.stream_role, excluded.stream_role),
            """
        let sql = """
            INSERT INTO calls.call_participants AS p (call_id, user_id, role, joined_at, left_at, session_id,
                user_session_id, stream_role, duration_seconds)
            SELECT c.id, $2::text, CASE WHEN c.customer_user_id = $2 THEN 'customer'
                                        WHEN e.clerk_user_id = $2 THEN 'expert' ELSE 'other' END,
                $3::timestamptz, $4::timestamptz, $5::text, $6::text, $7::text, $8::int
            FROM calls.calls c LEFT JOIN calls.experts e ON e.id = c.expert_id WHERE c.id = $1::uuid
            ON CONFLICT \(conflict)
                left_at = coalesce(excluded.left_at, p.left_at),
                duration_seconds = coalesce(excluded.duration_seconds, p.duration_seconds)
            """
        let values: [(any PGValue)?] = [
            id.uuidString, session.userID, session.joinedAt, session.leftAt, session.sessionID, session.userSessionID,
            session.streamRole, session.durationSeconds,
        ]
        return try connection.execute(sql, values).affectedRows > 0
    }

    /// The call's attendance (what no-show detection reads), earliest first.
    public func attendance(of id: CallID) async throws -> [AttendanceSession] {
        try await self.pool.withConnection { connection in try Self.attendance(of: id, on: connection) }
    }

    /// `attendance(of:)` inside the caller's transaction (a no-show decision under the call's
    /// row lock).
    public static func attendance(of id: CallID, on connection: PGConnection) throws -> [AttendanceSession] {
        try connection.execute(
            """
            SELECT user_id, role, joined_at, left_at FROM calls.call_participants
            WHERE call_id = $1::uuid ORDER BY joined_at, user_id
            """,
            [id.uuidString]
        ).rows.map(Self.attendanceSession)
    }

    /// A row of `calls.call_participants` with user_id, role, joined_at and left_at.
    static func attendanceSession(_ row: PGRow) throws(StoreError) -> AttendanceSession {
        AttendanceSession(
            role: AttendanceSession.Role(rawValue: try row.string("role") ?? "") ?? .other,
            userID: try row.string("user_id") ?? "", joinedAt: try row.require(Date.self, "joined_at"),
            leftAt: try row.date("left_at"))
    }

    /// A recording to store; `filename` identifies it within the call.
    public struct NewRecording: Sendable, Hashable {
        public var filename: String
        public var url: String
        public var start: Date?
        public var end: Date?
        public var sessionID: String?
        public var recordingType: String?
        public var urlExpiresAt: Date?

        public init(
            filename: String, url: String, start: Date?, end: Date?, sessionID: String?, recordingType: String?,
            urlExpiresAt: Date?
        ) {
            self.filename = filename
            self.url = url
            self.start = start
            self.end = end
            self.sessionID = sessionID
            self.recordingType = recordingType
            self.urlExpiresAt = urlExpiresAt
        }
    }

    /// Stores the recording, or refreshes its URL when the call has one of that filename.
    /// Returns false when there is no such call.
    @discardableResult
    public static func storeRecording(_ recording: NewRecording, of id: CallID, on connection: PGConnection) throws
        -> Bool
    {
        try connection.execute(
            """
            INSERT INTO calls.recordings AS r (call_id, url, filename, start_time, end_time, session_id, recording_type,
                url_expires_at)
            SELECT c.id, $2::text, $3::text, $4::timestamptz, $5::timestamptz, $6::text, $7::text, $8::timestamptz
            FROM calls.calls c WHERE c.id = $1::uuid
            ON CONFLICT (call_id, filename) DO UPDATE SET url = excluded.url, url_expires_at = excluded.url_expires_at,
                start_time = coalesce(excluded.start_time, r.start_time), end_time = coalesce(excluded.end_time, r.end_time),
                session_id = coalesce(excluded.session_id, r.session_id),
                recording_type = coalesce(excluded.recording_type, r.recording_type)
            """,
            [
                id.uuidString, recording.url, recording.filename, recording.start, recording.end, recording.sessionID,
                recording.recordingType, recording.urlExpiresAt,
            ]
        ).affectedRows > 0
    }

    /// Stores recordings in one transaction (refreshed URLs from the provider's list).
    public func storeRecordings(_ recordings: [NewRecording], of id: CallID) async throws {
        guard !recordings.isEmpty else { return }
        try await self.pool.withTransaction { connection in
            for recording in recordings { try Self.storeRecording(recording, of: id, on: connection) }
        }
    }

    public func recordings(of id: CallID) async throws -> [StoredRecording] {
        try await self.pool.withConnection { connection in
            try connection.execute(
                """
                SELECT id, url, filename, start_time, end_time, url_expires_at FROM calls.recordings
                WHERE call_id = $1::uuid ORDER BY start_time NULLS LAST, id
                """,
                [id.uuidString]
            ).rows.map { row throws(StoreError) in
                StoredRecording(
                    id: try row.string("id") ?? "", callID: id, url: try row.string("url") ?? "",
                    filename: try row.string("filename") ?? "", start: try row.date("start_time"),
                    end: try row.date("end_time"), urlExpiresAt: try row.date("url_expires_at"))
            }
        }
    }

    /// Logs something that happened to the call without changing its state (a failed
    /// recording…) in `call_events`, with `detail` as a JSON object.
    /// Returns false when there is no such call.
    @discardableResult
    public static func recordEvent(
        _ kind: String, detail: [String: String], of id: CallID, actor: String, on connection: PGConnection
    ) throws -> Bool {
        let json = (try? JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys])).map {
            String(decoding: $0, as: UTF8.self)
        } ?? "{}"
        return try connection.execute(
            """
            INSERT INTO calls.call_events (call_id, from_state, to_state, kind, actor, detail)
            SELECT id, state, state, $2, $3, $4::jsonb FROM calls.calls WHERE id = $1::uuid
            """,
            [id.uuidString, kind, actor, json]
        ).affectedRows > 0
    }
}

/// A recording as stored.
public struct StoredRecording: Sendable, Hashable {
    public let id: String
    public let callID: CallID
    public let url: String
    public let filename: String
    public let start: Date?
    public let end: Date?
    /// When the signed URL stops working; nil when unknown.
    public let urlExpiresAt: Date?
}
