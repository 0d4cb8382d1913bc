import BookingDomain

/// Who is calling, once their session token is verified: the Clerk user, the role the token
/// claims, and for experts the expert record linked to that user (by `clerk_user_id`).
struct Principal: Sendable, Hashable {
    enum Role: String, Sendable, Hashable {
        case customer
        case expert
        case admin
    }

    let userID: String
    let role: Role
    /// The verified email claim, for claiming Calendly bookings made before sign-up.
    let email: String?
    /// The expert this user is, when the role is expert and an expert links to the user.
    let expertID: ExpertID?

    var isAdmin: Bool { self.role == .admin }
}
