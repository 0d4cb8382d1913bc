import OutboundHTTP
import Calendly
import RPC
import Testing

@testable import CallBookingApp

@Suite struct CalendlySyncFailureTests {
    @Test func calendlyThatDidNotAnswerIsUnavailableAndARefusalIsAFailedPrecondition() {
        let unreachable = CalendlySyncFailure(ProviderError(.calendly, .apiUnreachable, "GET /user_busy_times: no response from Calendly"))
        let limited = CalendlySyncFailure(ProviderError(.calendly, .apiStatus, "GET /user_busy_times: Too Many Requests", status: 429))
        let down = CalendlySyncFailure(ProviderError(.calendly, .apiStatus, "GET /user_availability_schedules: oops", status: 502))
        let unknownUser = CalendlySyncFailure(
            ProviderError(.calendly, .apiStatus, "GET /user_availability_schedules: Resource Not Found", status: 404))
        let garbled = CalendlySyncFailure(ProviderError(.calendly, .malformedResponse, "GET /user_busy_times: collection is missing"))
        #expect([unreachable, limited, down].map(\.rpcError.code) == [.unavailable, .unavailable, .unavailable])
        #expect([unknownUser, garbled].map(\.rpcError.code) == [.failedPrecondition, .failedPrecondition])
        #expect(unknownUser.message == "Calendly answered HTTP 404: GET /user_availability_schedules: Resource Not Found")
        #expect(CalendlySyncFailure(.notLinked, "the expert has no calendly_user_uri").rpcError.code == .failedPrecondition)
    }
}
