public import Foundation

/// A slot an expert keeps for one customer while they fill in the booking form (`HoldSlot`):
/// what the rule evaluation needs of a hold.
///
/// Others cannot book or be offered a slot whose occupied range meets the hold's, and an
/// unexpired hold of another customer counts towards the expert's day and week caps, so a
/// hold converts into a booking whatever others book meanwhile. The holder's own holds never
/// stand in their way. The hold's range is widened by the expert's current buffers, exactly
/// as the call it becomes will be.
public struct HeldSlot: Hashable, Sendable {
    public var slot: TimeSlot
    /// The customer's Clerk user id (`SlotHold.customer_user_id`).
    public var customerUserID: String
    /// From `expiresAt` on the hold is ignored, so the store may pass expired holds it has
    /// not swept yet.
    public var expiresAt: Date

    public init(slot: TimeSlot, customerUserID: String, expiresAt: Date) {
        self.slot = slot
        self.customerUserID = customerUserID
        self.expiresAt = expiresAt
    }

    /// Whether this hold stands in the way of `customerUserID` at `now`. An empty requester
    /// (nobody in particular) is blocked by every hold, and an empty holder blocks everyone.
    public func blocks(_ customerUserID: String, now: Date) -> Bool {
        now < self.expiresAt && (self.customerUserID.isEmpty || self.customerUserID != customerUserID)
    }
}
