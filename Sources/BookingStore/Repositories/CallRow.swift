import BookingDomain
import Foundation
import ProtoWire

/// Columns and decoding of `calls.calls`, with the assigned expert's zone (for the call's local
/// times) read from `calls.experts` in the same statement.
enum CallRow {
    static let columns = """
        c.id, c.state, c.expert_id, c.customer_user_id, c.customer_email, c.customer_name, c.customer_time_zone,
        c.topic, c.scheduled_start, c.scheduled_end, c.started_at, c.ended_at, c.customer_context::text AS customer_context,
        c.calendly_event_uri, c.calendly_invitee_uri, c.rescheduled_from_call_id, c.rescheduled_to_call_id,
        c.cancellation_reason, c.no_show_party, c.assignment::text AS assignment, c.created_at, c.updated_at,
        c.preparation_instructions,
        (SELECT x.time_zone FROM calls.experts x WHERE x.id = c.expert_id) AS expert_time_zone
        """

    static func decode(_ row: PGRow) throws(StoreError) -> Call {
        guard let state = CallState(rawValue: try row.string("state") ?? "") else {
            throw StoreError(code: .other, message: "unknown call state \(try row.string("state") ?? "")")
        }
        return Call(
            id: CallID(try row.require(UUID.self, "id")), state: state,
            noShowParty: try row.string("no_show_party").flatMap(NoShowParty.init(rawValue:)),
            expertID: try row.uuid("expert_id").map(ExpertID.init),
            assignment: Self.assignment(from: try row.string("assignment")),
            customer: Customer(
                userID: try row.string("customer_user_id") ?? "", email: try row.string("customer_email") ?? "",
                name: try row.string("customer_name") ?? "", timeZone: try row.string("customer_time_zone") ?? ""),
            topic: try row.string("topic") ?? "",
            customerContext: Self.context(from: try row.string("customer_context")),
            scheduledStart: try row.require(Date.self, "scheduled_start"),
            scheduledEnd: try row.require(Date.self, "scheduled_end"),
            startedAt: try row.date("started_at"), endedAt: try row.date("ended_at"),
            cancellationReason: try row.string("cancellation_reason"),
            rescheduledFrom: try row.uuid("rescheduled_from_call_id").map(CallID.init),
            rescheduledTo: try row.uuid("rescheduled_to_call_id").map(CallID.init),
            calendlyEventURI: try row.string("calendly_event_uri"),
            calendlyInviteeURI: try row.string("calendly_invitee_uri"),
            createdAt: try row.require(Date.self, "created_at"), updatedAt: try row.require(Date.self, "updated_at"),
            preparationInstructions: try row.string("preparation_instructions") ?? "",
            expertTimeZone: try row.string("expert_time_zone"))
    }

    // MARK: JSON columns

    static func contextJSON(_ context: [QuestionAnswer]) -> String {
        Self.json(context.map { ["question": $0.question, "answer": $0.answer] })
    }

    static func context(from text: String?) -> [QuestionAnswer] {
        guard let text, case .array(let items)? = try? JSONParser.parse(text) else { return [] }
        return items.map { item in
            let fields = Self.members(item)
            return QuestionAnswer(question: fields.string("question") ?? "", answer: fields.string("answer") ?? "")
        }
    }

    static func assignmentJSON(_ assignment: Assignment?) -> String? {
        guard let assignment else { return nil }
        return Self.json([
            "reason": assignment.reason.rawValue, "note": assignment.note,
            "candidates": assignment.candidates.map {
                ["expert_id": $0.expertID.uuidString, "score": $0.score, "explanation": $0.explanation] as [String: Any]
            },
        ] as [String: Any])
    }

    /// Read with ProtoWire's parser: every GetCall decodes this, and `JSONSerialization`
    /// (bridging to `Any` and back) was a twentieth of its CPU.
    static func assignment(from text: String?) -> Assignment? {
        guard let text, let object = try? JSONParser.parse(text) else { return nil }
        let fields = Self.members(object)
        guard let reason = fields.string("reason").flatMap(Assignment.Reason.init(rawValue:)) else { return nil }
        var candidates: [CandidateScore] = []
        if case .array(let items)? = fields["candidates"] {
            for item in items {
                let candidate = Self.members(item)
                guard let id = candidate.string("expert_id").flatMap(UUID.init(uuidString:)) else { continue }
                candidates.append(
                    CandidateScore(
                        expertID: ExpertID(id), score: candidate.number("score") ?? 0,
                        explanation: candidate.string("explanation") ?? ""))
            }
        }
        return Assignment(reason: reason, note: fields.string("note") ?? "", candidates: candidates)
    }

    /// An object's members by key (empty for anything else).
    private static func members(_ value: JSONValue) -> [String: JSONValue] {
        guard case .object(let members) = value else { return [:] }
        return Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    private static func json(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension [String: JSONValue] {
    fileprivate func string(_ key: String) -> String? {
        guard case .string(let text)? = self[key] else { return nil }
        return text
    }

    fileprivate func number(_ key: String) -> Double? {
        guard case .number(let literal)? = self[key] else { return nil }
        return Double(literal)
    }
}
