import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// Topics in matching: experts whose topics match words of the call's topic come first,
/// fairness decides within each group, and the explanation says why.
@Suite struct TopicMatchingTests {
    let slot = TimeSlot.from("2025-06-02T10:00:00+02:00", minutes: 30)
    let now = Date.utc("2025-06-01T12:00:00Z")

    func candidate(_ n: Int, minutes: Int, topics: [String] = [], available: Bool = true) -> MatchCandidate {
        var expert = Expert.fixture(n, weeklyHours: Weekday.allCases.map { .on($0, "00:00", "24:00") })
        expert.topics = topics
        expert.active = available
        return MatchCandidate(expert: expert, booked: [], ledgerMinutes: minutes, lastAssignedAt: nil)
    }

    @Test func aMatchingExpertIsPreferredOverALessLoadedOneAndFairnessRanksWithinTheGroup() throws {
        let match = try ExpertMatcher.match(
            [
                candidate(1, minutes: 0, topics: ["payroll"]),
                candidate(2, minutes: 120, topics: ["VAT", "crypto"]),
                candidate(3, minutes: 60, topics: ["vat"]),
            ],
            slot: slot, specialty: "tax", topic: "Question on vat refunds", now: now)
        #expect(match.candidates.map(\.expertID) == [.number(3), .number(2), .number(1)])
        #expect(match.candidates.map(\.explanation) == [
            "chosen: topic \"vat\" matches the call's topic, preferred; "
                + "60 ledger minutes / weight 1 = 60, priority 0, never assigned",
            "free, ranked 2: topic \"VAT\" matches the call's topic, preferred; "
                + "120 ledger minutes / weight 1 = 120, priority 0, never assigned",
            "free, ranked 3: no topic matches \"Question on vat refunds\"; "
                + "0 ledger minutes / weight 1 = 0, priority 0, never assigned",
        ])
    }

    @Test func withoutAMatchFairnessAloneDecidesAndTheExplanationIsUnchanged() throws {
        let match = try ExpertMatcher.match(
            [candidate(1, minutes: 30, topics: ["payroll"]), candidate(2, minutes: 0)],
            slot: slot, specialty: "tax", topic: "VAT", now: now)
        #expect(match.chosen == .number(2))
        #expect(match.candidates[0].explanation == "chosen: 0 ledger minutes / weight 1 = 0, priority 0, never assigned")
    }

    @Test func aMatchingExpertWhoCannotTakeTheCallIsNotChosen() throws {
        let match = try ExpertMatcher.match(
            [candidate(1, minutes: 0, topics: ["vat"], available: false), candidate(2, minutes: 90)],
            slot: slot, specialty: "tax", topic: "VAT", now: now)
        #expect(match.chosen == .number(2))
        #expect(match.candidates[1].explanation == "not eligible: the expert is not active")
    }

    @Test func keywordsMatchWholeWordsIgnoringCaseAndPunctuation() {
        var expert = Expert.fixture(1)
        expert.topics = ["machine learning", "VAT", "tax"]
        #expect(TopicMatch(topic: "Machine-learning for invoices").matchingTopics(of: expert) == ["machine learning"])
        #expect(TopicMatch(topic: "learning taxonomies, vat.").matchingTopics(of: expert) == ["VAT"])
        #expect(TopicMatch(topic: "").matchingTopics(of: expert).isEmpty)
    }
}
