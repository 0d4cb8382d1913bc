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
    /// The email claim: a new booking's contact address, and, when verified, the key to
    /// Calendly bookings made before sign-up.
    let email: String?
    /// The token says the email is verified (`CLERK_EMAIL_VERIFIED_CLAIM`); only then may it
    /// claim bookings, since anyone can sign up with an address they do not own.
    let emailVerified: Bool
    /// The Clerk session (`sid`); bookings are claimed once per session.
    let sessionID: String?
    /// The expert this user is, when the role is expert and an expert links to the user.
    let expertID: ExpertID?

    init(
        userID: String, role: Role, email: String?, emailVerified: Bool = false, sessionID: String? = nil,
        expertID: ExpertID?
    ) {
        self.userID = userID
        self.role = role
        self.email = email
        self.emailVerified = emailVerified
        self.sessionID = sessionID
        self.expertID = expertID
    }

    var isAdmin: Bool { self.role == .admin }
}
