import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// Transcripts of every event in every state: each line is one event and the action it must
/// return. The contract's transition table is the oracle.
@Suite struct CallStateMachineTests {
    let t0 = Date.utc("2025-03-30T10:00:00Z")
    let t1 = Date.utc("2025-03-30T10:05:00Z")
    let t2 = Date.utc("2025-03-30T10:35:00Z")
    let t3 = Date.utc("2025-03-30T11:00:00Z")

    // MARK: SCHEDULED

    @Test func aScheduledCallStartsThenCompletesWithItsDuration() {
        var call = CallStateMachine(state: .scheduled)
        #expect(call.start(at: t1) == .persist(startedAt: t1))
        #expect(call.state == .inProgress(startedAt: t1))
        #expect(call.complete(at: t2) == .persist(from: .inProgress, endedAt: t2, duration: 30 * 60))
        #expect(call.state == .completed(startedAt: t1, endedAt: t2))
    }

    @Test func aScheduledCallCanBeCompletedWithoutAVideoSession() {
        var call = CallStateMachine(state: .scheduled)
        #expect(call.complete(at: t2) == .persist(from: .scheduled, endedAt: t2, duration: nil))
        #expect(call.callState == .completed)
    }

    @Test func aScheduledCallCanBeCancelledWithAReason() {
        var call = CallStateMachine(state: .scheduled)
        #expect(call.cancel(reason: "customer ill", at: t0) == .persist(reason: "customer ill", cancelledAt: t0))
        #expect(call.state == .cancelled(reason: "customer ill"))
    }

    @Test func aScheduledCallCanBeMarkedNoShow() {
        var call = CallStateMachine(state: .scheduled)
        #expect(call.markNoShow(party: .customer, at: t2) == .persist(from: .scheduled, party: .customer))
        #expect(call.state == .noShow(party: .customer, startedAt: nil))
    }

    // MARK: IN_PROGRESS

    @Test func startingTwiceKeepsTheFirstStartTime() {
        var call = CallStateMachine(state: .inProgress(startedAt: t1))
        #expect(call.start(at: t2) == .alreadyStarted(startedAt: t1))
        #expect(call.state == .inProgress(startedAt: t1))
    }

    @Test func aCallInProgressCanBeMarkedNoShow() {
        var call = CallStateMachine(state: .inProgress(startedAt: t1))
        #expect(call.markNoShow(party: .expert, at: t2) == .persist(from: .inProgress, party: .expert))
        #expect(call.state == .noShow(party: .expert, startedAt: t1))
    }

