import BookingAPI
import BookingDomain
import Foundation
import ProtoWire
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// ExpertService on a real PostgreSQL: an admin creates experts, anybody lists them with the
/// slots they can book, and a booked slot is no longer offered.
@Suite struct ExpertServiceTests {
    static func service(_ app: AppFixture) -> ExpertService {
        ExpertService(experts: app.experts, directory: app.directory, authenticator: NoAuthenticator(), now: { [now = app.now] in now })
    }

    static let customer = Principal(userID: "user_c", role: .customer, email: nil, expertID: nil)

    @Test func onlyAnAdminCreatesAnExpert() async throws {
        try await AppFixture.withFresh { app in
            var request = CreateExpertRequest()
            var expert = BookingAPI.Expert()
            expert.name = "Ada"
            expert.email = "ada@example.com"
            expert.timezone = "Europe/Berlin"
            expert.specialties = ["tax"]
            request.expert = expert
            await #expect(throws: BookingError.self) { _ = try await Self.service(app).create(request, by: Self.customer) }
            let created = try await Self.service(app).create(request, by: AppFixture.admin)
            #expect(created.name == "Ada" && !created.id.isEmpty)
            // The same email again is ALREADY_EXISTS, named.
            let taken = await #expect(throws: StoreError.self) { _ = try await Self.service(app).create(request, by: AppFixture.admin) }
            #expect(taken?.refusal == .duplicateExpertEmail)
        }
    }

    @Test func listedSlotsLeaveOutABookedOne() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            var request = ListExpertsRequest()
            request.specialty = "tax"
            request.availableFrom = Timestamp(date: Date.utc("2030-01-07T09:00:00Z"))
            request.availableTo = Timestamp(date: Date.utc("2030-01-07T10:00:00Z"))
            request.slotMinutes = 30
            func starts() async throws -> [Date] {
                let listed = try await Self.service(app).list(request, by: Self.customer)
                return try #require(listed.experts.first { $0.id == expert.uuidString }).availableSlots.compactMap { $0.start?.date }
            }
            #expect(try await starts().contains(Date.utc("2030-01-07T09:00:00Z")))
            _ = try await app.book(expert, "2030-01-07T09:00:00Z")
            #expect(try await !starts().contains(Date.utc("2030-01-07T09:00:00Z")))
        }
    }
}
