import BookingAPI
import BookingDomain
import Foundation
import ProtoWire
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

