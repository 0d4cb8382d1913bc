public import Foundation

/// Picks the expert for a call booked without one (`CreateCall` with an empty `expert_id`).
///
/// Eligible means active, having the specialty, and free by `ExpertAvailability.check`, the
/// same rules listing and booking use. Among the eligible: fewest calls in the window, then
/// least recently assigned (never assigned first), then the smaller id, so that two replicas
/// given the same data pick the same expert. Every candidate gets a score and an explanation
/// (`Assignment.candidates`), so an admin can see why the call went where it did.
public enum ExpertMatcher {
    /// Ranks every candidate, best first; `chosen` is `nil` when none is eligible.
    public static func rank(
        _ candidates: [MatchCandidate], slot: TimeSlot, specialty: String, now: Date
    ) -> ExpertMatch {
        var eligible: [MatchCandidate] = []
        var refused: [(id: ExpertID, reason: String)] = []
        for candidate in candidates {
            if !candidate.expert.hasSpecialty(specialty) {
                refused.append((candidate.expert.id, "no specialty \(InputText.quoted(specialty))"))
            } else if let refusal = ExpertAvailability(expert: candidate.expert, booked: candidate.booked)
                .check(slot, now: now)
            {
                refused.append((candidate.expert.id, refusal.description))
            } else {
                eligible.append(candidate)
            }
        }
        eligible.sort(by: Self.isPreferred)
        refused.sort { $0.id < $1.id }

        var scores: [CandidateScore] = []
        for (rank, candidate) in eligible.enumerated() {
            let verdict = rank == 0 ? "chosen" : "free, ranked \(rank + 1)"
            let assigned = candidate.lastAssignedAt.map { "last assigned \($0.formatted(.iso8601))" } ?? "never assigned"
            scores.append(CandidateScore(
                expertID: candidate.expert.id,
                score: 1 / (1 + Double(max(0, candidate.load))),
                explanation: "\(verdict): \(candidate.load) calls in the load window, \(assigned)"))
        }
        for (id, reason) in refused {
            scores.append(CandidateScore(expertID: id, score: 0, explanation: "not eligible: \(reason)"))
        }
        return ExpertMatch(chosen: eligible.first?.expert.id, candidates: scores, slot: slot, specialty: specialty)
    }

    /// `rank`, refusing with FAILED_PRECONDITION when no expert is eligible.
    public static func match(
        _ candidates: [MatchCandidate], slot: TimeSlot, specialty: String, now: Date
    ) throws(BookingError) -> ExpertMatch {
        let match = Self.rank(candidates, slot: slot, specialty: specialty, now: now)
        guard match.chosen != nil else { throw match.noMatchError }
        return match
    }

    /// Fewer calls, then longer since the last assignment (never is longest), then smaller id.
    private static func isPreferred(_ lhs: MatchCandidate, over rhs: MatchCandidate) -> Bool {
        if lhs.load != rhs.load { return lhs.load < rhs.load }
        switch (lhs.lastAssignedAt, rhs.lastAssignedAt) {
        case (nil, .some): return true
        case (.some, nil): return false
        case (.some(let left), .some(let right)) where left != right: return left < right
        default: return lhs.expert.id < rhs.expert.id
        }
    }
}

/// The outcome of matching: the chosen expert, if any, and every candidate's score.
public struct ExpertMatch: Hashable, Sendable {
    public let chosen: ExpertID?
    /// Best first: the eligible by rank, then the others by id.
    public let candidates: [CandidateScore]
    public let slot: TimeSlot
    public let specialty: String

    /// What a matched call records as its `assignment`.
    public var assignment: Assignment {
        Assignment(reason: .matched, candidates: self.candidates)
    }

    /// FAILED_PRECONDITION naming the specialty and the time: the refusal for `CreateCall`,
    /// and the note a Calendly booking left without an expert carries.
    public var noMatchError: BookingError {
        let who = self.specialty.trimmingCharacters(in: .whitespaces).isEmpty
            ? "no expert" : "no expert with specialty \(InputText.quoted(self.specialty))"
        return .failedPrecondition(
            "\(who) is free from \(self.slot.start.formatted(.iso8601)) to \(self.slot.end.formatted(.iso8601))")
    }
}
