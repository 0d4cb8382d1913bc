public import BookingDomain

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

/// The scheduling half of an expert's record: rules and date overrides, date overrides ordered by
/// date then start (a closed day first).
public struct StoredScheduling: Sendable, Hashable {
    public var rules: SchedulingRules
    public var dateOverrides: [StoredDateOverride]

    public init(rules: SchedulingRules = SchedulingRules(), dateOverrides: [StoredDateOverride] = []) {
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
