import BookingAPI
import BookingDomain
import Foundation
import ProtoWire
import RPC
import Testing

@testable import CallBookingApp

@Suite struct MappingTests {
    private func call(candidates: [BookingDomain.CandidateScore]) throws -> BookingDomain.Call {
        let expert = try ExpertID(validating: "6f1c2a3b-0000-4000-8000-000000000001")
        return BookingDomain.Call(
            id: try CallID(validating: "6f1c2a3b-0000-4000-8000-0000000000aa"), state: .completed, noShowParty: nil,
            expertID: expert,
            assignment: Assignment(reason: .matched, note: "least loaded", candidates: candidates),
            customer: BookingDomain.Customer(userID: "user_1", email: "a@b.c", name: "Ada", timeZone: "Europe/Berlin"),
            topic: "Sleep", customerContext: [QuestionAnswer(question: "Goal?", answer: "Rest")],
            scheduledStart: Date(timeIntervalSince1970: 1_764_000_000), scheduledEnd: Date(timeIntervalSince1970: 1_764_001_800),
            startedAt: Date(timeIntervalSince1970: 1_764_000_060), endedAt: Date(timeIntervalSince1970: 1_764_001_500),
            cancellationReason: nil, rescheduledFrom: nil, rescheduledTo: nil, calendlyEventURI: nil,
            calendlyInviteeURI: nil, createdAt: Date(timeIntervalSince1970: 1_763_000_000),
            updatedAt: Date(timeIntervalSince1970: 1_764_001_500))
    }

    @Test func aDomainCallBecomesTheContractsMessage() throws {
        let expert = try ExpertID(validating: "6f1c2a3b-0000-4000-8000-000000000001")
        let call = try self.call(candidates: [CandidateScore(expertID: expert, score: 0.5, explanation: "1 call")])
        let admin = BookingAPI.Call(call, showCandidates: true, videoCallType: "default")
        #expect(admin.id == "6f1c2a3b-0000-4000-8000-0000000000aa")
        #expect(admin.state == .completed)
        #expect(admin.customer?.timezone == "Europe/Berlin")
        #expect(admin.scheduledStart == Timestamp(seconds: 1_764_000_000, nanos: 0))
        #expect(admin.assignment?.reason == .matched)
        #expect(admin.assignment?.candidates.count == 1)
        #expect(admin.customerContext.map(\.answer) == ["Rest"])
        // The Stream room: the configured call type, the call's id.
        #expect(admin.video?.callType == "default" && admin.video?.callID == "6f1c2a3b-0000-4000-8000-0000000000aa")
        let customer = BookingAPI.Call(call, showCandidates: false, videoCallType: "default")
        #expect(customer.assignment?.candidates.isEmpty == true)
        #expect(customer.assignment?.note == "least loaded")
    }

    @Test func domainErrorsMapToTheirStatuses() {
        #expect(RPCError(from: BookingError.alreadyExists("taken")).code == .alreadyExists)
        #expect(RPCError(from: BookingError.failedPrecondition("cap")).code == .failedPrecondition)
        #expect(RPCError(from: BookingError.notFound("x")).code == .notFound)
        #expect(RPCError(from: BookingError.invalidArgument("x")).message == "x")
    }
}
