public import Foundation

/// One stretch of one person in a call's video session (Stream's attendance, stored as
/// `calls.call_participants`): who, in which role, from when to when.
public struct AttendanceSession: Hashable, Sendable {
    /// The role the person had in the call. `other` (an admin, an observer) never counts as
    /// either side having come.
    public enum Role: String, Hashable, Sendable {
        case expert, customer, other
    }

    public var role: Role
    public var userID: String
    public var joinedAt: Date
    /// `nil` while they are still in the session.
    public var leftAt: Date?

    public init(role: Role, userID: String, joinedAt: Date, leftAt: Date? = nil) {
        self.role = role
        self.userID = userID
        self.joinedAt = joinedAt
        self.leftAt = leftAt
    }
}
