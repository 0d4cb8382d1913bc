import BookingDomain
import BookingStore

/// Scheduling rules and date overrides between the store's plain values and the domain.
extension StoredScheduling {
    init(_ rules: SchedulingRules, _ overrides: [DateOverride]) {
        self.init(rules: rules, dateOverrides: overrides.flatMap(Self.rows))
    }

    static func rows(_ override: DateOverride) -> [StoredDateOverride] {
        if override.isClosed { return [.closed(override.date.description)] }
        return override.hours.map {
            StoredDateOverride(date: override.date.description, startMinute: $0.start.minutes, endMinute: $0.end.minutes)
        }
    }

    /// Rows grouped back into one override per date; rows the domain could not read (they
    /// were written from validated values) are left out rather than failing a read.
    var domainOverrides: [DateOverride] {
        var byDate: [String: [LocalTimeRange]] = [:]
        var order: [String] = []
        for row in self.dateOverrides {
            if byDate[row.date] == nil {
                byDate[row.date] = []
                order.append(row.date)
            }
            if let start = row.startMinute.flatMap(LocalTime.init(minutes:)),
                let end = row.endMinute.flatMap(LocalTime.init(minutes:))
            {
                byDate[row.date]?.append(LocalTimeRange(start: start, end: end))
            }
        }
        return order.compactMap { date in
            LocalDate(date).map { DateOverride(date: $0, hours: byDate[date] ?? []) }
        }
    }
}

extension Expert {
    /// The expert with its stored rules and overrides attached.
    func with(_ scheduling: StoredScheduling?) -> Expert {
        guard let scheduling else { return self }
        var expert = self
        expert.scheduling = scheduling.rules
        expert.dateOverrides = scheduling.domainOverrides
        return expert
    }
}

extension HeldSlot {
    init(_ hold: StoredHold) {
        self.init(slot: hold.slot, customerUserID: hold.customerUserID, expiresAt: hold.expiresAt)
    }
}
