public import OutboundHTTP
public import Foundation

/// Where reminders and follow-ups go (CONTRACT.md "Environment for the lifecycle"). When they
/// go is the product's rule (`REMINDER_OFFSETS_MINUTES`), read by the app.
public struct TriggerDevConfiguration: Sendable, Equatable {
    public static let defaultBaseURL = URL(string: "https://api.trigger.dev")!
    public static let defaultReminderTask = "call-booking.reminder"
    public static let defaultFollowUpTask = "call-booking.follow-up"

    /// `TRIGGER_DEV_API_KEY` [unset]: the environment's secret key (`tr_dev_…`, `tr_prod_…`),
    /// sent as a Bearer token. Unset: nothing is sent and reminders are recorded as skipped.
    public var apiKey: String?
    /// `TRIGGER_DEV_BASE_URL` [`https://api.trigger.dev`]: tests point it at a loopback fake.
    public var baseURL: URL
    /// `TRIGGER_REMINDER_TASK` [`call-booking.reminder`]: the task id (`task({ id })`).
    public var reminderTask: String
    /// `TRIGGER_FOLLOW_UP_TASK` [`call-booking.follow-up`].
    public var followUpTask: String

    public init(
        apiKey: String? = nil, baseURL: URL = Self.defaultBaseURL,
        reminderTask: String = Self.defaultReminderTask, followUpTask: String = Self.defaultFollowUpTask
    ) {
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.reminderTask = reminderTask
        self.followUpTask = followUpTask
    }

    /// Whether deliveries are sent at all: without a key they are recorded as skipped.
    public var isEnabled: Bool { self.apiKey != nil }

    /// Reads the settings; an empty value counts as unset, and every error names its variable
    /// (never the key's value).
    public init(environment: [String: String]) throws(ProviderError) {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        func taskIdentifier(_ name: String, default fallback: String) throws(ProviderError) -> String {
            guard let text = value(name) else { return fallback }
            guard TriggerDevClient.isPathSegment(text) else {
                throw ProviderError(.triggerDev, 
                    .invalidConfiguration,
                    "\(name) must be a task id of letters, digits and - . _ ~, not \(text.debugDescription)")
            }
            return text
        }

        var baseURL = Self.defaultBaseURL
        if let text = value("TRIGGER_DEV_BASE_URL") {
            baseURL = try ProviderBaseURL.parse(text, variable: "TRIGGER_DEV_BASE_URL", provider: .triggerDev)
        }
        self.init(
            apiKey: value("TRIGGER_DEV_API_KEY"),
            baseURL: baseURL,
            reminderTask: try taskIdentifier("TRIGGER_REMINDER_TASK", default: Self.defaultReminderTask),
            followUpTask: try taskIdentifier("TRIGGER_FOLLOW_UP_TASK", default: Self.defaultFollowUpTask))
    }
}
