/// An expert's scheduling rules as stored in `calls.experts` (migration 2), in plain values.
///
/// The domain's `SchedulingRules` is being written in parallel; the store does not wait for it.
/// The app maps between the two, and the database's CHECKs bound every field (out of range is
/// StoreError.checkViolation naming `experts_<column>_range`). Meanings are the contract's:
/// 0 caps and 0 horizon mean none; weight 0 is read as 1 by the matcher.
public struct StoredSchedulingRules: Sendable, Hashable {
    public var bufferBeforeMinutes: Int
    public var bufferAfterMinutes: Int
    public var minimumNoticeMinutes: Int
    public var bookingHorizonDays: Int
    public var maxCallsPerDay: Int
    public var maxCallsPerWeek: Int
    public var weight: Int
    public var priority: Int

    public init(
        bufferBeforeMinutes: Int = 0, bufferAfterMinutes: Int = 0, minimumNoticeMinutes: Int = 0,
        bookingHorizonDays: Int = 0, maxCallsPerDay: Int = 0, maxCallsPerWeek: Int = 0, weight: Int = 1,
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

    /// The column defaults: no buffers, notice, horizon or caps; weight 1, priority 0.
    public static let none = StoredSchedulingRules()
}

/// One row of `calls.expert_date_overrides`: on local `date` ("YYYY-MM-DD" in the expert's
/// zone) the expert works `startMinute..<endMinute` (minutes of the local day, like weekly
/// hours) instead of the weekly hours; both nil means closed that day. A date has either one
/// closed row or any number of non-overlapping ranges (the table's exclusion constraint).
public struct StoredDateOverride: Sendable, Hashable {
    public var date: String
    public var startMinute: Int?
    public var endMinute: Int?

    public init(date: String, startMinute: Int?, endMinute: Int?) {
        self.date = date
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public static func closed(_ date: String) -> StoredDateOverride {
        StoredDateOverride(date: date, startMinute: nil, endMinute: nil)
    }

    public var isClosed: Bool { self.startMinute == nil && self.endMinute == nil }
}

/// The issue 8 half of an expert's record: rules and date overrides, date overrides ordered by
/// date then start (a closed day first).
public struct StoredScheduling: Sendable, Hashable {
    public var rules: StoredSchedulingRules
    public var dateOverrides: [StoredDateOverride]

    public init(rules: StoredSchedulingRules = .none, dateOverrides: [StoredDateOverride] = []) {
        self.rules = rules
        self.dateOverrides = dateOverrides
    }
}

/// Minutes an occupied range reaches before and after the scheduled time (CONTRACT "Slots": a
/// call occupies `[start − before, end + after)`). Bounded 0...1440 by the schema.
public struct StoredBuffers: Sendable, Hashable {
    public var beforeMinutes: Int
    public var afterMinutes: Int

    public init(beforeMinutes: Int, afterMinutes: Int) {
        self.beforeMinutes = beforeMinutes
        self.afterMinutes = afterMinutes
    }
}
