/// Why a slot cannot be booked with an expert: one case per rule, so that the error names it.
///
/// Issue 8 adds its rules here (buffer, notice, horizon, day and week caps, held by someone
/// else) and checks them in `ExpertAvailability.check`, which listing uses too.
public enum SlotRefusal: Hashable, Sendable, CustomStringConvertible {
    case expertInactive
    /// The expert's stored zone is not one this machine knows.
    case unknownTimeZone(String)
    case startsInThePast
    case outsideWeeklyHours
    case duringTimeOff
    /// Another call of the expert overlaps the slot.
    case taken

    /// FAILED_PRECONDITION naming the rule; a slot taken by another call is ALREADY_EXISTS
    /// (contract: "Scheduling rules, holds and reassignment").
    public var error: BookingError {
        switch self {
        case .taken: return .alreadyExists("the expert already has a call at that time")
        default: return .failedPrecondition(self.description)
        }
    }

    public var description: String {
        switch self {
        case .expertInactive: return "the expert is not active"
        case .unknownTimeZone(let identifier): return "the expert's timezone \(InputText.quoted(identifier)) is unknown"
        case .startsInThePast: return "the slot starts in the past"
        case .outsideWeeklyHours: return "the slot is outside the expert's weekly hours"
        case .duringTimeOff: return "the slot is during the expert's time off"
        case .taken: return "the expert already has a call at that time"
        }
    }
}
