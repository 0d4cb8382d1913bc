import BookingAPI
import BookingDomain
import Foundation
import ProtoWire
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// GetExpertLoad on a real PostgreSQL: the ledger, the cap counters and the upcoming calls,
/// for the expert and admins only, in a bounded window.
@Suite struct ExpertLoadTests {
    static func request(_ id: ExpertID, from: String? = nil, to: String? = nil) -> GetExpertLoadRequest {
        var request = GetExpertLoadRequest()
        request.expertID = id.uuidString
        request.from = from.map { Timestamp(date: Date.utc($0)) }
        request.to = to.map { Timestamp(date: Date.utc($0)) }
        return request
    }

    @Test func theLoadCountsBookedMinutesCallsPerDayAndUpcomingCalls() async throws {
        try await AppFixture.withFresh { app in
            let id = try await app.expert()
            _ = try await app.book(id, "2030-01-07T09:00:00Z")
            _ = try await app.book(id, "2030-01-07T11:00:00Z", customer: "user_d")
            _ = try await app.book(id, "2030-01-15T09:00:00Z")
            let service = UpdateExpertTests.service(app)
            let load = try await service.load(Self.request(id), by: UpdateExpertTests.expertCaller(id))
            // The default window is the next four weeks from the fixture's now (2030-01-01).
            #expect(load.from == Timestamp(date: Date.utc("2030-01-01T08:00:00Z")))
            #expect(load.to == Timestamp(date: Date.utc("2030-01-29T08:00:00Z")))
            #expect(load.ledgerWeeks.map { [$0.weekStart, "\($0.bookedMinutes)", "\($0.calls)"] } == [
                ["2030-01-07", "60", "2"], ["2030-01-14", "30", "1"],
            ])
            #expect(load.days.map { "\($0.date)=\($0.calls)" } == ["2030-01-07=2", "2030-01-15=1"])
            #expect(load.weeks.map { "\($0.date)=\($0.calls)" } == ["2030-01-07=2", "2030-01-14=1"])
            #expect(load.upcomingCalls == 3)
            // A narrower window reads only its own days.
            let monday = try await service.load(
                Self.request(id, from: "2030-01-07T00:00:00Z", to: "2030-01-08T00:00:00Z"), by: AppFixture.admin)
            #expect(monday.days.map(\.date) == ["2030-01-07"] && monday.upcomingCalls == 3)
        }
    }

    @Test func onlyTheExpertAndAdminsReadItAndTheWindowIsBounded() async throws {
        try await AppFixture.withFresh { app in
            let id = try await app.expert()
            let other = try await app.expert(2)
            let service = UpdateExpertTests.service(app)
            for caller in [UpdateExpertTests.expertCaller(other), ExpertServiceTests.customer] {
                await #expect(throws: BookingError.permissionDenied("reading this expert's load is not allowed for this caller")) {
                    _ = try await service.load(Self.request(id), by: caller)
                }
            }
            await #expect(throws: BookingError.invalidArgument("the window from from to to may be at most 366 days")) {
                _ = try await service.load(
                    Self.request(id, from: "2030-01-01T00:00:00Z", to: "2031-01-03T00:00:00Z"), by: AppFixture.admin)
            }
            await #expect(throws: BookingError.invalidArgument("to must be after from")) {
                _ = try await service.load(
                    Self.request(id, from: "2030-01-02T00:00:00Z", to: "2030-01-01T00:00:00Z"), by: AppFixture.admin)
            }
            let missing = ExpertID()
            await #expect(throws: BookingError.notFound("no expert \(missing.uuidString)")) {
                _ = try await service.load(Self.request(missing), by: AppFixture.admin)
            }
        }
    }
}
