/// Which of the optional rules a check applies.
///
/// Always applied, whatever the set: the expert is active and their zone known, the slot is
/// not during time off, does not collide with another call or its buffers, and is not held
/// by someone else. The rest can be skipped by a caller that has a reason, named here.
public struct RuleSet: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The slot starts no earlier than now plus the minimum notice (so never in the past).
    public static let notice = RuleSet(rawValue: 1 << 0)
    /// The slot starts no later than now plus the booking horizon.
    public static let horizon = RuleSet(rawValue: 1 << 1)
    /// The slot lies within the weekly hours or the date override of its local date.
    public static let hours = RuleSet(rawValue: 1 << 2)
    /// The day and week caps.
    public static let caps = RuleSet(rawValue: 1 << 3)

    /// Listing, holds, `CreateCall`, matching and reassignment.
    public static let all: RuleSet = [.notice, .horizon, .hours, .caps]
    /// Calendly bookings: Calendly applied its own notice, horizon, hours and caps, and a
    /// delivery may arrive after the call began (contract: "Calendly bookings").
    public static let calendly: RuleSet = []
}
