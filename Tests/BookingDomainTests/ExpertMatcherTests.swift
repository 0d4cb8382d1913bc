import Foundation
import Testing
import TestSupport

@testable import BookingDomain

@Suite struct ExpertMatcherTests {
    let slot = TimeSlot.from("2025-06-02T10:00:00+02:00", minutes: 30)   // a Monday, 10:00 in Berlin
    let now = Date.utc("2025-06-01T12:00:00Z")

    func candidate(
        _ n: Int, load: Int = 0, lastAssigned: String? = nil, specialties: [String] = ["tax"],
        active: Bool = true, booked: [TimeSlot] = []
    ) -> MatchCandidate {
        MatchCandidate(
            expert: .fixture(n, specialties: specialties, active: active), booked: booked, ledgerMinutes: load,
            lastAssignedAt: lastAssigned.map { Date.utc($0) })
    }

    @Test func theLeastLoadedFreeExpertIsChosen() throws {
        let match = try ExpertMatcher.match(
            [candidate(1, load: 3), candidate(2, load: 1), candidate(3, load: 2)], slot: slot, specialty: "tax", now: now)
        #expect(match.chosen == .number(2))
        #expect(match.candidates.map(\.expertID) == [.number(2), .number(3), .number(1)])
        #expect(match.candidates.map(\.score) == [0.5, 1.0 / 3, 0.25])
    }

    @Test func equalLoadGoesToTheLeastRecentlyAssignedWithNeverFirst() throws {
        let match = try ExpertMatcher.match([
            candidate(1, load: 1, lastAssigned: "2025-05-30T09:00:00Z"),
            candidate(2, load: 1, lastAssigned: "2025-05-20T09:00:00Z"),
            candidate(3, load: 1),
        ], slot: slot, specialty: "tax", now: now)
        #expect(match.candidates.map(\.expertID) == [.number(3), .number(2), .number(1)])
    }

    @Test func aCompleteTieGoesToTheSmallerIDWhateverTheInputOrder() throws {
        let first = try ExpertMatcher.match([candidate(2), candidate(1)], slot: slot, specialty: "", now: now)
        let second = try ExpertMatcher.match([candidate(1), candidate(2)], slot: slot, specialty: "", now: now)
        #expect(first.chosen == .number(1))
        #expect(first == second)
    }

    @Test func ineligibleExpertsAreListedLastWithTheReason() throws {
        let match = try ExpertMatcher.match([
            candidate(5, load: 9),
            candidate(4, specialties: ["law"]),
            candidate(3, active: false),
            candidate(2, booked: [.from("2025-06-02T09:45:00+02:00", minutes: 30)]),
        ], slot: slot, specialty: "Tax", now: now)
        #expect(match.chosen == .number(5))
        #expect(match.candidates == [
            CandidateScore(expertID: .number(5), score: 0.1, explanation: "chosen: 9 ledger minutes / weight 1 = 9, priority 0, never assigned"),
            CandidateScore(expertID: .number(2), score: 0, explanation: "not eligible: the expert already has a call at that time"),
            CandidateScore(expertID: .number(3), score: 0, explanation: "not eligible: the expert is not active"),
            CandidateScore(expertID: .number(4), score: 0, explanation: "not eligible: no specialty \"Tax\""),
        ])
        #expect(match.assignment == Assignment(reason: .matched, candidates: match.candidates))
    }

    @Test func explanationsGiveTheRankAndLastAssignment() {
        let match = ExpertMatcher.rank(
            [candidate(1), candidate(2, load: 0, lastAssigned: "2025-05-30T09:00:00Z")], slot: slot, specialty: "tax", now: now)
        #expect(match.candidates.map(\.explanation) == [
            "chosen: 0 ledger minutes / weight 1 = 0, priority 0, never assigned",
            "free, ranked 2: 0 ledger minutes / weight 1 = 0, priority 0, last assigned 2025-05-30T09:00:00Z",
        ])
    }

    @Test func specialtiesMatchIgnoringCaseAndAnEmptyOneMatchesAnyone() throws {
        #expect(try ExpertMatcher.match([candidate(1, specialties: [" Tax Law "])], slot: slot, specialty: "tax law", now: now)
            .chosen == .number(1))
        #expect(try ExpertMatcher.match([candidate(1, specialties: [])], slot: slot, specialty: " ", now: now)
            .chosen == .number(1))
    }

    @Test func noFreeExpertIsAFailedPreconditionNamingSpecialtyAndTime() {
        let candidates = [candidate(1, specialties: ["law"]), candidate(2, booked: [slot])]
        #expect(throws: BookingError.failedPrecondition(
            "no expert with specialty \"tax\" is free from 2025-06-02T08:00:00Z to 2025-06-02T08:30:00Z")) {
            try ExpertMatcher.match(candidates, slot: slot, specialty: "tax", now: now)
        }
        let ranked = ExpertMatcher.rank(candidates, slot: slot, specialty: "tax", now: now)
        #expect(ranked.chosen == nil)
        #expect(ranked.candidates.count == 2)
        #expect(throws: BookingError.failedPrecondition(
            "no expert is free from 2025-06-02T08:00:00Z to 2025-06-02T08:30:00Z")) {
            try ExpertMatcher.match([], slot: slot, specialty: "", now: now)
        }
    }

    @Test func matchingUsesTheSameHoursAsListing() throws {
        let evening = TimeSlot.from("2025-06-02T18:00:00+02:00", minutes: 30)
        let ranked = ExpertMatcher.rank([candidate(1)], slot: evening, specialty: "", now: now)
        #expect(ranked.candidates.first?.explanation == "not eligible: the slot is outside the expert's weekly hours")
    }
}
