import Foundation
import Testing
import TestSupport

@testable import BookingDomain

@Suite struct CallRequestTests {
    let start = Date.utc("2025-06-02T09:00:00Z")

    func request(
        expertID: String = "",
        customer: Customer = Customer(userID: "user_1", email: "ada@example.com", name: "Ada", timeZone: "Europe/Berlin"),
        topic: String = "Tax return",
        minutes: Int? = 30,
        start: Date? = nil,
        context: [QuestionAnswer] = []
    ) throws(BookingError) -> CallRequest {
        let start = start ?? self.start
        return try CallRequest(
            validating: "req-1", expertID: expertID, specialty: "tax", customer: customer, topic: topic,
            scheduledStart: start, scheduledEnd: minutes.map { start.addingTimeInterval(TimeInterval($0 * 60)) },
            customerContext: context)
    }

    @Test func aWellFormedRequestIsAccepted() throws {
        let request = try self.request(expertID: ExpertID.number(3).uuidString)
        #expect(request.expertID == .number(3))
        #expect(request.scheduled == TimeSlot(start: start, end: start.addingTimeInterval(1800)))
    }

    @Test func anEmptyExpertIDMeansMatchOne() throws {
        #expect(try self.request().expertID == nil)
    }

    @Test func theStartMustComeBeforeTheEnd() {
        #expect(throws: BookingError.invalidArgument("scheduled_start must be before scheduled_end")) {
            try self.request(minutes: 0)
        }
        #expect(throws: BookingError.invalidArgument("scheduled_start must be before scheduled_end")) {
            try self.request(minutes: -30)
        }
    }

    @Test func callsLastFifteenMinutesToFourHours() throws {
        #expect(throws: BookingError.invalidArgument("a call lasts at least 15 minutes")) { try self.request(minutes: 14) }
        #expect(throws: BookingError.invalidArgument("a call lasts at most 240 minutes")) { try self.request(minutes: 241) }
        _ = try self.request(minutes: 15)
        _ = try self.request(minutes: 240)
    }

    @Test func missingTimesAreNamed() {
        #expect(throws: BookingError.invalidArgument("scheduled_end is required")) { try self.request(minutes: nil) }
    }

    @Test func theCustomerTimezoneMustBeKnownWhenGiven() throws {
        #expect(throws: BookingError.self) {
            try self.request(customer: Customer(userID: "u", email: "a@b.co", timeZone: "Mars/Olympus_Mons"))
        }
        _ = try self.request(customer: Customer(userID: "u", email: "a@b.co", timeZone: ""))
        _ = try self.request(customer: Customer(userID: "u", email: "a@b.co", timeZone: "America/New_York"))
    }

    @Test(arguments: ["ada", "@example.com", "ada@", "ada@example", "ada@@example.com", "ada @example.com",
                      "ada@.example.com", "ada@example.com.", "a\u{0}@example.com"])
    func malformedEmailsAreRefused(_ email: String) {
        #expect(throws: BookingError.self) { try self.request(customer: Customer(email: email)) }
    }

    @Test(arguments: ["ada@example.com", "Ada.Lovelace+calls@mail.example.co.uk", "ünïcode@exämple.de"])
    func looseEmailShapesAreAccepted(_ email: String) throws {
        _ = try self.request(customer: Customer(email: email))
    }

    @Test func anOverlongTopicIsRefused() throws {
        let limit = CallLimits.maximumTopicLength
        _ = try self.request(topic: String(repeating: "t", count: limit))
        #expect(throws: BookingError.invalidArgument("topic may have at most \(limit) characters")) {
            try self.request(topic: String(repeating: "t", count: limit + 1))
        }
    }

    @Test func aMalformedExpertIDIsRefused() {
        #expect(throws: BookingError.invalidArgument("expert_id must be a UUID, got \"bob\"")) {
            try self.request(expertID: "bob")
        }
    }

    @Test func customerContextIsBounded() {
        let many = Array(repeating: QuestionAnswer(question: "q", answer: "a"), count: CallLimits.maximumContextEntries + 1)
        #expect(throws: BookingError.self) { try self.request(context: many) }
        let long = [QuestionAnswer(question: "q", answer: String(repeating: "a", count: CallLimits.maximumAnswerLength + 1))]
        #expect(throws: BookingError.invalidArgument(
            "customer_context[0].answer may have at most \(CallLimits.maximumAnswerLength) characters")) {
            try self.request(context: long)
        }
    }
}
