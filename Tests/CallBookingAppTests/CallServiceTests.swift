import BookingAPI
import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// CallService on a real PostgreSQL: bookings with their effects, retries by request id and by
/// re-matching, hold conversion, and lifecycle moves through the domain.
@Suite struct CallServiceTests {
    @Test func aBookingIsStoredWithItsRoomItsRemindersAndItsNoShowCheck() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let call = try await app.book(expert, "2030-01-07T09:00:00Z")
            #expect(call.state == .scheduled && call.expertID == expert.uuidString)
            // Two offsets (1440, 15 minutes) for the customer and the expert; one room; one check.
            #expect(try await app.jobCounts() == [
                RoomSetupJob.name: 1, ReminderJob.name: 4, NoShowCheckJob.name: 1,
            ])
        }
    }

    @Test func aRetriedRequestIDAnswersTheFirstBooking() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let first = try await app.book(expert, "2030-01-07T09:00:00Z", requestID: "req-1")
            let again = try await app.book(expert, "2030-01-07T09:00:00Z", requestID: "req-1")
            #expect(again.id == first.id)
            #expect(try await app.jobCounts()[RoomSetupJob.name] == 1)
        }
    }

    @Test func bookingAHeldSlotConvertsTheHold() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let start = Date.utc("2030-01-07T09:00:00Z")
            let hold = try await app.holds.hold(
                expertID: expert, customerUserID: "user_c", slot: TimeSlot(start: start, end: start + 1800),
                expiresIn: .seconds(600))
            // Someone else cannot book the held slot…
            await #expect(throws: StoreError.self) {
                _ = try await app.book(expert, "2030-01-07T09:00:00Z", customer: "user_other")
            }
            // …and the holder's booking takes the hold's time.
            let call = try await app.book(nil, "2030-01-07T09:00:00Z", holdID: hold.id.uuidString)
            #expect(call.expertID == expert.uuidString)
            #expect(try await app.holds.find(hold.id)?.convertedCallID?.uuidString == call.id)
        }
    }

    /// A slot listing offers the holder their own held slot as free, so booking it with the
    /// expert named converts the hold even without `hold_id`; their hold on another day stays.
    @Test func bookingOnesOwnHeldSlotWithTheExpertNamedConvertsTheHold() async throws {
        // A hold expires by the database's clock, and the service judges it live by its own:
        // here both are the real one, and the slot is 09:00 UTC the day after tomorrow.
        let now = Date()
        try await AppFixture.withFresh(now: now) { app in
            let expert = try await app.expert()
            let today = (now.timeIntervalSince1970 / 86_400).rounded(.down)
            let start = Date(timeIntervalSince1970: (today + 2) * 86_400 + 9 * 3600)
            let held = try await app.holds.hold(
                expertID: expert, customerUserID: "user_c", slot: TimeSlot(start: start, end: start + 1800),
                expiresIn: .seconds(600))
            let later = try await app.holds.hold(
                expertID: expert, customerUserID: "user_c", slot: TimeSlot(start: start + 86_400, end: start + 88_200),
                expiresIn: .seconds(600))
            let call = try await app.book(expert, ISO8601DateFormatter().string(from: start))
            #expect(try await app.holds.find(held.id)?.convertedCallID?.uuidString == call.id)
            #expect(try await app.holds.find(later.id)?.convertedCallID == nil)
        }
    }

    /// Eight customers book one slot by specialty at once with eight experts: each booking that
    /// finds its matched expert taken matches again, so all eight go through.
    @Test func concurrentMatchedBookingsOfOneSlotEachFindAnExpert() async throws {
        try await AppFixture.withFresh(poolSize: 8) { app in
            var experts: [ExpertID] = []
            for n in 1...8 { experts.append(try await app.expert(n)) }
            let calls = try await withThrowingTaskGroup(of: BookingAPI.Call.self) { group in
                for n in 1...8 {
                    group.addTask { try await app.book(nil, "2030-01-07T09:00:00Z", customer: "user_\(n)") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(calls.map(\.expertID)) == Set(experts.map(\.uuidString)))
        }
    }

    @Test func completingSendsTheFollowUpAndCancellingAFinishedCallIsRefused() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let booked = try await app.book(expert, "2030-01-07T09:00:00Z")
            var complete = CompleteCallRequest()
            complete.id = booked.id
            let completed = try await app.callService.complete(complete, by: AppFixture.admin)
            #expect(completed.state == .completed)
            #expect(try await app.jobCounts()[FollowUpJob.name] == 1)
            // Completing again answers the call as stored.
            #expect(try await app.callService.complete(complete, by: AppFixture.admin).endedAt == completed.endedAt)
            var cancel = CancelCallRequest()
            cancel.id = booked.id
            let error = await #expect(throws: BookingError.self) {
                _ = try await app.callService.cancel(cancel, by: AppFixture.admin)
            }
            #expect(error?.message.contains("COMPLETED -> CANCELLED is not allowed") == true)
        }
    }

    @Test func reassigningMovesTheCallAndItsExpertsReminders() async throws {
        try await AppFixture.withFresh { app in
            let first = try await app.expert(1)
            let second = try await app.expert(2)
            let booked = try await app.book(first, "2030-01-07T09:00:00Z")
            var request = ReassignCallRequest()
            request.id = booked.id
            request.expertID = second.uuidString
            request.reason = "first is ill"
            let moved = try await app.callService.reassign(request, by: AppFixture.admin)
            #expect(moved.expertID == second.uuidString)
            let deliveries = try await NotificationDeliveries(pool: app.pool).deliveries(of: CallID(validating: booked.id))
            #expect(deliveries.filter { $0.status == .cancelled }.count == 2)
            #expect(deliveries.filter { $0.status == .planned }.compactMap(\.recipient).contains("expert-\(second.uuidString)"))
        }
    }

    /// A customer is who their session says: the booking's email is the session's, and a body
    /// naming another is refused.
    @Test func aCustomersBookingCarriesTheEmailOfTheirSession() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let error = await #expect(throws: BookingError.self) {
                _ = try await app.book(expert, "2030-01-07T09:00:00Z", email: "someone.else@example.com")
            }
            #expect(error?.message == "customer.email must be the email of your session, or empty")
            let call = try await app.book(expert, "2030-01-07T09:00:00Z", email: "")
            #expect(call.customer?.email == "user_c@example.com")
        }
    }
}

