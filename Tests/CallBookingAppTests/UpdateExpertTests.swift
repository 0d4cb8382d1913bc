import BookingAPI
import BookingDomain
import Foundation
import ProtoWire
import Testing
import TestSupport

@testable import BookingStore
@testable import CallBookingApp

/// UpdateExpert on a real PostgreSQL: what each caller may change, what a mask may name, and
/// what deactivating an expert does to matching, holds and their calls.
@Suite struct UpdateExpertTests {
    static func service(_ app: AppFixture) -> ExpertService {
        ExpertService(
            experts: app.experts, directory: app.directory, authenticator: NoAuthenticator(),
            now: { [now = app.now] in now })
    }

    static func expertCaller(_ id: ExpertID) -> Principal {
        Principal(userID: "user_expert", role: .expert, email: nil, expertID: id)
    }

    static func request(_ id: ExpertID, _ paths: [String], _ edit: (inout BookingAPI.Expert) -> Void)
        -> UpdateExpertRequest
    {
        var expert = BookingAPI.Expert()
        expert.id = id.uuidString
        edit(&expert)
        var request = UpdateExpertRequest()
        request.expert = expert
        request.updateMask = FieldMask(paths: paths)
        return request
    }

    @Test func anExpertChangesTheirProfileAndOnlyTheFieldsTheMaskNames() async throws {
        try await AppFixture.withFresh { app in
            let id = try await app.expert()
            let request = Self.request(id, ["name", "topics", "preparation_instructions", "timezone"]) {
                $0.name = "Ada L."
                $0.topics = [" crypto ", "VAT"]
                $0.preparationInstructions = "Bring last year's return."
                $0.timezone = "Europe/Berlin"
                $0.specialties = ["ignored: not in the mask"]
            }
            let updated = try await Self.service(app).update(request, by: Self.expertCaller(id))
            #expect(updated.name == "Ada L." && updated.topics == ["crypto", "VAT"])
            #expect(updated.preparationInstructions == "Bring last year's return." && updated.timezone == "Europe/Berlin")
            #expect(updated.specialties == ["tax"] && updated.email == "expert1@example.com")
            // Stored, and read back by everyone.
            var get = GetExpertRequest()
            get.id = id.uuidString
            let read = try await Self.service(app).get(get, by: ExpertServiceTests.customer)
            #expect(read.topics == ["crypto", "VAT"] && read.preparationInstructions == "Bring last year's return.")
        }
    }

    @Test func matchingFieldsAreForAdminsAndOthersAreDenied() async throws {
        try await AppFixture.withFresh { app in
            let id = try await app.expert()
            let other = try await app.expert(2)
            let weight = Self.request(id, ["scheduling.weight"]) { $0.scheduling = .with { $0.weight = 3 } }
            let denied = await #expect(throws: BookingError.self) {
                _ = try await Self.service(app).update(weight, by: Self.expertCaller(id))
            }
            #expect(denied == .permissionDenied("changing scheduling.weight is for admins; experts change their own profile fields"))
            let name = Self.request(id, ["name"]) { $0.name = "Taken over" }
            for caller in [Self.expertCaller(other), ExpertServiceTests.customer] {
                await #expect(throws: BookingError.permissionDenied("changing this expert is not allowed for this caller")) {
                    _ = try await Self.service(app).update(name, by: caller)
                }
            }
            let updated = try await Self.service(app).update(weight, by: AppFixture.admin)
            #expect(updated.scheduling?.weight == 3 && updated.name == "Expert 1")
        }
    }

    @Test func aMaskNamingAnUnknownOrIdentityFieldIsInvalid() async throws {
        try await AppFixture.withFresh { app in
            let id = try await app.expert()
            for (paths, message) in [
                (["email"], "update_mask: email cannot be changed"),
                (["clerk_user_id"], "update_mask: clerk_user_id cannot be changed"),
                (["active"], "expert.active must be set when update_mask names it"),
                ([], "update_mask must name the fields to change, e.g. \"name\""),
            ] {
                await #expect(throws: BookingError.invalidArgument(message)) {
                    _ = try await Self.service(app).update(Self.request(id, paths) { _ in }, by: AppFixture.admin)
                }
            }
            let unknown = await #expect(throws: BookingError.self) {
                _ = try await Self.service(app).update(Self.request(id, ["weekly_hours"]) { _ in }, by: AppFixture.admin)
            }
            #expect(unknown?.message.hasPrefix("update_mask: unknown field \"weekly_hours\"") == true)
            // The new values are checked as CreateExpert checks them.
            await #expect(throws: BookingError.self) {
                _ = try await Self.service(app).update(
                    Self.request(id, ["timezone"]) { $0.timezone = "Mars/Olympus" }, by: AppFixture.admin)
            }
            let missing = ExpertID()
            await #expect(throws: BookingError.notFound("no expert \(missing.uuidString)")) {
                _ = try await Self.service(app).update(Self.request(missing, ["name"]) { $0.name = "X" }, by: AppFixture.admin)
            }
        }
    }

    @Test func aDeactivatedExpertKeepsTheirCallsButIsNeitherMatchedNorHeld() async throws {
        try await AppFixture.withFresh { app in
            let id = try await app.expert()
            let booked = try await app.book(id, "2030-01-07T09:00:00Z")
            let deactivate = Self.request(id, ["active"]) { $0.active = false }
            let updated = try await Self.service(app).update(deactivate, by: AppFixture.admin)
            #expect(updated.active == false)
            // Their call stays as it was.
            #expect(try await app.calls.find(CallID(validating: booked.id))?.state == .scheduled)
            // Matching finds nobody, and the expert cannot be held.
            let unmatched = await #expect(throws: BookingError.self) { _ = try await app.book(nil, "2030-01-08T09:00:00Z") }
            #expect(unmatched?.message.hasPrefix("no expert with specialty") == true)
            var hold = HoldSlotRequest()
            hold.expertID = id.uuidString
            hold.start = Timestamp(date: Date.utc("2030-01-08T10:00:00Z"))
            hold.end = Timestamp(date: Date.utc("2030-01-08T10:30:00Z"))
            await #expect(throws: BookingError.failedPrecondition("the expert is not active")) {
                _ = try await HoldServiceTests.service(app).hold(hold, by: HoldServiceTests.customer("user_c"))
            }
        }
    }
}
