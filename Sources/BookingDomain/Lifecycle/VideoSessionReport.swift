public import Foundation

/// What the video provider says of an overdue call's session when asked
/// (`CallLifecycle.settleOverdue`): the fallback for a session end whose webhook never came.
public enum VideoSessionReport: Hashable, Sendable {
    /// Not asked: the call was not overdue when the check ran.
    case notAsked
    /// The session ended at this time; the attendance (with whoever the provider listed)
    /// judges the outcome, as the session's end would have.
    case ended(at: Date)
    /// People are in the session now: the call runs long.
    case live
    /// The provider cannot say (no such call, no session, no answer); `reason` is for the log.
    case unknown(reason: String)
}
