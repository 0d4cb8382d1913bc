import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// `ReassignCall` through the matcher: never back to the current expert, the same rules,
/// recorded as REASSIGNED with the admin's reason.
@Suite struct ReassignmentTests {
    let now = Date.utc("2025-06-01T12:00:00Z")

    func call(expert: Int? = 1, state: CallState = .scheduled, calendly: Bool = false) -> Call {
        Call(
            id: .number(1), state: state, expertID: expert.map { .number($0) }, customer: Customer(userID: "user_alice"),
            topic: "taxes", scheduledStart: .utc("2025-06-02T10:00:00+02:00"), scheduledEnd: .utc("2025-06-02T10:30:00+02:00"),
            calendlyEventURI: calendly ? "https://api.calendly.com/scheduled_events/E1" : nil, createdAt: now, updatedAt: now)
    }

    func candidate(_ n: Int, minutes: Int = 0, hours: [WeeklyHours]? = nil) -> MatchCandidate {
        MatchCandidate(
            expert: .fixture(n, weeklyHours: hours ?? Weekday.allCases.map { .on($0, "09:00", "17:00") }),
            booked: [], ledgerMinutes: minutes, lastAssignedAt: nil)
    }

    @Test func theNextBestExpertIsChosenAndTheCurrentOneIsListedAsExcluded() throws {
        let match = try ExpertMatcher.reassign(
            call(), candidates: [candidate(1), candidate(2, minutes: 60), candidate(3, minutes: 30)],
            specialty: "tax", reason: "  expert is ill ", now: now)
        #expect(match.chosen == .number(3))
        #expect(match.candidates.map(\.expertID) == [.number(3), .number(2), .number(1)])
        #expect(match.candidates.last?.explanation == "not eligible: the call's current expert")
        #expect(match.assignment.reason == .reassigned)
        #expect(match.assignment.note
            == "reassigned from expert 00000000-0000-4000-8000-000000000001: expert is ill")
    }

    @Test func withNobodyElseFreeTheRefusalNamesTheSlot() {
        #expect(throws: BookingError.failedPrecondition(
            "no expert is free from 2025-06-02T08:00:00Z to 2025-06-02T08:30:00Z")) {
            try ExpertMatcher.reassign(call(), candidates: [candidate(1)], reason: "", now: now)
        }
    }

    @Test func aNamedExpertMustPassTheSameCheck() throws {
        let match = try ExpertMatcher.reassign(call(), to: candidate(2), reason: "customer asked", now: now)
        #expect(match.chosen == .number(2))
        #expect(match.assignment.candidates.map(\.expertID) == [.number(2)])
        #expect(match.assignment.note == "reassigned from expert 00000000-0000-4000-8000-000000000001: customer asked")
        #expect(throws: BookingError.failedPrecondition("the slot is outside the expert's weekly hours")) {
            try ExpertMatcher.reassign(call(), to: candidate(2, hours: []), reason: "", now: now)
        }
        var busy = candidate(2)
        busy.booked = [.from("2025-06-02T10:15:00+02:00", minutes: 30)]
        #expect(throws: BookingError.alreadyExists("the expert already has a call at that time")) {
            try ExpertMatcher.reassign(call(), to: busy, reason: "", now: now)
        }
        #expect(throws: BookingError.failedPrecondition(
            "the call is already assigned to expert 00000000-0000-4000-8000-000000000001")) {
            try ExpertMatcher.reassign(call(), to: candidate(1), reason: "", now: now)
        }
    }

    @Test func aCalendlyCallWithoutAnExpertIsAssignedUnderCalendlyRules() throws {
        // Outside everyone's hours: Calendly chose the time, so hours do not apply.
        let orphan = call(expert: nil, calendly: true)
        let match = try ExpertMatcher.reassign(
            orphan, candidates: [candidate(2, hours: [])], reason: "", now: now)
        #expect(match.chosen == .number(2))
        #expect(match.assignment.note == "assigned by an admin")
        #expect(throws: BookingError.self) {
            try ExpertMatcher.reassign(orphan, candidates: [candidate(2, hours: [])], reason: "", now: now, rules: .all)
        }
    }

    @Test func onlyScheduledCallsMoveAndReasonsAreBounded() {
        #expect(throws: BookingError.failedPrecondition("only a SCHEDULED call can be reassigned, this one is COMPLETED")) {
            try ExpertMatcher.reassign(call(state: .completed), candidates: [candidate(2)], reason: "", now: now)
        }
        #expect(throws: BookingError.invalidArgument("reason may have at most 500 characters")) {
            try ExpertMatcher.reassign(call(), to: candidate(2), reason: String(repeating: "x", count: 501), now: now)
        }
    }
}
