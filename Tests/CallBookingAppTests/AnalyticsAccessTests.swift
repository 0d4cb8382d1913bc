import BookingDomain
import Foundation
import Testing

@testable import CallBookingApp

/// GetCallAnalytics' row of CONTRACT.md "Who may do what": customers never, experts their own
/// (empty means them), admins any expert or all.
@Suite struct AnalyticsAccessTests {
    typealias Callers = AccessPolicyTests

    @Test func customersMayNotReadAnalytics() {
        #expect(throws: BookingError.self) { try AccessPolicy.analyticsScope(expertID: nil, for: Callers.customer) }
        #expect(throws: BookingError.self) {
            try AccessPolicy.analyticsScope(expertID: Callers.expertID, for: Callers.customer)
        }
    }

    @Test func anExpertReadsOnlyTheirOwnAndEmptyMeansThem() throws {
        #expect(try AccessPolicy.analyticsScope(expertID: nil, for: Callers.expert) == Callers.expertID)
        #expect(try AccessPolicy.analyticsScope(expertID: Callers.expertID, for: Callers.expert) == Callers.expertID)
        #expect(throws: BookingError.self) {
            try AccessPolicy.analyticsScope(expertID: Callers.otherExpertID, for: Callers.expert)
        }
        let unlinked = Principal(userID: "user_u", role: .expert, email: nil, expertID: nil)
        #expect(throws: BookingError.self) { try AccessPolicy.analyticsScope(expertID: nil, for: unlinked) }
    }

    @Test func anAdminReadsAnyExpertOrAll() throws {
        #expect(try AccessPolicy.analyticsScope(expertID: nil, for: Callers.admin) == nil)
        #expect(try AccessPolicy.analyticsScope(expertID: Callers.otherExpertID, for: Callers.admin) == Callers.otherExpertID)
    }
}
