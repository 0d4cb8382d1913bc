import BookingDomain
import Foundation
import Testing

@testable import BookingStore

/// The JSON columns of `calls.calls` (assignment, customer context) read back as written.
@Suite struct CallRowJSONTests {
    @Test func anAssignmentWithItsCandidatesReadsBackAsWritten() throws {
        let assignment = Assignment(
            reason: .matched, note: "least \"loaded\" — ünïcode",
            candidates: [
                CandidateScore(expertID: ExpertID(UUID()), score: 0.8125, explanation: "topic\nmatch"),
                CandidateScore(expertID: ExpertID(UUID()), score: -2, explanation: ""),
            ])
        let text = try #require(CallRow.assignmentJSON(assignment))
        #expect(CallRow.assignment(from: text) == assignment)
        #expect(CallRow.assignmentJSON(nil) == nil && CallRow.assignment(from: nil) == nil)
    }

    @Test func anAssignmentWithAnUnknownReasonOrBrokenJSONIsNone() {
        #expect(CallRow.assignment(from: #"{"reason":"guessed","note":""}"#) == nil)
        #expect(CallRow.assignment(from: #"{"reason":"#) == nil)
        #expect(CallRow.assignment(from: "null") == nil)
    }

    @Test func theCustomerContextReadsBackInOrder() {
        let context = [QuestionAnswer(question: "Why?", answer: "Because \\ \"so\""), QuestionAnswer(question: "", answer: "x")]
        #expect(CallRow.context(from: CallRow.contextJSON(context)) == context)
        #expect(CallRow.context(from: "[]").isEmpty && CallRow.context(from: nil).isEmpty && CallRow.context(from: "{}").isEmpty)
    }
}
