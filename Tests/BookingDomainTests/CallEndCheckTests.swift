import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// Calls whose session's end never arrives, and rooms that must close or keep someone out:
/// the lifecycle's decisions for both.
@Suite struct CallEndCheckTests {
    let lifecycle = CallLifecycle(settings: LifecycleSettings(noShowGrace: 600, callEndGrace: 3600))
    /// 10:00–10:30; its end check is due at 11:30.
    let start = Date.utc("2030-03-04T10:00:00Z")
    var due: Date { Date.utc("2030-03-04T11:30:00Z") }

    func started() throws -> Call {
        guard case .change(let change) = self.lifecycle.start(lifecycleCall(start: "2030-03-04T10:00:00Z"), at: self.start + 60)
        else { throw LifecycleTestError.noChange }
        return change.call
    }

    func attended(_ roles: AttendanceSession.Role..., leftAt: Date? = nil) -> [AttendanceSession] {
        roles.map { AttendanceSession(role: $0, userID: $0.rawValue, joinedAt: self.start + 120, leftAt: leftAt) }
    }

    @Test func startingPlansTheEndCheckAtTheEndPlusTheGrace() throws {
        guard case .change(let change) = self.lifecycle.start(lifecycleCall(start: "2030-03-04T10:00:00Z"), at: self.start + 60)
        else { throw LifecycleTestError.noChange }
        #expect(change.effects == [.replanReminders, .checkEnd(at: self.due)])
    }

    @Test func beforeTheDeadlineTheCheckWaitsForIt() throws {
        let call = try self.started()
        let decision = self.lifecycle.settleOverdue(call, report: .notAsked, attendance: [], at: self.due - 1)
        #expect(decision == .noChange(call, effects: [.checkEnd(at: self.due)]))
    }

    @Test func aSessionStreamSaysEndedIsJudgedLikeTheSessionsEnd() throws {
        let call = try self.started()
        let end = self.start + 1900
        guard case .change(let both) = self.lifecycle.settleOverdue(
            call, report: .ended(at: end), attendance: self.attended(.customer, .expert), at: self.due)
        else { throw LifecycleTestError.noChange }
        #expect(both.call.state == .completed && both.call.endedAt == end)
        #expect(both.event == CallEvent(from: .inProgress, to: .completed, kind: .sessionEndConfirmed))
        #expect(both.effects == [.replanReminders, .sendFollowUp(recording: nil)])

        guard case .change(let alone) = self.lifecycle.settleOverdue(
            call, report: .ended(at: end), attendance: self.attended(.customer), at: self.due)
        else { throw LifecycleTestError.noChange }
        #expect(alone.call.state == .noShow && alone.call.noShowParty == .expert)
        #expect(alone.event == CallEvent(from: .inProgress, to: .noShow, kind: .sessionEndConfirmed))
    }

    @Test func aLiveSessionIsCheckedAgainLater() throws {
        let call = try self.started()
        let decision = self.lifecycle.settleOverdue(call, report: .live, attendance: self.attended(.customer), at: self.due)
        #expect(decision == .noChange(call, effects: [.checkEnd(at: self.due + CallLifecycle.liveSessionRecheck)]))
    }

    @Test func whenStreamCannotSayTheCallCompletesAtTheLastAttendanceSeen() throws {
        let call = try self.started()
        let left = self.start + 1500
        var attendance = self.attended(.customer, .expert)
        attendance[1].leftAt = left
        guard case .change(let change) = self.lifecycle.settleOverdue(
            call, report: .unknown(reason: "no session"), attendance: attendance, at: self.due)
        else { throw LifecycleTestError.noChange }
        #expect(change.call.state == .completed && change.call.endedAt == left)
        #expect(change.event == CallEvent(from: .inProgress, to: .completed, kind: .sessionEndAssumed))

        guard case .change(let nobody) = self.lifecycle.settleOverdue(
            call, report: .unknown(reason: "404"), attendance: [], at: self.due)
        else { throw LifecycleTestError.noChange }
        #expect(nobody.call.endedAt == call.startedAt)
    }

    @Test func aCallThatEndedMeanwhileNeedsNothing() throws {
        var call = try self.started()
        call.state = .completed
        #expect(self.lifecycle.settleOverdue(call, report: .live, attendance: [], at: self.due) == .noChange(call, effects: []))
    }

    @Test func cancellingClosesTheRoom() throws {
        let call = lifecycleCall(start: "2030-03-04T10:00:00Z")
        guard case .change(let change) = self.lifecycle.cancel(call, reason: "ill", at: self.start - 3600)
        else { throw LifecycleTestError.noChange }
        #expect(change.effects.contains(.closeRoom))
        guard case .change(let moved) = self.lifecycle.cancel(call, reason: "rescheduled", at: self.start - 3600, kind: .rescheduled)
        else { throw LifecycleTestError.noChange }
        #expect(moved.effects.contains(.closeRoom))
    }

    @Test func reassigningRevokesThePreviousExpertsAccess() throws {
        let call = lifecycleCall(start: "2030-03-04T10:00:00Z", expert: .number(1))
        let assignment = Assignment(reason: .reassigned)
        guard case .change(let change) = self.lifecycle.reassign(call, to: .number(2), assignment: assignment, at: self.start - 3600)
        else { throw LifecycleTestError.noChange }
        #expect(change.effects.prefix(2) == [.syncRoomMembers, .revokeRoomAccess(.number(1))])
        guard case .change(let unassigned) = self.lifecycle.reassign(
            lifecycleCall(start: "2030-03-04T10:00:00Z", expert: nil), to: .number(2), assignment: assignment, at: self.start - 3600)
        else { throw LifecycleTestError.noChange }
        #expect(!unassigned.effects.contains { if case .revokeRoomAccess = $0 { true } else { false } })
    }
}

enum LifecycleTestError: Error { case noChange }
