import Foundation

/// An expert's limits on when and how often they can be booked: the contract's
/// `SchedulingRules`. Every field's zero means "no limit" (or, for `weight`, 1), so the
/// default value changes nothing: an expert without rules is booked by their hours alone.
///
/// The rules are evaluated in exactly one place, `ExpertAvailability.check`, which slot
/// listing, holds, booking and matching all call.
public struct SchedulingRules: Hashable, Sendable {
    /// Minutes kept free before and after each call. A call occupies
    /// `[start − bufferBefore, end + bufferAfter)` and no two occupied ranges of one expert
    /// overlap, so the buffers of neighbouring calls add up.
    public var bufferBeforeMinutes: Int
    public var bufferAfterMinutes: Int
    /// A call must start at least this long after it is booked.
    public var minimumNoticeMinutes: Int
    /// A call may start at most this many days (of 24 hours) after it is booked; 0: no horizon.
    public var bookingHorizonDays: Int
    /// Calls per local date and per local ISO week (Monday to Sunday) in the expert's zone;
    /// 0: no cap.
    public var maxCallsPerDay: Int
    public var maxCallsPerWeek: Int
    /// Relative share of matched calls; 0 is read as 1 (`effectiveWeight`).
    public var weight: Int
    /// Higher is tried first among equally loaded experts. May be negative: 0 is the
    /// default, so "below everyone else" needs a value under it.
    public var priority: Int

    public init(
        bufferBeforeMinutes: Int = 0,
        bufferAfterMinutes: Int = 0,
        minimumNoticeMinutes: Int = 0,
        bookingHorizonDays: Int = 0,
        maxCallsPerDay: Int = 0,
        maxCallsPerWeek: Int = 0,
        weight: Int = 0,
        priority: Int = 0
    ) {
        self.bufferBeforeMinutes = bufferBeforeMinutes
        self.bufferAfterMinutes = bufferAfterMinutes
        self.minimumNoticeMinutes = minimumNoticeMinutes
        self.bookingHorizonDays = bookingHorizonDays
        self.maxCallsPerDay = maxCallsPerDay
        self.maxCallsPerWeek = maxCallsPerWeek
        self.weight = weight
        self.priority = priority
    }

    // MARK: Limits

    /// As long as the longest call (`CallLimits.maximumDuration`): a buffer longer than any
    /// call is a day off, which is what time off is for. Also bounds how far the store must
    /// widen its query for neighbouring calls.
    public static let maximumBufferMinutes = 240
    /// 30 days.
    public static let maximumNoticeMinutes = 30 * 24 * 60
    /// Two years ahead is already more than any calendar we sync plans for.
    public static let maximumHorizonDays = 730
    /// 96 is every quarter hour of a day: more can never be reached.
    public static let maximumCallsPerDay = 96
    public static let maximumCallsPerWeek = 7 * 96
    /// Ratios beyond 1000:1 are not a share any more; also keeps ledger arithmetic exact.
    public static let maximumWeight = 1_000
    public static let priorityRange = -1_000...1_000

    /// Validates the wire fields, naming the first one at fault as `<field>.<name>`.
    public func validated(field: String = "scheduling") throws(BookingError) -> SchedulingRules {
        func check(_ value: Int, _ range: ClosedRange<Int>, _ name: String) throws(BookingError) {
            guard range.contains(value) else {
                throw .invalidArgument("\(field).\(name) must be \(range.lowerBound) to \(range.upperBound), got \(value)")
            }
        }
        try check(self.bufferBeforeMinutes, 0...Self.maximumBufferMinutes, "buffer_before_minutes")
        try check(self.bufferAfterMinutes, 0...Self.maximumBufferMinutes, "buffer_after_minutes")
        try check(self.minimumNoticeMinutes, 0...Self.maximumNoticeMinutes, "minimum_notice_minutes")
        try check(self.bookingHorizonDays, 0...Self.maximumHorizonDays, "booking_horizon_days")
        try check(self.maxCallsPerDay, 0...Self.maximumCallsPerDay, "max_calls_per_day")
        try check(self.maxCallsPerWeek, 0...Self.maximumCallsPerWeek, "max_calls_per_week")
        try check(self.weight, 0...Self.maximumWeight, "weight")
        try check(self.priority, Self.priorityRange, "priority")
        return self
    }

    // MARK: Derived values

    /// `weight`, with 0 read as 1 and stored values clamped into the valid range, so that
    /// ranking never divides by zero whatever the database holds.
    public var effectiveWeight: Int { min(max(self.weight, 1), Self.maximumWeight) }

    /// The range a call in `slot` keeps the expert from other calls: the slot widened by the
    /// buffers. The store stores this range with the call (the no-overlap constraint is on
    /// it) and queries neighbours by it.
    public func occupiedRange(of slot: TimeSlot) -> TimeSlot {
        TimeSlot(
            start: slot.start.addingTimeInterval(-TimeInterval(Self.clamped(self.bufferBeforeMinutes, 0...Self.maximumBufferMinutes) * 60)),
            end: slot.end.addingTimeInterval(TimeInterval(Self.clamped(self.bufferAfterMinutes, 0...Self.maximumBufferMinutes) * 60)))
    }

    /// The earliest start a booking made at `now` may have.
    func earliestStart(now: Date) -> Date {
        now.addingTimeInterval(TimeInterval(Self.clamped(self.minimumNoticeMinutes, 0...Self.maximumNoticeMinutes) * 60))
    }

    /// The latest start a booking made at `now` may have; `nil` without a horizon.
    func latestStart(now: Date) -> Date? {
        guard self.bookingHorizonDays > 0 else { return nil }
        return now.addingTimeInterval(TimeInterval(min(self.bookingHorizonDays, Self.maximumHorizonDays) * 86_400))
    }

    static func clamped(_ value: Int, _ range: ClosedRange<Int>) -> Int {
        min(max(value, range.lowerBound), range.upperBound)
    }
}
