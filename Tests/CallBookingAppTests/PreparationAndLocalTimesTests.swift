import BookingAPI
import BookingDomain
import Foundation
import ProtoWire
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// On a real PostgreSQL: a booking stores the preparation text it resolved, and calls and slots
/// carry their local times.
@Suite struct PreparationAndLocalTimesTests {
    func expert(_ app: AppFixture, zone: String, specialty: String = "tax", text: String = "") async throws -> ExpertID {
        let hours = Weekday.allCases.compactMap { day in
            LocalTime(hour: 0, minute: 0).flatMap { start in LocalTime(minutes: 1440).map { WeeklyHours(day: day, start: start, end: $0) } }
        }
        let expert = Expert(
            id: ExpertID(), name: "Expert \(zone)", email: "\(UUID().uuidString.prefix(8))@example.com",
            specialties: [specialty], timeZone: zone, weeklyHours: hours,
            preparationInstructions: text)
        return try await app.experts.insert(expert).id
    }

    @Test func aBookingKeepsTheTextItResolvedAndAReassignmentKeepsItToo() async throws {
        try await AppFixture.withFresh { app in
            let own = try await self.expert(app, zone: "Europe/Berlin", text: "Bring last year's return.")
            let plain = try await self.expert(app, zone: "America/New_York")
            let call = try await app.book(own, "2030-01-07T09:00:00Z")
            #expect(call.preparationInstructions == "Bring last year's return.")
            let other = try await app.book(plain, "2030-01-07T09:00:00Z", customer: "user_d")
            #expect(other.preparationInstructions == PreparationGuide.generic)
            // Reassigned to an expert in another zone: the text stays, the expert's local start follows.
            var request = ReassignCallRequest()
            request.id = try await app.book(own, "2030-01-08T09:00:00Z", customer: "user_e").id
            request.expertID = plain.uuidString
            request.reason = "ill"
            let moved = try await app.callService.reassign(request, by: AppFixture.admin)
            #expect(moved.expertID == plain.uuidString)
            #expect(moved.preparationInstructions == "Bring last year's return.")
            #expect(moved.expertLocalStart == "2030-01-08T04:00:00-05:00")
        }
    }

    @Test func aCallCarriesItsStartInTheCustomersAndTheExpertsZonesAcrossTheSpringSwitch() async throws {
        try await AppFixture.withFresh(now: .utc("2030-03-01T08:00:00Z")) { app in
            let berlin = try await self.expert(app, zone: "Europe/Berlin")
            let booked = try await app.book(berlin, "2030-03-31T08:00:00Z")
            // The fixture's customer gives no zone: no local start for them.
            #expect(booked.customerLocalStart == "")
            #expect(booked.expertLocalStart == "2030-03-31T10:00:00+02:00")
            var request = CreateCallRequest()
            request.expertID = berlin.uuidString
            request.topic = "Taxes"
            request.customer = .with {
                $0.userID = "user_ny"
                $0.email = "ny@example.com"
                $0.timezone = "America/New_York"
            }
            request.scheduledStart = Timestamp(date: .utc("2030-03-30T08:00:00Z"))
            request.scheduledEnd = Timestamp(date: .utc("2030-03-30T08:30:00Z"))
            let call = try await app.callService.create(request, by: AppFixture.admin)
            #expect(call.customerLocalStart == "2030-03-30T04:00:00-04:00")
            #expect(call.expertLocalStart == "2030-03-30T09:00:00+01:00")
            var get = GetCallRequest()
            get.id = call.id
            let read = try await app.callService.get(get, by: AppFixture.admin)
            #expect(read.expertLocalStart == call.expertLocalStart && read.customerLocalStart == call.customerLocalStart)
        }
    }

    @Test func slotsAreInTheRequestedZoneElseTheExperts() async throws {
        try await AppFixture.withFresh(now: .utc("2030-03-01T08:00:00Z")) { app in
            _ = try await self.expert(app, zone: "Europe/Berlin", specialty: "sleep")
            let service = ExpertService(
                experts: app.experts, directory: app.directory, authenticator: NoAuthenticator(), now: { app.now })
            var request = ListExpertsRequest()
            request.specialty = "sleep"
            request.availableFrom = Timestamp(date: .utc("2030-03-31T00:30:00Z"))
            request.availableTo = Timestamp(date: .utc("2030-03-31T01:30:00Z"))
            let own = try await service.list(request, by: AppFixture.admin)
            let slots = try #require(own.experts.first?.availableSlots)
            // 30-minute slots on the 15-minute grid; Berlin's clocks jump from 02:00 to 03:00 at 01:00 UTC.
            #expect(slots.map(\.localStart) == ["2030-03-31T01:30:00+01:00", "2030-03-31T01:45:00+01:00", "2030-03-31T03:00:00+02:00"])
            #expect(slots.map(\.localEnd) == ["2030-03-31T03:00:00+02:00", "2030-03-31T03:15:00+02:00", "2030-03-31T03:30:00+02:00"])
            request.timezone = "Asia/Tokyo"
            let tokyo = try await service.list(request, by: AppFixture.admin)
            #expect(tokyo.experts.first?.availableSlots.first?.localStart == "2030-03-31T09:30:00+09:00")
            request.timezone = "Europe/Atlantis"
            await #expect(throws: BookingError.self) { try await service.list(request, by: AppFixture.admin) }
        }
    }
}
