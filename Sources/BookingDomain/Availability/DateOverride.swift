/// A range of wall-clock times within one day: the contract's `LocalTimeRange`.
public struct LocalTimeRange: Hashable, Sendable, CustomStringConvertible {
    public var start: LocalTime
    public var end: LocalTime

    public init(start: LocalTime, end: LocalTime) {
        self.start = start
        self.end = end
    }

    /// Parses the wire fields; `field` names the entry in errors ("date_overrides[0].hours[1]").
    public init(startTime: String, endTime: String, field: String) throws(BookingError) {
        self.start = try LocalTime(validating: startTime, field: "\(field).start_time")
        self.end = try LocalTime(validating: endTime, field: "\(field).end_time")
    }

    public var description: String { "\(self.start)–\(self.end)" }
}

/// Other hours on one local date, replacing that weekday's weekly hours: the contract's
/// `DateOverride`. Empty `hours` means closed that day.
///
/// Local, like `WeeklyHours`: "2025-12-24 09:00–12:00" is on the expert's wall clock, and
/// `ExpertCalendar` turns it into instants with the same DST rule.
public struct DateOverride: Hashable, Sendable, CustomStringConvertible {
    public var date: LocalDate
    public var hours: [LocalTimeRange]

    public init(date: LocalDate, hours: [LocalTimeRange]) {
        self.date = date
        self.hours = hours
    }

    /// Parses the wire fields of `date_overrides[index]`; the ranges are checked against each
    /// other by `AvailabilityUpdate`.
    public init(date: String, hours: [(startTime: String, endTime: String)], index: Int) throws(BookingError) {
        guard let parsed = LocalDate(date) else {
            throw .invalidArgument(
                "date_overrides[\(index)].date must be a local date \"YYYY-MM-DD\", got \(InputText.quoted(date))")
        }
        self.date = parsed
        self.hours = []
        for (rangeIndex, range) in hours.enumerated() {
            self.hours.append(try LocalTimeRange(
                startTime: range.startTime, endTime: range.endTime, field: "date_overrides[\(index)].hours[\(rangeIndex)]"))
        }
    }

    public var isClosed: Bool { self.hours.isEmpty }

    public var description: String {
        self.isClosed ? "\(self.date) closed" : "\(self.date) \(self.hours.map(\.description).joined(separator: ", "))"
    }
}
