public import Foundation

/// What a verified Clerk session token says about its caller; everything the authorization
/// rules of CONTRACT.md ("Who may do what") need.
public struct VerifiedSession: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable, CaseIterable {
        case customer, expert, admin

        /// CONTRACT.md: customer "also when absent". A value that is not exactly one of the three
        /// names (another string, a different case, a number) is also a customer: the least
        /// privilege, rather than a 401 for a user whose metadata an admin mistyped.
        init(claim: JSONValue?) {
            if case .string(let name)? = claim, let role = Role(rawValue: name) {
                self = role
            } else {
                self = .customer
            }
        }
    }

    /// `sub`: the Clerk user id (`user_…`), our primary user key.
    public var userID: String
    /// From the claim at `ClerkConfiguration.roleClaimPath`.
    public var role: Role
    /// From the claim named by `ClerkConfiguration.emailClaim` when it is a non-empty string.
    public var email: String?
    /// True only when the claim named by `ClerkConfiguration.emailVerifiedClaim` is JSON `true`
    /// (not the string "true": a template that renders it as text is a misconfiguration that
    /// must not widen trust).
    public var emailVerified: Bool
    /// `sid` (`sess_…`), when present.
    public var sessionID: String?
    /// `exp`. Nothing may cache the session past it (providers.md 5.1).
    public var expiresAt: Date

    public init(
        userID: String, role: Role, email: String?, emailVerified: Bool = false, sessionID: String?, expiresAt: Date
    ) {
        self.userID = userID
        self.role = role
        self.email = email
        self.emailVerified = emailVerified
        self.sessionID = sessionID
        self.expiresAt = expiresAt
    }
}
