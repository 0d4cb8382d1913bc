public import Foundation

/// The settings of the call lifecycle's deliveries (CONTRACT.md: "Environment for the
/// lifecycle" and "Settings"): where reminders and follow-ups go, and when.
///
/// The reminder offsets and the no-show grace are read here too, although they are not
/// Trigger.dev's: the contract lists the six together, and one reader means one place that
/// names the variable in an error.
public struct TriggerDevConfiguration: Sendable, Equatable {
    public static let defaultBaseURL = URL(string: "https://api.trigger.dev")!
    public static let defaultReminderTask = "call-booking.reminder"
    public static let defaultFollowUpTask = "call-booking.follow-up"
    public static let defaultReminderOffsetsMinutes = [1440, 15]
    public static let defaultNoShowGrace: Duration = .seconds(600)
    /// Longest reminder offset: 30 days. Further out, a booking's details are likely to change.
    public static let maximumReminderOffsetMinutes = 43_200
    public static let maximumNoShowGraceSeconds = 86_400

    /// `TRIGGER_DEV_API_KEY` [unset]: the environment's secret key (`tr_dev_…`, `tr_prod_…`),
    /// sent as a Bearer token. Unset: nothing is sent and reminders are recorded as skipped.
    public var apiKey: String?
    /// `TRIGGER_DEV_BASE_URL` [`https://api.trigger.dev`]: tests point it at a loopback fake.
    public var baseURL: URL
    /// `TRIGGER_REMINDER_TASK` [`call-booking.reminder`]: the task id (`task({ id })`).
    public var reminderTask: String
    /// `TRIGGER_FOLLOW_UP_TASK` [`call-booking.follow-up`].
    public var followUpTask: String
    /// `REMINDER_OFFSETS_MINUTES` [`1440,15`]: how long before the start each reminder goes,
    /// distinct, largest first.
    public var reminderOffsetsMinutes: [Int]
    /// `NO_SHOW_GRACE_SECONDS` [600]: how long after the start a call nobody joined becomes NO_SHOW.
    public var noShowGrace: Duration

    public init(
        apiKey: String? = nil, baseURL: URL = Self.defaultBaseURL,
        reminderTask: String = Self.defaultReminderTask, followUpTask: String = Self.defaultFollowUpTask,
        reminderOffsetsMinutes: [Int] = Self.defaultReminderOffsetsMinutes, noShowGrace: Duration = Self.defaultNoShowGrace
    ) {
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.reminderTask = reminderTask
        self.followUpTask = followUpTask
        self.reminderOffsetsMinutes = reminderOffsetsMinutes
        self.noShowGrace = noShowGrace
    }

    /// Whether deliveries are sent at all: without a key they are recorded as skipped.
    public var isEnabled: Bool { self.apiKey != nil }

    /// Reads the settings; an empty value counts as unset, and every error names its variable
    /// (never the key's value).
    public init(environment: [String: String]) throws(TriggerDevError) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        func taskIdentifier(_ name: String, default fallback: String) throws(TriggerDevError) -> String {
            guard let text = value(name) else { return fallback }
            guard TriggerDevClient.isPathSegment(text) else {
                throw TriggerDevError(
                    .invalidConfiguration,
                    "\(name) must be a task id of letters, digits and - . _ ~, not \(text.debugDescription)")
            }
            return text
        }

        var baseURL = Self.defaultBaseURL
        if let text = value("TRIGGER_DEV_BASE_URL") {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
                url.host != nil, url.query == nil
            else {
                throw TriggerDevError(
                    .invalidConfiguration, "TRIGGER_DEV_BASE_URL must be an http(s) URL without a query, not \(text.debugDescription)")
            }
            baseURL = url
        }
        var grace = Self.defaultNoShowGrace
        if let text = value("NO_SHOW_GRACE_SECONDS") {
            guard let seconds = Int(text), (0...Self.maximumNoShowGraceSeconds).contains(seconds) else {
                throw TriggerDevError(
                    .invalidConfiguration,
                    "NO_SHOW_GRACE_SECONDS must be a whole number of seconds from 0 to \(Self.maximumNoShowGraceSeconds), not \(text.debugDescription)")
            }
            grace = .seconds(seconds)
        }
        self.init(
            apiKey: value("TRIGGER_DEV_API_KEY"),
            baseURL: baseURL,
            reminderTask: try taskIdentifier("TRIGGER_REMINDER_TASK", default: Self.defaultReminderTask),
            followUpTask: try taskIdentifier("TRIGGER_FOLLOW_UP_TASK", default: Self.defaultFollowUpTask),
            reminderOffsetsMinutes: try value("REMINDER_OFFSETS_MINUTES").map(Self.parseReminderOffsets)
                ?? Self.defaultReminderOffsetsMinutes,
            noShowGrace: grace)
    }

    /// `"1440,15"` → `[1440, 15]`: comma-separated whole minutes, spaces allowed around each,
    /// each from 1 to 30 days, no repeats; returned largest first.
    public static func parseReminderOffsets(_ text: String) throws(TriggerDevError) -> [Int] {
        var offsets: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard let minutes = Int(item), (1...Self.maximumReminderOffsetMinutes).contains(minutes) else {
                throw TriggerDevError(
                    .invalidConfiguration,
                    "REMINDER_OFFSETS_MINUTES must list whole minutes from 1 to \(Self.maximumReminderOffsetMinutes) separated by commas, "
                        + "and \(item.debugDescription) is not one")
            }
            guard !offsets.contains(minutes) else {
                throw TriggerDevError(.invalidConfiguration, "REMINDER_OFFSETS_MINUTES lists \(minutes) twice")
            }
            offsets.append(minutes)
        }
        return offsets.sorted(by: >)
    }
}
