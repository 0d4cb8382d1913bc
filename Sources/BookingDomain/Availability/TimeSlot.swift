public import Foundation

/// A range of absolute time, `[start, end)`: the contract's `TimeSlot`.
///
/// Half-open, so back-to-back calls (10:00–10:30, 10:30–11:00) do not overlap, matching the
/// `tstzrange` '[)' exclusion constraint in the database. The initializer does not check
/// `start < end`: slots also arrive from the wire and the database, and the validators say
/// which field is wrong (`CallRequest`, `AvailabilityUpdate`).
public struct TimeSlot: Hashable, Sendable, CustomStringConvertible {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public var duration: TimeInterval { self.end.timeIntervalSince(self.start) }

    /// Whether some instant lies in both ranges (touching ends do not overlap).
    public func overlaps(_ other: TimeSlot) -> Bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies entirely inside this range.
    public func contains(_ other: TimeSlot) -> Bool {
        self.start <= other.start && other.end <= self.end
    }

    public var description: String {
        "\(self.start.formatted(.iso8601))–\(self.end.formatted(.iso8601))"
    }
}
