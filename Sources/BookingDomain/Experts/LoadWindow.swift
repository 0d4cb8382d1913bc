public import Foundation

/// GetExpertLoad's window: `[from, to)`, by default from now for four weeks, at most a year
/// and a day long, so one request reads a bounded number of counter rows.
public struct LoadWindow: Sendable, Hashable {
    public static let defaultLength: TimeInterval = 28 * 86_400
    public static let maximumDays = 366

    public let slot: TimeSlot

    public init(from: Date?, to: Date?, now: Date) throws(BookingError) {
        let start = from ?? now
        let end = to ?? start.addingTimeInterval(Self.defaultLength)
        guard start < end else { throw .invalidArgument("to must be after from") }
        guard end.timeIntervalSince(start) <= TimeInterval(Self.maximumDays * 86_400) else {
            throw .invalidArgument("the window from from to to may be at most \(Self.maximumDays) days")
        }
        self.slot = TimeSlot(start: start, end: end)
    }
}
