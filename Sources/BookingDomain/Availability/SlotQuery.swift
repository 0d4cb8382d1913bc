public import Foundation

/// A request for bookable slots: the window of `ListExperts` and the slot length.
public struct SlotQuery: Hashable, Sendable {
    /// Slots start on this grid of the expert's local time (contract: "Slots").
    public static let gridMinutes = 15
    /// `slot_minutes` 0 means this.
    public static let defaultSlotMinutes = 30
    /// Bounds the work of one listing: a week of 15-minute starts is ~700 checks per expert.
    public static let maximumWindow: TimeInterval = 31 * 86_400

    /// Slots lie entirely inside `[window.start, window.end)`.
    public let window: TimeSlot
    public let slotMinutes: Int

    public var slotLength: TimeInterval { TimeInterval(self.slotMinutes * 60) }

    /// Validates the request fields. The slot length must be one `CreateCall` accepts
    /// (`CallLimits`), or an offered slot could not be booked.
    public init(from: Date, to: Date, slotMinutes: Int = 0) throws(BookingError) {
        guard from < to else {
            throw .invalidArgument("available_from must be before available_to")
        }
        guard to.timeIntervalSince(from) <= Self.maximumWindow else {
            throw .invalidArgument("available_from to available_to may span at most 31 days")
        }
        let minutes = slotMinutes == 0 ? Self.defaultSlotMinutes : slotMinutes
        let limits = CallLimits.minimumDuration...CallLimits.maximumDuration
        guard limits.contains(TimeInterval(minutes) * 60) else {
            throw .invalidArgument(
                "slot_minutes must be \(Int(CallLimits.minimumDuration / 60)) to \(Int(CallLimits.maximumDuration / 60)), got \(slotMinutes)")
        }
        self.window = TimeSlot(start: from, end: to)
        self.slotMinutes = minutes
    }
}
