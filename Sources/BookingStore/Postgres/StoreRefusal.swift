/// A write the schema refused for a reason a client can act on, parsed once from the
/// constraint or rule the server named (`StoreError.refusal`), so nothing above the store
/// compares constraint names.
public enum StoreRefusal: Hashable, Sendable {
    /// The expert has another call (or a hold) in that time, buffers included.
    case expertBusy
    /// Someone else holds the slot.
    case slotHeld
    /// The expert's `max_calls_per_day` in their time zone is reached.
    case expertDayCap
    /// The expert's `max_calls_per_week` is reached.
    case expertWeekCap
    case holdNotFound
    /// The hold was released or already booked.
    case holdUsed
    /// The hold is for another expert, customer or time.
    case holdMismatch
    /// The customer has `HOLDS_PER_CUSTOMER` live holds already.
    case tooManyHolds
    case duplicateExpertEmail
    case duplicateExpertClerkUser
    case duplicateExpertCalendlyUser

    /// The expert could not take the slot because of other bookings: matching another
    /// expert (or the same one again, later) may succeed.
    public var isExpertUnavailable: Bool {
        switch self {
        case .expertBusy, .slotHeld, .expertDayCap, .expertWeekCap: true
        default: false
        }
    }

    init?(code: StoreError.Code, constraint: String?) {
        switch (code, constraint) {
        case (.exclusionViolation, "calls_expert_no_overlap"), (.exclusionViolation, "expert_occupancy_no_overlap"):
            self = .expertBusy
        case (.ruleViolation, "slot_held"): self = .slotHeld
        case (.ruleViolation, "expert_day_cap"): self = .expertDayCap
        case (.ruleViolation, "expert_week_cap"): self = .expertWeekCap
        case (.ruleViolation, "hold_not_found"): self = .holdNotFound
        case (.ruleViolation, "hold_released"), (.ruleViolation, "hold_converted"): self = .holdUsed
        case (.ruleViolation, "hold_mismatch"): self = .holdMismatch
        case (.ruleViolation, "holds_per_customer"): self = .tooManyHolds
        case (.uniqueViolation, "experts_email_key"): self = .duplicateExpertEmail
        case (.uniqueViolation, "experts_clerk_user_id_key"): self = .duplicateExpertClerkUser
        case (.uniqueViolation, "experts_calendly_user_uri_key"): self = .duplicateExpertCalendlyUser
        default: return nil
        }
    }
}

extension StoreError {
    /// What the schema refused, when it is one of the refusals a client can act on.
    public var refusal: StoreRefusal? { StoreRefusal(code: self.code, constraint: self.constraint) }
}
