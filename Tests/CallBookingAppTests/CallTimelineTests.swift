import BookingAPI
import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// GetCallTimeline on a real PostgreSQL: the event log, attendance, quality and deliveries of
/// a call as its participants and admins read them, the scores only for admins, and the bound
/// on each list.
@Suite struct CallTimelineTests {
    static let customer = Principal(userID: "user_c", role: .customer, email: "user_c@example.com", expertID: nil)
    static let stranger = Principal(userID: "user_x", role: .customer, email: "user_x@example.com", expertID: nil)

    static func service(_ app: AppFixture) -> CallTimelineService {
        CallTimelineService(
            calls: app.callService, records: CallTimelineRepository(pool: app.pool), authenticator: NoAuthenticator())
    }

    static func request(_ id: String) -> GetCallTimelineRequest {
        var request = GetCallTimelineRequest()
        request.callID = id
        return request
    }

    /// The status name of the error `body` throws; nil when it answers.
    static func refusal(_ body: () async throws -> CallTimeline) async -> String? {
        do {
            _ = try await body()
            return nil
        } catch {
            return String(describing: error).split(separator: ":").first.map(String.init)
        }
    }

    @Test func participantsReadTheWholeStoryOfACall() async throws {
        try await AppFixture.withFresh { app in
            _ = try await app.expert(1)
            _ = try await app.expert(2)
            let call = try await app.book(nil, "2030-01-07T09:00:00Z")
            let id = try CallID(validating: call.id)
            let joined = Date.utc("2030-01-07T09:01:00Z")
            try await app.pool.withConnection { connection in
                try VideoRepository.recordParticipant(
                    .init(userID: "user_c", sessionID: "s1", userSessionID: "us1", streamRole: "user", joinedAt: joined,
                        leftAt: joined + 600), of: id, on: connection)
            }
            try await CallQualityRepository(pool: app.pool).record(
                CallQualityReport(callID: id, sessionID: "s1", qualityScore: 87, jitterAverageSeconds: 0.01, maxParticipants: 2))

            let timeline = try await Self.service(app).timeline(Self.request(call.id), by: Self.customer)
            #expect(timeline.callID == call.id)
            #expect(timeline.events.first?.toState == .scheduled)
            #expect(timeline.events.allSatisfy { $0.time != nil && !$0.kind.isEmpty })
            #expect(timeline.attendance.map(\.userID) == ["user_c"])
            #expect(timeline.attendance.first?.role == .customer)
            #expect(timeline.attendance.first?.leftAt?.date == joined + 600)
            #expect(timeline.quality.map(\.qualityScore) == [87])
            #expect(timeline.quality.first?.maxParticipants == 2)
            // Two reminder offsets for each side, all waiting for their time.
            #expect(timeline.deliveries.count == 4)
            #expect(timeline.deliveries.allSatisfy { $0.kind == .reminder && $0.state == .planned && $0.dueAt != nil })
            #expect(!timeline.truncated)
            // Matching considered both experts; only admins see their scores.
            #expect(timeline.assignment?.reason == .matched)
            #expect(timeline.assignment?.candidates.isEmpty == true)
            let admin = try await Self.service(app).timeline(Self.request(call.id), by: AppFixture.admin)
            #expect(admin.assignment?.candidates.count == 2)
        }
    }

    @Test func othersAreDeniedAndUnknownCallsNotFound() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let call = try await app.book(expert, "2030-01-07T09:00:00Z")
            let service = Self.service(app)
            #expect(await Self.refusal { try await service.timeline(Self.request(call.id), by: Self.stranger) } == "PERMISSION_DENIED")
            #expect(await Self.refusal {
                try await service.timeline(Self.request(UUID().uuidString), by: AppFixture.admin)
            } == "NOT_FOUND")
            #expect(await Self.refusal { try await service.timeline(Self.request("nope"), by: AppFixture.admin) } == "INVALID_ARGUMENT")
            let expertCaller = Principal(userID: "user_expert1", role: .expert, email: nil, expertID: expert)
            #expect(await Self.refusal { try await service.timeline(Self.request(call.id), by: expertCaller) } == nil)
        }
    }

    @Test func eachListIsCutAtItsLimit() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let call = try await app.book(expert, "2030-01-07T09:00:00Z")
            let id = try CallID(validating: call.id)
            let start = Date.utc("2030-01-07T09:00:00Z")
            try await app.pool.withConnection { connection in
                for n in 0...CallTimelineService.entriesPerList {
                    try VideoRepository.recordParticipant(
                        .init(userID: "user_c", sessionID: "s1", userSessionID: "us\(n)", streamRole: "user",
                            joinedAt: start + Double(n)), of: id, on: connection)
                }
            }
            let timeline = try await Self.service(app).timeline(Self.request(call.id), by: AppFixture.admin)
            #expect(timeline.attendance.count == CallTimelineService.entriesPerList)
            #expect(timeline.attendance.first?.joinedAt?.date == start)
            #expect(timeline.truncated)
        }
    }
}
