public import Foundation

/// The limits `CreateCall` enforces; documented values, checked in one place.
public enum CallLimits {
    /// Shorter than this is not a consultation (and the slot grid is 15 minutes).
    public static let minimumDuration: TimeInterval = 15 * 60
    /// Longer than this is a workshop: split it. Also bounds how far one booking can block an expert.
    public static let maximumDuration: TimeInterval = 4 * 3600
    /// Characters; a topic is a line, not the whole brief (that is `customer_context`).
    public static let maximumTopicLength = 500
    /// Characters, as for a display name anywhere in the product.
    public static let maximumNameLength = 200
    /// RFC 5321's limit on a forward path.
    public static let maximumEmailLength = 254
    /// Calendly forms have at most 10 questions; 50 leaves room without inviting abuse.
    public static let maximumContextEntries = 50
    public static let maximumQuestionLength = 1_000
    public static let maximumAnswerLength = 10_000
}
