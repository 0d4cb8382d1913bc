import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// Fair, weighted, explainable assignment: ledger minutes per unit of weight, then
/// priority, then least recently assigned, then id; and reassignment through the same ranking.
@Suite struct FairAssignmentTests {
    let slot = TimeSlot.from("2025-06-02T10:00:00+02:00", minutes: 30)   // a Monday, 10:00 in Berlin
    let now = Date.utc("2025-06-01T12:00:00Z")

    func candidate(
        _ n: Int, minutes: Int = 0, weight: Int = 0, priority: Int = 0, lastAssigned: Date? = nil,
        booked: [TimeSlot] = [], rules: SchedulingRules = SchedulingRules(), starts: [Date] = []
    ) -> MatchCandidate {
        var scheduling = rules
        scheduling.weight = weight
        scheduling.priority = priority
        let expert = Expert.fixture(n, weeklyHours: Weekday.allCases.map { .on($0, "00:00", "24:00") }, scheduling: scheduling)
        let zone = TimeZone(identifier: expert.timeZone) ?? .gmt
        return MatchCandidate(
            expert: expert, booked: booked, calls: CallCounts(starts: starts, timeZone: zone),
            ledgerMinutes: minutes, lastAssignedAt: lastAssigned)
    }

    // MARK: Ranking

