public import Foundation

/// The product's rules for a call's life, as values the app reads from its configuration
/// (`REMINDER_OFFSETS_MINUTES`, `NO_SHOW_GRACE_SECONDS`, `CALL_END_GRACE_SECONDS`) and hands to
/// `CallLifecycle`.
public struct LifecycleSettings: Hashable, Sendable {
    /// Minutes before the start at which both sides are reminded, as `ReminderPlan` takes them.
    public var reminderOffsetsMinutes: [Int]
    /// How long after the start a call nobody joined becomes NO_SHOW.
    public var noShowGrace: TimeInterval
    /// How long after its scheduled end a call still IN_PROGRESS waits for the session's end
    /// before the provider is asked how it went (`CallLifecycle.settleOverdue`).
    public var callEndGrace: TimeInterval

    public init(reminderOffsetsMinutes: [Int] = [1440, 15], noShowGrace: TimeInterval = 600, callEndGrace: TimeInterval = 3600) {
        self.reminderOffsetsMinutes = reminderOffsetsMinutes
        self.noShowGrace = noShowGrace
        self.callEndGrace = callEndGrace
    }
}
