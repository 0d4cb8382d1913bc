import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// Attendance and recordings as Stream's webhooks store them, on a real PostgreSQL.
@Suite struct VideoRepositoryTests {
    @Test func aParticipantSessionIsJoinedThenCompletedByItsLeftEvent() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await store.book(expert, "2030-01-07T09:00:00Z", customer: "user_ada")
            let video = VideoRepository(pool: store.pool)
            let joined = VideoRepository.ParticipantSession(
                userID: "user_ada", sessionID: "s1", userSessionID: "us1", streamRole: "call_member",
                joinedAt: .utc("2030-01-07T09:00:05Z"))
            var leaving = joined
            leaving.leftAt = .utc("2030-01-07T09:25:05Z")
            leaving.durationSeconds = 1500
            let left = leaving
            let recorded = try await store.pool.withTransaction { connection in
                [
                    try VideoRepository.recordParticipant(joined, of: call.id, on: connection),
                    try VideoRepository.recordParticipant(left, of: call.id, on: connection),
                    // A redelivered joined event does not reopen the session.
                    try VideoRepository.recordParticipant(joined, of: call.id, on: connection),
                ]
            }
            #expect(recorded == [true, true, true])
            let attendance = try await video.attendance(of: call.id)
            #expect(attendance.count == 1)
            #expect(attendance == [
                AttendanceSession(
                    role: .customer, userID: "user_ada", joinedAt: .utc("2030-01-07T09:00:05Z"),
                    leftAt: .utc("2030-01-07T09:25:05Z"))
            ])
            let duration = try await store.pool.withConnection {
                try $0.execute("SELECT duration_seconds FROM calls.call_participants").first?.int("duration_seconds")
            }
            #expect(duration == 1500)
        }
    }

    @Test func aLeftEventBeforeItsJoinedEventStillRecordsTheSession() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await store.book(expert, "2030-01-07T09:00:00Z")
            let left = VideoRepository.ParticipantSession(
                userID: "user_guest", sessionID: "s1", userSessionID: "us9", streamRole: "call_member",
                joinedAt: .utc("2030-01-07T09:01:00Z"), leftAt: .utc("2030-01-07T09:02:00Z"), durationSeconds: 60)
            var reopened = left
            reopened.leftAt = nil
            reopened.durationSeconds = nil
            let joined = reopened
            try await store.pool.withTransaction { connection in
                try VideoRepository.recordParticipant(left, of: call.id, on: connection)
                try VideoRepository.recordParticipant(joined, of: call.id, on: connection)
            }
            let attendance = try await VideoRepository(pool: store.pool).attendance(of: call.id)
            #expect(attendance.map(\.role) == [.other])
            #expect(attendance.first?.leftAt == .utc("2030-01-07T09:02:00Z"))
        }
    }

    @Test func aRecordingIsStoredOnceAndItsURLRefreshed() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await store.book(expert, "2030-01-07T09:00:00Z")
            let video = VideoRepository(pool: store.pool)
            var recording = VideoRepository.NewRecording(
                filename: "rec.mp4", url: "https://cdn.test/rec.mp4?Expires=1", start: .utc("2030-01-07T09:00:10Z"),
                end: .utc("2030-01-07T09:29:00Z"), sessionID: "s1", recordingType: "composite",
                urlExpiresAt: .utc("1970-01-01T00:00:01Z"))
            try await video.storeRecordings([recording], of: call.id)
            recording.url = "https://cdn.test/rec.mp4?Expires=1900000000"
            recording.urlExpiresAt = Date(timeIntervalSince1970: 1_900_000_000)
            try await video.storeRecordings([recording], of: call.id)
            let stored = try await video.recordings(of: call.id)
            #expect(stored.count == 1)
            #expect(stored.first?.url == "https://cdn.test/rec.mp4?Expires=1900000000")
            #expect(stored.first?.urlExpiresAt == Date(timeIntervalSince1970: 1_900_000_000))
            #expect(stored.first?.start == .utc("2030-01-07T09:00:10Z"))
        }
    }

    @Test func effectsOnAnUnknownCallChangeNothing() async throws {
        try await Store.withFresh { store in
            let unknown = CallID(UUID())
            let results = try await store.pool.withTransaction { connection in
                [
                    try VideoRepository.recordParticipant(
                        .init(userID: "u", sessionID: nil, userSessionID: "x", streamRole: nil, joinedAt: Date()),
                        of: unknown, on: connection),
                    try VideoRepository.storeRecording(
                        .init(filename: "f", url: "u", start: nil, end: nil, sessionID: nil, recordingType: nil, urlExpiresAt: nil),
                        of: unknown, on: connection),
                    try VideoRepository.recordEvent("recording_failed", detail: [:], of: unknown, actor: "t", on: connection),
                    try CallTransaction(connection: connection, lifecycle: CallLifecycle(), now: Date())
                        .change(unknown, actor: "t") { .noChange($0, effects: []) } != nil,
                ]
            }
            #expect(results == [false, false, false, false])
        }
    }
}
