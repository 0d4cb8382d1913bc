public import Foundation

/// Picks the expert for a call booked or held without one (`CreateCall` or `HoldSlot` with
/// an empty `expert_id`, a Calendly booking whose host is taken, `ReassignCall`).
///
/// Eligible means having the specialty and passing `ExpertAvailability.check`, the rules
/// listing and booking use. Eligible experts whose topics match words of the call's topic
/// (`TopicMatch`) come first; within that group, and within the rest, fair and weighted: the lowest ledger load per
/// unit of weight (`ledgerMinutes / weight`), then the higher priority, then the least
/// recently assigned (never assigned first), then the smaller id, so that two replicas given
/// the same data pick the same expert. With equal weights this is round-robin by minutes;
/// with weights 2:1:1 the first gets half the minutes.
///
/// Every candidate gets a score and an explanation (`Assignment.candidates`): the score is
/// `1 / (1 + ledgerMinutes / weight)` for the eligible (higher is better, in (0, 1]) and 0
/// for the others, whose explanation names the rule that refused them.
public enum ExpertMatcher {
    /// Ranks every candidate, best first; `chosen` is `nil` when none is eligible.
    ///
    /// `topic` is the call's (empty: no topic preference), `customerUserID` who books (their
    /// own holds do not block them), `rules` as for `check` (`.calendly` for a Calendly
    /// booking), and `excluding` lists experts that must not be chosen (the current expert of
    /// a call being reassigned).
    public static func rank(
        _ candidates: [MatchCandidate], slot: TimeSlot, specialty: String, topic: String = "", now: Date,
        for customerUserID: String = "", rules: RuleSet = .all, excluding: Set<ExpertID> = []
    ) -> ExpertMatch {
        var eligible: [MatchCandidate] = []
        var refused: [(id: ExpertID, reason: String)] = []
        for candidate in candidates {
            if excluding.contains(candidate.expert.id) {
                refused.append((candidate.expert.id, "the call's current expert"))
            } else if !candidate.expert.hasSpecialty(specialty) {
                refused.append((candidate.expert.id, "no specialty \(InputText.quoted(specialty))"))
            } else if let refusal = candidate.availability.check(slot, now: now, for: customerUserID, rules: rules) {
                refused.append((candidate.expert.id, refusal.description))
            } else {
                eligible.append(candidate)
            }
        }
        let topicMatch = TopicMatch(topic: topic)
        let topics = Dictionary(
            eligible.map { ($0.expert.id, topicMatch.matchingTopics(of: $0.expert)) }, uniquingKeysWith: { first, _ in first })
        let anyMatch = topics.values.contains { !$0.isEmpty }
        eligible.sort { lhs, rhs in
            let left = !(topics[lhs.expert.id] ?? []).isEmpty
            let right = !(topics[rhs.expert.id] ?? []).isEmpty
            return left != right ? left : Self.isPreferred(lhs, over: rhs)
        }
        refused.sort { $0.id < $1.id }

        var scores: [CandidateScore] = []
        for (rank, candidate) in eligible.enumerated() {
            var explanation = "\(rank == 0 ? "chosen" : "free, ranked \(rank + 1)"): "
            if anyMatch { explanation += Self.explainTopics(topics[candidate.expert.id] ?? [], of: topic) + "; " }
            scores.append(CandidateScore(
                expertID: candidate.expert.id, score: 1 / (1 + candidate.scaledLoad),
                explanation: explanation + Self.explainLoad(candidate)))
        }
        for (id, reason) in refused {
            scores.append(CandidateScore(expertID: id, score: 0, explanation: "not eligible: \(reason)"))
        }
        return ExpertMatch(chosen: eligible.first?.expert.id, candidates: scores, slot: slot, specialty: specialty)
    }

    /// `rank`, refusing with FAILED_PRECONDITION when no expert is eligible.
    public static func match(
        _ candidates: [MatchCandidate], slot: TimeSlot, specialty: String, topic: String = "", now: Date,
        for customerUserID: String = "", rules: RuleSet = .all, excluding: Set<ExpertID> = []
    ) throws(BookingError) -> ExpertMatch {
        let match = Self.rank(
            candidates, slot: slot, specialty: specialty, topic: topic, now: now, for: customerUserID, rules: rules,
            excluding: excluding)
        guard match.chosen != nil else { throw match.noMatchError }
        return match
    }

    /// Less load per unit of weight, then higher priority, then longer since the last
    /// assignment (never is longest), then smaller id.
    private static func isPreferred(_ lhs: MatchCandidate, over rhs: MatchCandidate) -> Bool {
        if let less = lhs.isLessLoaded(than: rhs) { return less }
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
        switch (lhs.lastAssignedAt, rhs.lastAssignedAt) {
        case (nil, .some): return true
        case (.some, nil): return false
        case (.some(let left), .some(let right)) where left != right: return left < right
        default: return lhs.expert.id < rhs.expert.id
        }
    }

    /// `topic "VAT" matches the call's topic, preferred` or `no topic matches "Question on
    /// VAT"`: said only when some eligible expert matched, since only then it decided anything.
    private static func explainTopics(_ matching: [String], of topic: String) -> String {
        if matching.isEmpty { return "no topic matches \(InputText.quoted(topic))" }
        let names = matching.map { InputText.quoted($0) }.joined(separator: ", ")
        return "\(matching.count == 1 ? "topic" : "topics") \(names) \(matching.count == 1 ? "matches" : "match") the call's topic, preferred"
    }

    /// "90 ledger minutes / weight 2 = 45, priority 0, never assigned": every ranking key, in
    /// order, so an admin can replay the decision.
    private static func explainLoad(_ candidate: MatchCandidate) -> String {
        let assigned = candidate.lastAssignedAt.map { "last assigned \($0.formatted(.iso8601))" } ?? "never assigned"
        // Whole when exact, else two decimals; String(format:) ignores the locale.
        let scaled = candidate.rankedMinutes % candidate.weight == 0
            ? "\(candidate.rankedMinutes / candidate.weight)" : String(format: "%.2f", candidate.scaledLoad)
        return "\(candidate.rankedMinutes) ledger minutes / weight \(candidate.weight) = \(scaled), "
            + "priority \(candidate.priority), \(assigned)"
    }
}

/// The outcome of matching: the chosen expert, if any, and every candidate's score.
public struct ExpertMatch: Hashable, Sendable {
    public let chosen: ExpertID?
    /// Best first: the eligible by rank, then the others by id.
    public let candidates: [CandidateScore]
    public let slot: TimeSlot
    public let specialty: String
    /// MATCHED, or REASSIGNED from `ExpertMatcher.reassign`.
    public let reason: Assignment.Reason
    /// The assignment note: empty for a match, the admin's reason for a reassignment.
    public let note: String

    init(
        chosen: ExpertID?, candidates: [CandidateScore], slot: TimeSlot, specialty: String,
        reason: Assignment.Reason = .matched, note: String = ""
    ) {
        self.chosen = chosen
        self.candidates = candidates
        self.slot = slot
        self.specialty = specialty
        self.reason = reason
        self.note = note
    }

    /// What the call records as its `assignment`.
    public var assignment: Assignment {
        Assignment(reason: self.reason, note: self.note, candidates: self.candidates)
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
