/// One expert considered by matching: the contract's `CandidateScore`.
///
/// `score` is higher-is-better, in (0, 1] for an eligible expert (`1 / (1 + load)`), and 0
/// for one that could not take the call; `explanation` says why, in words an admin reads
/// when deciding a reassignment. Issue 8 scales the load by `weight`, keeping the direction.
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