    @Test func loadIsScaledByWeight() throws {
        // 90 / 3 = 30 beats 40 / 1 = 40 and 100 / 2 = 50.
        let match = try ExpertMatcher.match(
            [candidate(1, minutes: 40), candidate(2, minutes: 100, weight: 2), candidate(3, minutes: 90, weight: 3)],
            slot: slot, specialty: "tax", now: now)
        #expect(match.candidates.map(\.expertID) == [.number(3), .number(1), .number(2)])
        let scores: [Double] = [1.0 / 31, 1.0 / 41, 1.0 / 51]
        #expect(match.candidates.map(\.score) == scores)
        #expect(match.candidates.map(\.explanation) == [
            "chosen: 90 ledger minutes / weight 3 = 30, priority 0, never assigned",
            "free, ranked 2: 40 ledger minutes / weight 1 = 40, priority 0, never assigned",
            "free, ranked 3: 100 ledger minutes / weight 2 = 50, priority 0, never assigned",
        ])
    }

    @Test func equalScaledLoadGoesToHigherPriorityBeforeRecency() throws {
        let match = try ExpertMatcher.match([
            candidate(1, minutes: 30, lastAssigned: .utc("2025-05-01T00:00:00Z")),
            candidate(2, minutes: 60, weight: 2, priority: 5, lastAssigned: .utc("2025-05-31T00:00:00Z")),
            candidate(3, minutes: 30, priority: -1),
            candidate(4, minutes: 29, priority: -1000),
        ], slot: slot, specialty: "", now: now)
        #expect(match.candidates.map(\.expertID) == [.number(4), .number(2), .number(1), .number(3)])
        #expect(match.candidates[1].explanation
            == "free, ranked 2: 60 ledger minutes / weight 2 = 30, priority 5, last assigned 2025-05-31T00:00:00Z")
    }

    @Test func fractionalLoadsAreShownWithTwoDecimalsAndComparedExactly() throws {
        // 10 / 3 and 20 / 6 are equal: the tie goes on to the id, not to rounding.
        let match = try ExpertMatcher.match(
            [candidate(2, minutes: 10, weight: 3), candidate(1, minutes: 20, weight: 6)], slot: slot, specialty: "", now: now)
        #expect(match.chosen == .number(1))
        #expect(match.candidates[1].explanation == "free, ranked 2: 10 ledger minutes / weight 3 = 3.33, priority 0, never assigned")
    }

    @Test func everyCandidateIsExplainedAndRefusalsNameTheRule() {
        let rules = SchedulingRules(minimumNoticeMinutes: 24 * 60 * 2)
        let capped = SchedulingRules(maxCallsPerDay: 1)
        let match = ExpertMatcher.rank([
            candidate(1, rules: rules),
            candidate(2, rules: capped, starts: [.utc("2025-06-02T15:00:00+02:00")]),
            candidate(3, booked: [.from("2025-06-02T09:00:00+02:00", to: "2025-06-02T10:15:00+02:00")]),
            candidate(4, minutes: 120),
        ], slot: slot, specialty: "tax", now: now)
        #expect(match.chosen == .number(4))
        #expect(match.candidates.map(\.explanation) == [
            "chosen: 120 ledger minutes / weight 1 = 120, priority 0, never assigned",
            "not eligible: minimum notice: the expert must be booked at least 2880 minutes before the call starts",
            "not eligible: daily cap: the expert already has 1 calls that day",
            "not eligible: the expert already has a call at that time",
        ])
        let scores: [Double] = [1.0 / 121, 0, 0, 0]
        #expect(match.candidates.map(\.score) == scores)
    }

    @Test func aHoldIsNotInTheWayOfItsHolderWhenMatching() throws {
        var held = candidate(1)
        held.holds = [HeldSlot(slot: slot, customerUserID: "user_alice", expiresAt: .utc("2025-06-01T12:10:00Z"))]
        #expect(try ExpertMatcher.match([held], slot: slot, specialty: "", now: now, for: "user_alice").chosen == .number(1))
        #expect(ExpertMatcher.rank([held], slot: slot, specialty: "", now: now, for: "user_bob").candidates.first?.explanation
            == "not eligible: the slot is held by someone else")
    }

    // MARK: Simulation

    /// 60 matched bookings one after another over experts who are always free; each adds its
    /// minutes to the chosen expert's ledger, as the store's booking transaction does.
    func simulate(weights: [Int], bookings: Int = 60, minutes: (Int) -> Int = { _ in 30 }) -> [Int] {
        var ledger = Array(repeating: 0, count: weights.count)
        var lastAssigned: [Date?] = Array(repeating: nil, count: weights.count)
        var counts = Array(repeating: 0, count: weights.count)
        var now = self.now
        for booking in 0..<bookings {
            let length = minutes(booking)
            // 10:00 to 17:00 in Berlin, eight a day, well clear of midnight.
            let start = Date.utc("2025-06-10T08:00:00Z").addingTimeInterval(Double(booking / 8 * 86_400 + booking % 8 * 3_600))
            let slot = TimeSlot(start: start, end: start.addingTimeInterval(Double(length * 60)))
            let candidates = weights.indices.map {
                candidate($0 + 1, minutes: ledger[$0], weight: weights[$0], lastAssigned: lastAssigned[$0])
            }
            guard let chosen = ExpertMatcher.rank(candidates, slot: slot, specialty: "tax", now: now).chosen,
                let index = weights.indices.first(where: { ExpertID.number($0 + 1) == chosen })
            else {
                Issue.record("booking \(booking) found no expert")
                break
            }
            ledger[index] += length
            lastAssigned[index] = now
            counts[index] += 1
            now = now.addingTimeInterval(600)
        }
        return counts
    }

    @Test func sixtyBookingsOverThreeEqualExpertsAreEvenWithinTwo() {
        let counts = simulate(weights: [1, 1, 1])
        #expect(counts.reduce(0, +) == 60)
        #expect(counts.allSatisfy { abs($0 - 20) <= 2 }, "\(counts)")
        // Weight 0 is read as 1.
        #expect(simulate(weights: [0, 1, 0]).allSatisfy { abs($0 - 20) <= 2 })
    }

    @Test func weightsTwoOneOneGiveThirtyFifteenFifteenWithinThree() {
        let counts = simulate(weights: [2, 1, 1])
        #expect(counts.reduce(0, +) == 60)
        let expected = [30, 15, 15]
        #expect(zip(counts, expected).allSatisfy { abs($0 - $1) <= 3 }, "\(counts)")
    }

    @Test func mixedLengthsShareMinutesNotCounts() {
        // Lengths 15 to 60 minutes: the ledger evens out minutes, so counts may differ a little
        // more, but stay close for equal experts.
        var random = SplitMix64(seed: 8)
        let lengths = (0..<60).map { _ in 15 * (1 + random.next(upTo: 4)) }
        let counts = simulate(weights: [1, 1, 1], minutes: { lengths[$0] })
        #expect(counts.reduce(0, +) == 60)
        #expect(counts.allSatisfy { abs($0 - 20) <= 4 }, "\(counts)")
    }

    // MARK: Ledger

    @Test func customerNoShowsAndCancellationsCostTheExpertNothing() {
        var call = Call(
            id: .number(1), expertID: .number(1), customer: Customer(userID: "user_alice"), topic: "taxes",
            scheduledStart: .utc("2025-06-02T10:00:00Z"), scheduledEnd: .utc("2025-06-02T10:45:00Z"),
            createdAt: now, updatedAt: now)
        #expect(call.ledgerMinutes == 45)
        for state in [CallState.inProgress, .completed] {
            call.state = state
            #expect(call.ledgerMinutes == 45)
        }
        call.state = .cancelled
        #expect(call.ledgerMinutes == 0)
        call.state = .noShow
        call.noShowParty = .customer
        #expect(call.ledgerMinutes == 0)
        call.noShowParty = .both
        #expect(call.ledgerMinutes == 0)
        call.noShowParty = .expert
        #expect(call.ledgerMinutes == 45)
    }
}
