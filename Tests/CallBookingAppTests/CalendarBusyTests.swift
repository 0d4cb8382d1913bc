import BookingAPI
import BookingDomain
import Foundation
import ProtoWire
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// Busy times the Calendly sync stores are `calendar_busy`, apart from the manual `time_off`:
/// a client that writes back what it read keeps them synced, and they block slots like time
/// off. On a real PostgreSQL, the sync's store step standing in for a round.
@Suite struct CalendarBusyTests {
    static let userURI = "https://api.calendly.com/users/HOST1"
    static let busy = BookingDomain.TimeSlot(start: .utc("2030-01-07T09:00:00Z"), end: .utc("2030-01-07T10:00:00Z"))
    static let manual = BookingDomain.TimeSlot(start: .utc("2030-01-08T09:00:00Z"), end: .utc("2030-01-08T10:00:00Z"))

    static func service(_ app: AppFixture) -> ExpertService {
        ExpertService(
            experts: app.experts, directory: app.directory, authenticator: NoAuthenticator(), now: { [now = app.now] in now })
    }

    /// An expert in Europe/Berlin linked to Calendly, with one manual time off, after a sync
    /// round that found `busy` (and kept the hours: every day 06:00–22:00).
    static func syncedExpert(_ app: AppFixture, busy: [BookingDomain.TimeSlot] = [Self.busy]) async throws -> ExpertID {
        let id = try await app.expert(calendlyUserURI: Self.userURI)
        let stored = try #require(try await app.experts.find(id))
        _ = try await app.experts.replaceAvailability(id, weeklyHours: stored.weeklyHours, timeOff: [Self.manual])
        try await Self.sync(app, id, busy: busy)
        return id
    }

    static func sync(_ app: AppFixture, _ id: ExpertID, busy: [BookingDomain.TimeSlot]) async throws {
        let stored = try #require(try await app.experts.find(id))
        let synced = SyncedAvailability(
            timeZone: "Europe/Berlin", weeklyHours: stored.weeklyHours, dateOverrides: [], timeOff: busy)
        #expect(try await app.experts.replaceCalendlyAvailability(id, linkedTo: Self.userURI, with: synced) != nil)
    }

    static func get(_ app: AppFixture, _ id: ExpertID, as caller: Principal = AppFixture.admin) async throws -> BookingAPI.Expert {
        var request = GetExpertRequest()
        request.id = id.uuidString
        return try await Self.service(app).get(request, by: caller)
    }

    static func starts(_ slots: [BookingAPI.TimeSlot]) -> [Date] { slots.compactMap { $0.start?.date } }

    @Test func getExpertShowsSyncedBusyTimesInCalendarBusyNotInTimeOff() async throws {
        try await AppFixture.withFresh { app in
            let id = try await Self.syncedExpert(app)
            let read = try await Self.get(app, id)
            #expect(Self.starts(read.timeOff) == [Self.manual.start])
            #expect(Self.starts(read.calendarBusy) == [Self.busy.start])
            #expect(read.calendarBusy.first?.end?.date == Self.busy.end)
            // In the expert's zone, like time off.
            #expect(read.calendarBusy.first?.localStart == "2030-01-07T10:00:00+01:00")
            #expect(read.calendarBusy.first?.localEnd == "2030-01-07T11:00:00+01:00")

            // The expert sees their own; a customer sees neither, as with time off.
            let own = Principal(userID: "user_expert1", role: .expert, email: nil, expertID: id)
            #expect(Self.starts(try await Self.get(app, id, as: own).calendarBusy) == [Self.busy.start])
            let customer = Principal(userID: "user_c", role: .customer, email: nil, expertID: nil)
            let public_ = try await Self.get(app, id, as: customer)
            #expect(public_.calendarBusy.isEmpty && public_.timeOff.isEmpty)
        }
    }

    @Test func writingBackTheReadAvailabilityLeavesSyncedBusyTimesToTheSync() async throws {
        try await AppFixture.withFresh { app in
            let id = try await Self.syncedExpert(app)
            let read = try await Self.get(app, id)
            var write = SetExpertAvailabilityRequest()
            write.expertID = id.uuidString
            write.weeklyHours = read.weeklyHours
            write.dateOverrides = read.dateOverrides
            write.timeOff = read.timeOff
            let written = try await Self.service(app).setAvailability(write, by: AppFixture.admin)
            #expect(Self.starts(written.timeOff) == [Self.manual.start])
            #expect(Self.starts(written.calendarBusy) == [Self.busy.start])

            // The next round without busy times removes every synced row; the manual one stays.
            try await Self.sync(app, id, busy: [])
            let after = try await Self.get(app, id)
            #expect(after.calendarBusy.isEmpty)
            #expect(Self.starts(after.timeOff) == [Self.manual.start])
        }
    }

    @Test func calendarBusyInARequestIsIgnored() async throws {
        try await AppFixture.withFresh { app in
            var expert = BookingAPI.Expert()
            expert.name = "Ada"
            expert.email = "ada@example.com"
            expert.timezone = "UTC"
            expert.calendarBusy = [BookingAPI.TimeSlot(Self.busy, localOn: nil)]
            var request = CreateExpertRequest()
            request.expert = expert
            let created = try await Self.service(app).create(request, by: AppFixture.admin)
            #expect(created.calendarBusy.isEmpty && created.timeOff.isEmpty)
            let id = try ExpertID(validating: created.id)
            #expect(try await app.experts.find(id)?.calendarBusy == [])
        }
    }

    @Test func aSlotDuringACalendarBusyTimeIsNeitherOfferedNorBookableNorHeld() async throws {
        try await AppFixture.withFresh { app in
            let id = try await Self.syncedExpert(app)
            var list = ListExpertsRequest()
            list.availableFrom = Timestamp(date: .utc("2030-01-07T08:00:00Z"))
            list.availableTo = Timestamp(date: .utc("2030-01-07T11:00:00Z"))
            list.slotMinutes = 30
            let customer = Principal(userID: "user_c", role: .customer, email: nil, expertID: nil)
            let listed = try await Self.service(app).list(list, by: customer)
            let offered = Self.starts(try #require(listed.experts.first { $0.id == id.uuidString }).availableSlots)
            #expect(offered.contains(.utc("2030-01-07T08:30:00Z")) && offered.contains(.utc("2030-01-07T10:00:00Z")))
            #expect(!offered.contains { $0 >= Self.busy.start && $0 < Self.busy.end })

            let booking = await #expect(throws: BookingError.self) { _ = try await app.book(id, "2030-01-07T09:30:00Z") }
            #expect(booking?.message.contains("busy time of their calendar") == true)

            var hold = HoldSlotRequest()
            hold.expertID = id.uuidString
            hold.start = Timestamp(date: .utc("2030-01-07T09:00:00Z"))
            hold.end = Timestamp(date: .utc("2030-01-07T09:30:00Z"))
            let holds = HoldService(
                holds: app.holds, directory: app.directory, authenticator: NoAuthenticator(), holdDuration: .seconds(600),
                now: { [now = app.now] in now })
            await #expect(throws: BookingError.self) { _ = try await holds.hold(hold, by: customer) }
        }
    }
}
