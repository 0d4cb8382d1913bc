import BookingDomain
import Foundation
import StreamVideo
import Testing

@testable import CallBookingApp

/// CONTRACT "Stream tokens": roles, `iat` = now − 5 s, `exp` = scheduled end + grace, refusals.
@Suite struct CallTokenIssuerTests {
    static let expertID = ExpertID(UUID())
    static let now = Date(timeIntervalSince1970: 1_900_000_000)
    static let issuer = CallTokenIssuer(
        configuration: StreamConfiguration(apiKey: "k", secret: "s", callType: "consult", tokenGrace: .seconds(1800)))

    static func call(_ state: CallState = .scheduled) -> Call {
        Call(
            id: CallID(UUID()), state: state, expertID: expertID, customer: Customer(userID: "user_c"), topic: "t",
            scheduledStart: now.addingTimeInterval(3600), scheduledEnd: now.addingTimeInterval(5400), createdAt: now,
            updatedAt: now)
    }

    @Test func theExpertHostsTheCustomerIsAMemberAndAnAdminIsAdmin() throws {
        let call = Self.call()
        let expert = Principal(userID: "user_e", role: .expert, email: nil, expertID: Self.expertID)
        let customer = Principal(userID: "user_c", role: .customer, email: nil, expertID: nil)
        let admin = Principal(userID: "user_a", role: .admin, email: nil, expertID: nil)
        #expect(try Self.issuer.issue(for: call, to: expert, now: Self.now).claims.role == "host")
        #expect(try Self.issuer.issue(for: call, to: customer, now: Self.now).claims.role == "call_member")
        #expect(try Self.issuer.issue(for: call, to: admin, now: Self.now).claims.role == "admin")
        let issued = try Self.issuer.issue(for: call, to: customer, now: Self.now)
        #expect(issued.claims.userID == "user_c")
        #expect(issued.claims.callCIDs == ["consult:\(call.id.uuidString)"])
        #expect(issued.claims.issuedAt == Self.now.addingTimeInterval(-5))
        #expect(issued.claims.expiresAt == call.scheduledEnd.addingTimeInterval(1800))
        #expect(issued.room.callType == "consult" && issued.room.callID == call.id.uuidString)
    }

    @Test func cancelledCompletedAndLongPastCallsGetNoToken() {
        let customer = Principal(userID: "user_c", role: .customer, email: nil, expertID: nil)
        for state in [CallState.cancelled, .completed] {
            #expect(throws: BookingError.self) { try Self.issuer.issue(for: Self.call(state), to: customer, now: Self.now) }
        }
        let later = Self.now.addingTimeInterval(5400 + 1800 + 1)
        #expect(throws: BookingError.self) { try Self.issuer.issue(for: Self.call(), to: customer, now: later) }
        #expect(throws: Never.self) { try Self.issuer.issue(for: Self.call(.inProgress), to: customer, now: Self.now) }
    }
}
