public import Foundation

/// An expert the matcher may pick, with what the database knows about their schedule and
/// their load.
///
/// The schedule fields are `ExpertAvailability`'s inputs, so eligibility is the same `check`
/// that listing and booking use. The load is the persistent ledger (booked minutes per expert
/// per period, updated in the booking transaction):
/// - the same period for every candidate (the store picks it, e.g. the month of the slot);
/// - minutes of the expert's calls in it as `Call.ledgerMinutes` counts them: cancelled
///   calls and customer no-shows count 0, so a customer who does not come does not cost the
///   expert future calls;
/// - not divided by weight: the matcher scales it.
public struct MatchCandidate: Sendable {
    public var expert: Expert
    /// Occupied ranges of the expert's calls around the requested slot, as for `ExpertAvailability`.
    public var booked: [TimeSlot]
    /// The expert's calls per local day and week, for the caps.
    public var calls: CallCounts
    /// The expert's holds not yet converted into calls.
    public var holds: [HeldSlot]
    /// Ledger minutes in the period, see above. Fewer, per unit of weight, is preferred.
    public var ledgerMinutes: Int
    /// When the expert was last given a call by matching; `nil` if never, which ranks first.
    public var lastAssignedAt: Date?

    public init(
        expert: Expert, booked: [TimeSlot], calls: CallCounts = CallCounts(), holds: [HeldSlot] = [],
        ledgerMinutes: Int, lastAssignedAt: Date?
    ) {
        self.expert = expert
        self.booked = booked
        self.calls = calls
        self.holds = holds
        self.ledgerMinutes = ledgerMinutes
        self.lastAssignedAt = lastAssignedAt
    }

    var availability: ExpertAvailability {
        ExpertAvailability(expert: self.expert, booked: self.booked, calls: self.calls, holds: self.holds)
    }

    /// Ledger minutes as ranked: clamped to 0 ... 10⁹ (a database value must not trap the
    /// products in `isLessLoaded`).
    var rankedMinutes: Int { min(max(self.ledgerMinutes, 0), 1_000_000_000) }
    var weight: Int { self.expert.scheduling.effectiveWeight }
    var priority: Int { SchedulingRules.clamped(self.expert.scheduling.priority, SchedulingRules.priorityRange) }

    /// Ledger minutes per unit of weight: the load that matching evens out.
    var scaledLoad: Double { Double(self.rankedMinutes) / Double(self.weight) }

    /// Compares `minutes / weight` exactly, by cross-multiplying (≤ 10¹² each side).
    func isLessLoaded(than other: MatchCandidate) -> Bool? {
        let left = self.rankedMinutes * other.weight
        let right = other.rankedMinutes * self.weight
        return left == right ? nil : left < right
    }
}
