import Foundation
import Testing
import TestSupport

@testable import BookingDomain

@Suite struct NoShowVerdictTests {
    static let start = Date.utc("2030-03-18T14:00:00Z")
    static let grace: TimeInterval = 600

    static func at(_ minutes: Int) -> Date { start.addingTimeInterval(TimeInterval(minutes * 60)) }
    static func joined(_ role: AttendanceSession.Role, at minutes: Int, left: Int? = nil) -> AttendanceSession {
        AttendanceSession(role: role, userID: "user_\(role.rawValue)", joinedAt: at(minutes), leftAt: left.map(at))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var state: CallState
        var attendance: [AttendanceSession]
        var sessionEnded: Bool
        var now: Int
        var verdict: NoShowVerdict
        var testDescription: String { self.name }
    }

    static let cases: [Case] = [
        Case(name: "scheduled, nobody yet, within grace", state: .scheduled, attendance: [], sessionEnded: false, now: 5,
             verdict: .checkAgain(at: at(10))),
        Case(name: "scheduled, before the start", state: .scheduled, attendance: [], sessionEnded: false, now: -30,
             verdict: .checkAgain(at: at(10))),
        Case(name: "scheduled, nobody by start + grace", state: .scheduled, attendance: [], sessionEnded: false, now: 10,
             verdict: .noShow(.both)),
        Case(name: "scheduled, only an observer by start + grace", state: .scheduled, attendance: [joined(.other, at: 1)],
             sessionEnded: false, now: 11, verdict: .noShow(.both)),
        Case(name: "scheduled, the customer is waiting", state: .scheduled, attendance: [joined(.customer, at: 2)],
             sessionEnded: false, now: 30, verdict: .awaitSessionEnd),
        Case(name: "in progress, the expert is waiting past grace", state: .inProgress, attendance: [joined(.expert, at: 0)],
             sessionEnded: false, now: 45, verdict: .awaitSessionEnd),
        Case(name: "in progress, no rows yet", state: .inProgress, attendance: [], sessionEnded: false, now: 20,
             verdict: .awaitSessionEnd),
        Case(name: "ended, the expert never joined", state: .inProgress,
             attendance: [joined(.customer, at: 0, left: 20), joined(.customer, at: 22, left: 30)], sessionEnded: true, now: 31,
             verdict: .noShow(.expert)),
        Case(name: "ended, the customer never joined", state: .inProgress, attendance: [joined(.expert, at: -2, left: 25)],
             sessionEnded: true, now: 26, verdict: .noShow(.customer)),
        Case(name: "ended, only an observer", state: .inProgress, attendance: [joined(.other, at: 0, left: 5)],
             sessionEnded: true, now: 6, verdict: .noShow(.both)),
        Case(name: "ended, both joined, one very late", state: .inProgress,
             attendance: [joined(.expert, at: 0, left: 40), joined(.customer, at: 25, left: 40)], sessionEnded: true, now: 41,
             verdict: .attended),
        Case(name: "ended while still SCHEDULED (start event lost), expert missing", state: .scheduled,
             attendance: [joined(.customer, at: 1, left: 12)], sessionEnded: true, now: 13, verdict: .noShow(.expert)),
        Case(name: "completed", state: .completed, attendance: [], sessionEnded: true, now: 60, verdict: .notApplicable(.completed)),
        Case(name: "cancelled", state: .cancelled, attendance: [], sessionEnded: false, now: 60, verdict: .notApplicable(.cancelled)),
        Case(name: "already a no-show", state: .noShow, attendance: [], sessionEnded: false, now: 60, verdict: .notApplicable(.noShow)),
    ]

    @Test(arguments: cases)
    func verdict(_ example: Case) {
        let verdict = NoShowVerdict(
            state: example.state, scheduledStart: Self.start, grace: Self.grace, attendance: example.attendance,
            sessionEnded: example.sessionEnded, now: Self.at(example.now))
        #expect(verdict == example.verdict)
    }

    @Test func aZeroGraceDecidesAtTheStart() {
        #expect(NoShowVerdict(state: .scheduled, scheduledStart: Self.start, grace: 0, attendance: [], sessionEnded: false, now: Self.start)
            == .noShow(.both))
    }

    /// The verdict feeds the state machine: each no-show party is a legal move from where it arose.
    @Test func aNoShowVerdictIsALegalMoveOfTheLifecycle() {
        for example in Self.cases {
            guard case .noShow(let party) = example.verdict else { continue }
            var lifecycle = CallStateMachine(state: example.state == .scheduled ? .scheduled : .inProgress(startedAt: Self.start))
            let action = lifecycle.markNoShow(party: party, at: Self.at(example.now))
            #expect(lifecycle.callState == .noShow, "\(example.name): \(action)")
        }
    }
}
