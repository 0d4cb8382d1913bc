extension Call {
    /// The minutes this call adds to its expert's load ledger (`MatchCandidate.ledgerMinutes`):
    /// the scheduled length in whole minutes, or 0 when it cost the expert no share of work.
    ///
    /// - CANCELLED: 0, the slot went back to the pool.
    /// - NO_SHOW by the customer, or by both: 0; a customer's no-show does not count against
    ///   the expert.
    /// - NO_SHOW by the expert only: counted, so an expert who missed a call is not given more
    ///   calls for it.
    /// - SCHEDULED, IN_PROGRESS, COMPLETED: counted.
    ///
    /// The store writes this into the ledger in the booking transaction and corrects it in the
    /// transaction that changes the state.
    public var ledgerMinutes: Int {
        switch self.state {
        case .cancelled: return 0
        case .noShow where self.noShowParty != .expert: return 0
        case .scheduled, .inProgress, .completed, .noShow:
            let seconds = self.scheduledEnd.timeIntervalSince(self.scheduledStart)
            guard seconds.isFinite, seconds > 0 else { return 0 }
            return Int(min(seconds, CallLimits.maximumDuration) / 60)
        }
    }
}
