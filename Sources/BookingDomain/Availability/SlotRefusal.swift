/// Why a slot cannot be booked with an expert: one case per rule, so that the error names it.
///
/// `ExpertAvailability.check` returns the first rule a slot breaks, in the order of the cases
/// here: the expert, then the clock (notice, horizon), the expert's hours and time off, other
/// calls and holds, and last the caps.
public enum SlotRefusal: Hashable, Sendable, CustomStringConvertible {
    case expertInactive
    /// The expert's stored zone is not one this machine knows.
    case unknownTimeZone(String)
    case startsInThePast
    /// The slot starts sooner than the expert's minimum notice (in minutes) allows.
    case minimumNotice(minutes: Int)
    /// The slot starts further ahead than the expert's booking horizon (in days) allows.
    case beyondHorizon(days: Int)
    case outsideWeeklyHours
    /// A date override gives the slot's local date other hours, and the slot is not in them.
    case outsideDateOverride(LocalDate)
    /// A date override with no hours: the expert does not work that local date.
    case closedOnDate(LocalDate)
    /// The slot meets the expert's time off or a busy time of their synced calendar.
    case duringTimeOff
    /// Another call of the expert, or that call's buffers, overlap the slot.
    case taken
    /// The slot itself is free, but the expert's buffers around it reach another call.
    case buffersOverlapAnotherCall
    /// Another customer holds the slot (or it is within the buffers of their hold).
    case heldByAnother
    /// The expert has their maximum number of calls (given) on the slot's local date.
    case dailyCapReached(Int)
    /// The expert has their maximum number of calls (given) in the slot's local ISO week.
    case weeklyCapReached(Int)

    /// FAILED_PRECONDITION naming the rule; a collision with another call or its buffers is
    /// ALREADY_EXISTS (contract: "Scheduling rules, holds and reassignment" and "Slots"), as
    /// the database's no-overlap constraint answers when two bookings race.
    public var error: BookingError {
        switch self {
        case .taken, .buffersOverlapAnotherCall: return .alreadyExists(self.description)
        default: return .failedPrecondition(self.description)
        }
    }

    public var description: String {
        switch self {
        case .expertInactive: return "the expert is not active"
        case .unknownTimeZone(let identifier): return "the expert's timezone \(InputText.quoted(identifier)) is unknown"
        case .startsInThePast: return "the slot starts in the past"
        case .minimumNotice(let minutes):
            return "minimum notice: the expert must be booked at least \(minutes) minutes before the call starts"
        case .beyondHorizon(let days):
            return "booking horizon: the expert can be booked at most \(days) days ahead"
        case .outsideWeeklyHours: return "the slot is outside the expert's weekly hours"
        case .outsideDateOverride(let date): return "the slot is outside the expert's hours for \(date) (date override)"
        case .closedOnDate(let date): return "the expert is not available on \(date) (date override)"
        case .duringTimeOff: return "the slot is during the expert's time off or a busy time of their calendar"
        case .taken: return "the expert already has a call at that time"
        case .buffersOverlapAnotherCall:
            return "buffer: the expert's buffer time around the slot overlaps another call"
        case .heldByAnother: return "the slot is held by someone else"
        case .dailyCapReached(let cap): return "daily cap: the expert already has \(cap) calls that day"
        case .weeklyCapReached(let cap): return "weekly cap: the expert already has \(cap) calls that week"
        }
    }
}
