/// One expert considered by matching: the contract's `CandidateScore`.
///
/// `score` is higher-is-better, in (0, 1] for an eligible expert
/// (`1 / (1 + ledgerMinutes / weight)`), and 0 for one that could not take the call;
/// `explanation` gives every ranking key or the rule that refused, in words an admin reads
/// when deciding a reassignment.
public struct CandidateScore: Hashable, Sendable {
    public var expertID: ExpertID
    public var score: Double
    public var explanation: String

    public init(expertID: ExpertID, score: Double, explanation: String) {
        self.expertID = expertID
        self.score = score
        self.explanation = explanation
    }
}
