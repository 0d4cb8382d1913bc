/// The customer of a call, as the contract's `Customer` message.
///
/// `userID` is the Clerk user id; it is empty for a Calendly booking until the customer is
/// known (see the contract's "Who may do what"). Empty strings mean "not given", as in proto3.
public struct Customer: Hashable, Sendable {
    public var userID: String
    public var email: String
    public var name: String
    /// IANA identifier, for reminders in the customer's own time; empty when unknown.
    public var timeZone: String

    public init(userID: String = "", email: String = "", name: String = "", timeZone: String = "") {
        self.userID = userID
        self.email = email
        self.name = name
        self.timeZone = timeZone
    }
}

/// One answer the customer gave when booking, shown to the expert.
public struct QuestionAnswer: Hashable, Sendable {
    public var question: String
    public var answer: String

    public init(question: String, answer: String) {
        self.question = question
        self.answer = answer
    }
}
