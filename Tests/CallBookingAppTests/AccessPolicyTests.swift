import BookingDomain
import Foundation
import Testing

@testable import CallBookingApp

/// The "Who may do what" table of CONTRACT.md, row by row, for each kind of caller.
@Suite struct AccessPolicyTests {
    static let expertID = ExpertID(UUID())
    static let otherExpertID = ExpertID(UUID())
    static let customer = Principal(userID: "user_c", role: .customer, email: "c@x.example", expertID: nil)
    static let otherCustomer = Principal(userID: "user_o", role: .customer, email: nil, expertID: nil)
    static let expert = Principal(userID: "user_e", role: .expert, email: nil, expertID: expertID)
    static let otherExpert = Principal(userID: "user_f", role: .expert, email: nil, expertID: otherExpertID)
    static let admin = Principal(userID: "user_a", role: .admin, email: nil, expertID: nil)

    static let call = Call(
        id: CallID(UUID()), state: .scheduled, noShowParty: nil, expertID: expertID, assignment: nil,
        customer: Customer(userID: "user_c"), topic: "", customerContext: [], scheduledStart: Date(),
        scheduledEnd: Date().addingTimeInterval(1800), startedAt: nil, endedAt: nil, cancellationReason: nil,
        rescheduledFrom: nil, rescheduledTo: nil, calendlyEventURI: nil, calendlyInviteeURI: nil, createdAt: Date(),
        updatedAt: Date())

    private func allowed(_ body: () throws(BookingError) -> Void) -> Bool {
        do {
            try body()
            return true
        } catch {
            guard case .permissionDenied = error else {
                Issue.record("expected PERMISSION_DENIED, got \(error)")
                return false
            }
            return false
        }
    }

    @Test func readingACallIsForItsCustomerItsExpertAndAdmins() {
        let verdicts = [Self.customer, Self.otherCustomer, Self.expert, Self.otherExpert, Self.admin].map { caller in
            self.allowed { () throws(BookingError) in try AccessPolicy.mayAccess(Self.call, as: caller, action: "reading") }
        }
        #expect(verdicts == [true, false, true, false, true])
    }

    @Test func completingIsForTheCallsExpertAndAdminsNeverCustomers() {
        let verdicts = [Self.customer, Self.expert, Self.otherExpert, Self.admin].map { caller in
            self.allowed { () throws(BookingError) in try AccessPolicy.mayComplete(Self.call, as: caller) }
        }
        #expect(verdicts == [false, true, false, true])
    }

    @Test func customersBookForThemselvesExpertsNeverAdminsForAnyone() throws {
        #expect(try AccessPolicy.customerForNewCall(requested: "", by: Self.customer) == "user_c")
        #expect(try AccessPolicy.customerForNewCall(requested: "user_c", by: Self.customer) == "user_c")
        #expect(!self.allowed { () throws(BookingError) in
            _ = try AccessPolicy.customerForNewCall(requested: "user_o", by: Self.customer)
        })
        #expect(!self.allowed { () throws(BookingError) in
            _ = try AccessPolicy.customerForNewCall(requested: "", by: Self.expert)
        })
        #expect(try AccessPolicy.customerForNewCall(requested: "user_o", by: Self.admin) == "user_o")
    }

    @Test func listingUpcomingCallsIsScopedToTheCaller() throws {
        #expect(try AccessPolicy.upcomingFilter(expertID: nil, for: Self.customer) == (nil, "user_c"))
        #expect(try AccessPolicy.upcomingFilter(expertID: nil, for: Self.expert) == (Self.expertID, nil))
        #expect(!self.allowed { () throws(BookingError) in
            _ = try AccessPolicy.upcomingFilter(expertID: Self.otherExpertID, for: Self.expert)
        })
        #expect(try AccessPolicy.upcomingFilter(expertID: Self.otherExpertID, for: Self.admin) == (Self.otherExpertID, nil))
    }

    @Test func availabilityIsEditedByThatExpertOrAdmins() {
        let verdicts = [Self.customer, Self.expert, Self.otherExpert, Self.admin].map { caller in
            self.allowed { () throws(BookingError) in try AccessPolicy.mayEditAvailability(of: Self.expertID, as: caller) }
        }
        #expect(verdicts == [false, true, false, true])
    }

    @Test func privateExpertFieldsAndCandidatesAreNotForEveryone() {
        #expect(!AccessPolicy.seesPrivateFields(of: Self.expertID, as: Self.customer))
        #expect(AccessPolicy.seesPrivateFields(of: Self.expertID, as: Self.expert))
        #expect(!AccessPolicy.seesPrivateFields(of: Self.expertID, as: Self.otherExpert))
        #expect(AccessPolicy.seesPrivateFields(of: Self.expertID, as: Self.admin))
        #expect(AccessPolicy.seesCandidates(Self.admin) && !AccessPolicy.seesCandidates(Self.expert))
    }
}
