public import BookingDomain

/// The product's rules, read once from the environment and handed to the domain as values:
/// when reminders go, how long a no-show waits, how long a hold lives, how many one may have,
/// what a call asks its customer to prepare.
public struct ProductSettings: Sendable, Hashable {
    /// `REMINDER_OFFSETS_MINUTES` [`1440,15`], `NO_SHOW_GRACE_SECONDS` [600] and
    /// `CALL_END_GRACE_SECONDS` [3600].
    public var lifecycle: LifecycleSettings
    /// `HOLD_MINUTES` [10]: how long a slot hold lives.
    public var holdDuration: Duration
    /// `HOLDS_PER_CUSTOMER` [3]: live holds one customer may have at once.
    public var holdsPerCustomer: Int
    /// `RATE_LIMIT_PER_MINUTE` [60]: bookings and holds one customer may start per minute.
    public var bookingsPerMinute: Int
    /// `PREPARATION_FILE` [unset: built-in texts]: what each booked call asks its customer to prepare.
    public var preparation: PreparationGuide

    /// Longest reminder offset: 30 days. Further out, a booking's details are likely to change.
    static let maximumReminderOffsetMinutes = 43_200
    static let maximumNoShowGraceSeconds = 86_400
    /// A week: a call still running longer than that after its end is not one.
    static let maximumCallEndGraceSeconds = 604_800

    public init(
        lifecycle: LifecycleSettings = LifecycleSettings(), holdDuration: Duration = .seconds(600), holdsPerCustomer: Int = 3,
        bookingsPerMinute: Int = 60, preparation: PreparationGuide = .builtIn
    ) {
        self.lifecycle = lifecycle
        self.holdDuration = holdDuration
        self.holdsPerCustomer = holdsPerCustomer
        self.bookingsPerMinute = bookingsPerMinute
        self.preparation = preparation
    }

    init(environment: [String: String]) throws(AppConfig.Error) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        var lifecycle = LifecycleSettings()
        if let text = value("REMINDER_OFFSETS_MINUTES") {
            lifecycle.reminderOffsetsMinutes = try Self.parseReminderOffsets(text)
        }
        if let text = value("NO_SHOW_GRACE_SECONDS") {
            guard let seconds = Int(text), (0...Self.maximumNoShowGraceSeconds).contains(seconds) else {
                throw AppConfig.Error(
                    variable: "NO_SHOW_GRACE_SECONDS",
                    problem: "must be a whole number of seconds from 0 to \(Self.maximumNoShowGraceSeconds), not \(text.debugDescription)")
            }
            lifecycle.noShowGrace = Double(seconds)
        }
        lifecycle.callEndGrace = Double(
            try AppConfig.integer(environment, "CALL_END_GRACE_SECONDS", default: 3600, in: 0...Self.maximumCallEndGraceSeconds))
        let minutes = try AppConfig.integer(environment, "HOLD_MINUTES", default: 10, in: 1...1440)
        let holds = try AppConfig.integer(environment, "HOLDS_PER_CUSTOMER", default: 3, in: 1...1000)
        let perMinute = try AppConfig.integer(environment, "RATE_LIMIT_PER_MINUTE", default: 60, in: 1...100_000)
        self.init(
            lifecycle: lifecycle, holdDuration: .seconds(60 * minutes), holdsPerCustomer: holds, bookingsPerMinute: perMinute,
            preparation: try Self.preparationGuide(path: environment["PREPARATION_FILE"]))
    }

    /// `"1440,15"` → `[1440, 15]`: comma-separated whole minutes, spaces allowed around each,
    /// each from 1 to 30 days, no repeats; returned largest first.
    static func parseReminderOffsets(_ text: String) throws(AppConfig.Error) -> [Int] {
        var offsets: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard let minutes = Int(item), (1...Self.maximumReminderOffsetMinutes).contains(minutes) else {
                throw AppConfig.Error(
                    variable: "REMINDER_OFFSETS_MINUTES",
                    problem: "must list whole minutes from 1 to \(Self.maximumReminderOffsetMinutes) separated by commas, "
                        + "and \(item.debugDescription) is not one")
            }
            guard !offsets.contains(minutes) else {
                throw AppConfig.Error(variable: "REMINDER_OFFSETS_MINUTES", problem: "lists \(minutes) twice")
            }
            offsets.append(minutes)
        }
        return offsets.sorted(by: >)
    }
}
