public import Foundation

/// An expert the matcher may pick, with what the database knows about their schedule.
public struct MatchCandidate: Sendable {
    public var expert: Expert
    /// The expert's occupying calls around the requested slot, as for `ExpertAvailability`.
    public var booked: [TimeSlot]
    /// Calls of the expert in a window surrounding the requested slot, the same window for
    /// every candidate (the store picks it). Fewer is preferred.
    public var load: Int
    /// When the expert was last given a call by matching; `nil` if never, which ranks first.
    public var lastAssignedAt: Date?

    public init(expert: Expert, booked: [TimeSlot], load: Int, lastAssignedAt: Date?) {
        self.expert = expert
        self.booked = booked
        self.load = load
        self.lastAssignedAt = lastAssignedAt
    }
}
