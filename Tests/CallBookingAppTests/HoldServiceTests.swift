import BookingAPI
import BookingDomain
import Foundation
import ProtoWire
import RPC
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// HoldSlot and ReleaseHold on a real PostgreSQL: a held slot is the holder's, a released one
/// anybody's, and only the holder (or an admin) may release it.
@Suite struct HoldServiceTests {
    static func service(_ app: AppFixture) -> HoldService {
        HoldService(
            holds: app.holds, directory: app.directory, authenticator: NoAuthenticator(), holdDuration: .seconds(600),
            now: { [now = app.now] in now })
    }

    static func customer(_ id: String) -> Principal { Principal(userID: id, role: .customer, email: nil, expertID: nil) }

    @Test func aHeldSlotIsTheHoldersUntilReleased() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            var request = HoldSlotRequest()
            request.expertID = expert.uuidString
            request.start = Timestamp(date: Date.utc("2030-01-07T09:00:00Z"))
            request.end = Timestamp(date: Date.utc("2030-01-07T09:30:00Z"))
            let hold = try await Self.service(app).hold(request, by: Self.customer("user_c"))
            #expect(hold.expertID == expert.uuidString && hold.customerUserID == "user_c")

            // Another customer can neither hold nor book it…
            let taken = await #expect(throws: StoreError.self) {
                _ = try await Self.service(app).hold(request, by: Self.customer("user_other"))
            }
            #expect(taken?.refusal == .slotHeld)
            // …nor release the first customer's hold.
            var release = ReleaseHoldRequest()
            release.id = hold.id
            await #expect(throws: BookingError.self) {
                _ = try await Self.service(app).release(release, by: Self.customer("user_other"))
            }
            // Released by its holder, the slot is free again.
            _ = try await Self.service(app).release(release, by: Self.customer("user_c"))
            let call = try await app.book(expert, "2030-01-07T09:00:00Z", customer: "user_other")
            #expect(call.expertID == expert.uuidString)
        }
    }

    @Test func aHoldShorterThanACallIsRefused() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            var request = HoldSlotRequest()
            request.expertID = expert.uuidString
            request.start = Timestamp(date: Date.utc("2030-01-07T09:00:00Z"))
            request.end = Timestamp(date: Date.utc("2030-01-07T09:05:00Z"))
            let error = await #expect(throws: BookingError.self) {
                _ = try await Self.service(app).hold(request, by: Self.customer("user_c"))
            }
            #expect(error?.message == "a hold lasts from 15 minutes to 4 hours, like a call")
        }
    }

    /// One customer asking for many holds at once gets `HOLDS_PER_CUSTOMER` of them; the rest
    /// are RESOURCE_EXHAUSTED, also when they race.
    @Test func aCustomerHoldsAtMostHoldsPerCustomerSlotsEvenWhenAskingAtOnce() async throws {
        try await AppFixture.withFresh(poolSize: 8) { app in
            let expert = try await app.expert()
            let service = Self.service(app)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        var request = HoldSlotRequest()
                        request.expertID = expert.uuidString
                        let start = Date.utc("2030-01-07T06:00:00Z").addingTimeInterval(TimeInterval(n * 1800))
                        request.start = Timestamp(date: start)
                        request.end = Timestamp(date: start.addingTimeInterval(1800))
                        do {
                            _ = try await service.hold(request, by: Self.customer("user_greedy"))
                            return true
                        } catch let error as StoreError {
                            return error.refusal == .tooManyHolds ? false : true
                        } catch {
                            return true
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 3)
            #expect(StoreError.rule("holds_per_customer", "x").rpcError.code == .resourceExhausted)
        }
    }
}


/// `RATE_LIMIT_PER_MINUTE`: a customer's bookings and holds share one count; admins have none.
@Suite struct BookingRateLimitTests {
    @Test func aCustomerPastTheLimitIsToldWhenToRetryAndAnAdminIsNotCounted() async throws {
        try await AppFixture.withFresh { app in
            let expert = try await app.expert()
            let limit = CallerRateLimit(pool: app.pool, perMinute: 2)
            var holds = HoldServiceTests.service(app)
            holds.rateLimit = limit
            var calls = app.callService
            calls.rateLimit = limit
            func request(_ start: String) -> HoldSlotRequest {
                var request = HoldSlotRequest()
                request.expertID = expert.uuidString
                request.start = Timestamp(date: Date.utc(start))
                request.end = Timestamp(date: Date.utc(start).addingTimeInterval(1800))
                return request
            }
            var booking = CreateCallRequest()
            booking.expertID = expert.uuidString
            booking.topic = "Taxes"
            var customer = HoldServiceTests.customer("user_fast")
            var refused: RPCError?
            // Played again by another customer a week later if it straddled a minute's turn.
            try await RateLimitWindow.inOneMinute(app.pool) { user, attempt in
                customer = HoldServiceTests.customer(user)
                let monday = String(format: "2030-01-%02d", 7 + 7 * attempt)
                _ = try await holds.hold(request("\(monday)T09:00:00Z"), by: customer)
                booking.scheduledStart = Timestamp(date: Date.utc("\(monday)T11:00:00Z"))
                booking.scheduledEnd = Timestamp(date: Date.utc("\(monday)T11:30:00Z"))
                _ = try await calls.create(booking, by: customer)
                do {
                    _ = try await holds.hold(request("\(monday)T13:00:00Z"), by: customer)
                    refused = nil
                } catch let error as RPCError {
                    refused = error
                }
            }
            #expect(refused?.code == .resourceExhausted)
            #expect((1...60).contains(refused?.retryAfterSeconds ?? 0))
            // A retry of a booking that went through is answered with it, however many came before.
            booking.requestID = "retry-me"
            booking.scheduledStart = Timestamp(date: Date.utc("2030-01-08T11:00:00Z"))
            booking.scheduledEnd = Timestamp(date: Date.utc("2030-01-08T11:30:00Z"))
            var unlimited = app.callService
            unlimited.rateLimit = nil
            let first = try await unlimited.create(booking, by: customer)
            #expect(try await calls.create(booking, by: customer).id == first.id)
            for hour in 14..<18 {
                var forSomeone = request("2030-01-07T\(hour):00:00Z")
                forSomeone.customerUserID = "user_\(hour)"
                _ = try await holds.hold(forSomeone, by: AppFixture.admin)
            }
        }
    }
}
