/// Why a call has the expert it has; the contract's `Assignment`.
///
/// Carried on `Call` so that matching's explanation travels with the call (the store keeps
/// it); `candidates` is what `ExpertMatcher` returns, best first, and only admins see it.
public struct Assignment: Hashable, Sendable {
    public enum Reason: String, Hashable, Sendable {
        /// The caller named the expert.
        case requested = "REQUESTED"
        /// The service matched an expert for the specialty.
        case matched = "MATCHED"
        /// The host of the Calendly event.
        case calendlyHost = "CALENDLY_HOST"
        /// An admin reassigned the call.
        case reassigned = "REASSIGNED"
    }

    public var reason: Reason
    public var note: String
    public var candidates: [CandidateScore]

    public init(reason: Reason, note: String = "", candidates: [CandidateScore] = []) {
        self.reason = reason
        self.note = note
        self.candidates = candidates
    }
}
