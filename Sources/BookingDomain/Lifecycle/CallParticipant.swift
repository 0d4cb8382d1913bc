/// One of the two people of a call, as a reminder or follow-up names them.
public struct CallParticipant: Hashable, Sendable, Encodable {
    public enum Role: String, Hashable, Sendable, Encodable, CaseIterable {
        case customer, expert
    }

    public var role: Role
    /// The expert's id; `nil` for the customer.
    public var expertID: ExpertID?
    /// The Clerk user id; empty when not known (a Calendly customer who never signed in).
    public var userID: String
    public var name: String
    public var email: String
    /// The IANA zone they gave; times for them are rendered in it (UTC when empty or unknown).
    public var timeZone: String

    public init(role: Role, expertID: ExpertID? = nil, userID: String, name: String, email: String, timeZone: String) {
        self.role = role
        self.expertID = expertID
        self.userID = userID
        self.name = name
        self.email = email
        self.timeZone = timeZone
    }

    public static func customer(of call: Call) -> CallParticipant {
        let customer = call.customer
        return CallParticipant(
            role: .customer, userID: customer.userID, name: customer.name, email: customer.email, timeZone: customer.timeZone)
    }

    public static func expert(_ expert: Expert) -> CallParticipant {
        CallParticipant(
            role: .expert, expertID: expert.id, userID: expert.clerkUserID, name: expert.name, email: expert.email,
            timeZone: expert.timeZone)
    }

    /// The two people of `call`: the customer, then the expert when one is assigned.
    public static func of(_ call: Call, expert: Expert?) -> [CallParticipant] {
        [Self.customer(of: call)] + (expert.map { [Self.expert($0)] } ?? [])
    }

    /// Stable across renames: the role, and for an expert their id (so that a reassigned call's
    /// reminders for the new expert are new deliveries).
    public var deliveryKey: String {
        switch self.role {
        case .customer: return "customer"
        case .expert: return "expert-\(self.expertID?.uuidString ?? "none")"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case role, expertID = "expertId", userID = "userId", name, email, timeZone
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.role, forKey: .role)
        try container.encodeIfPresent(self.expertID?.uuidString, forKey: .expertID)
        try container.encode(self.userID, forKey: .userID)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.email, forKey: .email)
        try container.encode(self.timeZone, forKey: .timeZone)
    }
}