    @Test func aCallInProgressCannotBeCancelled() {
        var call = CallStateMachine(state: .inProgress(startedAt: t1))
        #expect(call.cancel(reason: "late", at: t2) == .reject(.failedPrecondition(
            "cannot cancel a call that is IN_PROGRESS (IN_PROGRESS -> CANCELLED is not allowed)")))
        #expect(call.state == .inProgress(startedAt: t1))
    }

    // MARK: COMPLETED

    @Test func completingACompletedCallIsANoOpKeepingTheFirstEndTime() {
        var call = CallStateMachine(state: .completed(startedAt: t1, endedAt: t2))
        #expect(call.complete(at: t3) == .alreadyCompleted(endedAt: t2))
        #expect(call.state == .completed(startedAt: t1, endedAt: t2))
    }

    @Test func aCompletedCallIsFinal() {
        var call = CallStateMachine(state: .completed(startedAt: t1, endedAt: t2))
        #expect(call.start(at: t3) == .reject(.failedPrecondition(
            "cannot start a call that is COMPLETED (COMPLETED -> IN_PROGRESS is not allowed)")))
        #expect(call.cancel(reason: "", at: t3) == .reject(.failedPrecondition(
            "cannot cancel a call that is COMPLETED (COMPLETED -> CANCELLED is not allowed)")))
        #expect(call.markNoShow(party: .customer, at: t3) == .reject(.failedPrecondition(
            "cannot mark as no-show a call that is COMPLETED (COMPLETED -> NO_SHOW is not allowed)")))
        #expect(call.unmarkNoShow(previous: .scheduled) == .notMarked(.completed))
        #expect(call.state == .completed(startedAt: t1, endedAt: t2))
    }

    // MARK: CANCELLED

    @Test func aCancelledCallIsFinal() {
        var call = CallStateMachine(state: .cancelled(reason: "rescheduled"))
        #expect(call.start(at: t3) == .reject(.failedPrecondition(
            "cannot start a call that is CANCELLED (CANCELLED -> IN_PROGRESS is not allowed)")))
        #expect(call.complete(at: t3) == .reject(.failedPrecondition(
            "cannot complete a call that is CANCELLED (CANCELLED -> COMPLETED is not allowed)")))
        #expect(call.cancel(reason: "again", at: t3) == .reject(.failedPrecondition(
            "cannot cancel a call that is CANCELLED (CANCELLED -> CANCELLED is not allowed)")))
        #expect(call.markNoShow(party: .both, at: t3) == .reject(.failedPrecondition(
            "cannot mark as no-show a call that is CANCELLED (CANCELLED -> NO_SHOW is not allowed)")))
        #expect(call.unmarkNoShow(previous: .scheduled) == .notMarked(.cancelled))
        #expect(call.state == .cancelled(reason: "rescheduled"))
    }

    // MARK: NO_SHOW

    @Test func aNoShowCannotStartCompleteOrBeCancelled() {
        var call = CallStateMachine(state: .noShow(party: .customer, startedAt: nil))
        #expect(call.start(at: t3) == .reject(.failedPrecondition(
            "cannot start a call that is NO_SHOW (NO_SHOW -> IN_PROGRESS is not allowed)")))
        #expect(call.complete(at: t3) == .reject(.failedPrecondition(
            "cannot complete a call that is NO_SHOW (NO_SHOW -> COMPLETED is not allowed)")))
        #expect(call.cancel(reason: "", at: t3) == .reject(.failedPrecondition(
            "cannot cancel a call that is NO_SHOW (NO_SHOW -> CANCELLED is not allowed)")))
        #expect(call.state == .noShow(party: .customer, startedAt: nil))
    }

    @Test func unmarkingANoShowReturnsToScheduled() {
        var call = CallStateMachine(state: .noShow(party: .customer, startedAt: nil))
        #expect(call.unmarkNoShow(previous: .scheduled) == .persist(restored: .scheduled))
        #expect(call.state == .scheduled)
        #expect(call.unmarkNoShow(previous: .scheduled) == .notMarked(.scheduled))
    }

    @Test func unmarkingANoShowReturnsToInProgressWithTheOriginalStart() {
        var call = CallStateMachine(state: .inProgress(startedAt: t1))
        _ = call.markNoShow(party: .expert, at: t2)
        #expect(call.unmarkNoShow(previous: .inProgress) == .persist(restored: .inProgress))
        #expect(call.state == .inProgress(startedAt: t1))
    }

    @Test func unmarkingCannotReturnToAStateThatDoesNotLeadToNoShow() {
        var call = CallStateMachine(state: .noShow(party: .customer, startedAt: t1))
        for previous in [CallState.completed, .cancelled, .noShow] {
            #expect(call.unmarkNoShow(previous: previous) == .reject(.failedPrecondition(
                "cannot return a call that is NO_SHOW to \(previous) (NO_SHOW -> \(previous) is not allowed)")))
        }
        #expect(call.state == .noShow(party: .customer, startedAt: t1))
    }

    @Test func unmarkingToInProgressNeedsAStartTime() {
        var call = CallStateMachine(state: .noShow(party: .customer, startedAt: nil))
        #expect(call.unmarkNoShow(previous: .inProgress) == .reject(.failedPrecondition(
            "cannot return a call that is NO_SHOW to IN_PROGRESS: it never started")))
    }

    @Test func aSecondNoShowReportWidensTheParty() {
        var call = CallStateMachine(state: .noShow(party: .customer, startedAt: nil))
        #expect(call.markNoShow(party: .customer, at: t3) == .alreadyMarked(.customer))
        #expect(call.markNoShow(party: .expert, at: t3) == .updateParty(.both))
        #expect(call.markNoShow(party: .customer, at: t3) == .alreadyMarked(.both))
        #expect(call.state == .noShow(party: .both, startedAt: nil))
    }

    // MARK: Inputs

    @Test func anOverlongCancellationReasonIsRefusedBeforeAnyTransition() {
        var call = CallStateMachine(state: .scheduled)
        let reason = String(repeating: "r", count: CallLifecycle.maximumReasonLength + 1)
        #expect(call.cancel(reason: reason, at: t0) == .reject(.invalidArgument(
            "reason may have at most \(CallLifecycle.maximumReasonLength) characters")))
        #expect(call.state == .scheduled)
    }

    @Test func theMachineIsBuiltFromAStoredCall() {
        var stored = Call(
            id: .number(1), expertID: .number(1), customer: Customer(), topic: "",
            scheduledStart: t0, scheduledEnd: t3, createdAt: t0, updatedAt: t0)
        #expect(CallStateMachine(call: stored).state == .scheduled)
        stored.state = .inProgress
        stored.startedAt = t1
        #expect(CallStateMachine(call: stored).state == .inProgress(startedAt: t1))
        stored.state = .completed
        stored.endedAt = t2
        #expect(CallStateMachine(call: stored).state == .completed(startedAt: t1, endedAt: t2))
        #expect(stored.duration == TimeInterval(30 * 60))
        stored.state = .noShow
        stored.noShowParty = .expert
        #expect(CallStateMachine(call: stored).state == .noShow(party: .expert, startedAt: t1))
        stored.state = .cancelled
        stored.cancellationReason = Call.rescheduledReason
        #expect(CallStateMachine(call: stored).state == .cancelled(reason: "rescheduled"))
    }

    @Test func theEventsMakeExactlyTheContractsTransitions() {
        let contract: Set<[CallState]> = [
            [.scheduled, .inProgress], [.scheduled, .completed], [.scheduled, .cancelled], [.scheduled, .noShow],
            [.inProgress, .completed], [.inProgress, .noShow],
            [.noShow, .scheduled], [.noShow, .inProgress],
        ]
        let states: [CallStateMachine.State] = [
            .scheduled, .inProgress(startedAt: t1), .completed(startedAt: t1, endedAt: t2),
            .cancelled(reason: ""), .noShow(party: .customer, startedAt: t1),
        ]
        var made: Set<[CallState]> = []
        for state in states {
            let from = CallStateMachine(state: state).callState
            var machine = CallStateMachine(state: state)
            if case .persist = machine.start(at: t3) { made.insert([from, machine.callState]) }
            machine = CallStateMachine(state: state)
            if case .persist = machine.complete(at: t3) { made.insert([from, machine.callState]) }
            machine = CallStateMachine(state: state)
            if case .persist = machine.cancel(reason: "", at: t3) { made.insert([from, machine.callState]) }
            machine = CallStateMachine(state: state)
            if case .persist = machine.markNoShow(party: .customer, at: t3) { made.insert([from, machine.callState]) }
            for previous in CallState.allCases {
                machine = CallStateMachine(state: state)
                if case .persist = machine.unmarkNoShow(previous: previous) { made.insert([from, machine.callState]) }
            }
        }
        #expect(made == contract)
    }
}
