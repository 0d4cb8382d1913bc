import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// Each lifecycle event as the store receives it: the new call, its event-log row and its
/// effects, or why nothing changes.
@Suite struct CallLifecycleTests {
    let lifecycle = CallLifecycle(settings: LifecycleSettings(reminderOffsetsMinutes: [1440, 15], noShowGrace: 600))
    let start = "2030-03-04T10:00:00Z"
    var call: Call { lifecycleCall(start: self.start) }
    var afterStart: Date { Date.utc(self.start).addingTimeInterval(60) }

    func change(_ decision: CallDecision, sourceLocation: SourceLocation = #_sourceLocation) -> CallChange? {
        guard case .change(let change) = decision else {
            Issue.record("expected a change, got \(decision)", sourceLocation: sourceLocation)
            return nil
        }
        return change
    }

    @Test func bookingSetsUpTheRoomPlansRemindersAndTheNoShowCheck() {
        let booked = self.lifecycle.book(self.call)
        #expect(booked.event == CallEvent(from: nil, to: .scheduled, kind: .created))
        #expect(booked.effects == [.setUpRoom, .replanReminders, .checkNoShow(at: Date.utc("2030-03-04T10:10:00Z"))])
        #expect(booked.call.state == .scheduled)
    }

    @Test func startingEndsTheRemindersAndARepeatChangesNothing() throws {
        let started = try #require(self.change(self.lifecycle.start(self.call, at: self.afterStart)))
        #expect(started.call.state == .inProgress && started.call.startedAt == self.afterStart)
        #expect(started.event == CallEvent(from: .scheduled, to: .inProgress, kind: .sessionStarted))
        #expect(started.effects == [.replanReminders, .checkEnd(at: Date.utc("2030-03-04T11:30:00Z"))])
        #expect(self.lifecycle.start(started.call, at: self.afterStart.addingTimeInterval(5)) == .noChange(started.call, effects: []))
    }

    @Test func aSessionEndingWithBothSidesCompletesTheCallAndSendsTheFollowUp() throws {
        let started = try #require(self.change(self.lifecycle.start(self.call, at: self.afterStart))).call
        let end = self.afterStart.addingTimeInterval(1800)
        let attendance = [
            AttendanceSession(role: .expert, userID: "e", joinedAt: self.afterStart, leftAt: end),
            AttendanceSession(role: .customer, userID: "c", joinedAt: self.afterStart, leftAt: end),
        ]
        let ended = try #require(self.change(
            self.lifecycle.endSession(started, at: end, sessionStartedAt: nil, attendance: attendance)))
        #expect(ended.call.state == .completed && ended.call.endedAt == end)
        #expect(ended.event.kind == .sessionEnded)
        #expect(ended.effects == [.replanReminders, .sendFollowUp(recording: nil)])
    }

    @Test func aSessionEndingWithoutTheExpertIsAnExpertNoShowRecordingItsLostStart() throws {
        let end = self.afterStart.addingTimeInterval(1800)
        let attendance = [AttendanceSession(role: .customer, userID: "c", joinedAt: self.afterStart, leftAt: end)]
        let ended = try #require(self.change(
            self.lifecycle.endSession(self.call, at: end, sessionStartedAt: self.afterStart, attendance: attendance)))
        #expect(ended.call.state == .noShow && ended.call.noShowParty == .expert)
        #expect(ended.call.startedAt == self.afterStart)
        #expect(ended.event == CallEvent(from: .scheduled, to: .noShow, kind: .noShow))
    }

    @Test func theNoShowCheckWaitsOutTheGraceThenMarksBoth() throws {
        let early = Date.utc("2030-03-04T10:05:00Z")
        let (waiting, later) = self.lifecycle.checkNoShow(self.call, attendance: [], at: early)
        #expect(waiting == .checkAgain(at: Date.utc("2030-03-04T10:10:00Z")))
        #expect(later == .noChange(self.call, effects: [.checkNoShow(at: Date.utc("2030-03-04T10:10:00Z"))]))
        let (verdict, decision) = self.lifecycle.checkNoShow(self.call, attendance: [], at: Date.utc("2030-03-04T10:10:00Z"))
        #expect(verdict == .noShow(.both))
        let missed = try #require(self.change(decision))
        #expect(missed.call.noShowParty == .both && missed.effects == [.replanReminders])
    }

    @Test func cancellingAsRescheduledPointsAtTheReplacementAndCancelsReminders() throws {
        let replacement = CallID.number(9)
        let cancelled = try #require(self.change(self.lifecycle.cancel(
            self.call, reason: Call.rescheduledReason, at: self.afterStart, kind: .rescheduled, replacedBy: replacement)))
        #expect(cancelled.call.state == .cancelled && cancelled.call.rescheduledTo == replacement)
        #expect(cancelled.event == CallEvent(from: .scheduled, to: .cancelled, kind: .rescheduled))
        #expect(cancelled.effects == [.replanReminders, .closeRoom])
        // Linking happens once, and only to a cancelled call.
        #expect(self.lifecycle.linkReschedule(cancelled.call, to: .number(10), at: self.afterStart)
            == .noChange(cancelled.call, effects: []))
        #expect(self.lifecycle.linkReschedule(self.call, to: .number(10), at: self.afterStart) == .noChange(self.call, effects: []))
    }

    @Test func cancellingAStartedCallIsRefusedNamingTheMove() throws {
        let started = try #require(self.change(self.lifecycle.start(self.call, at: self.afterStart))).call
        guard case .refused(let error) = self.lifecycle.cancel(started, reason: "", at: self.afterStart) else {
            Issue.record("a started call was cancelled")
            return
        }
        #expect(error.message.contains("IN_PROGRESS -> CANCELLED is not allowed"))
    }

    @Test func reassigningMovesTheRemindersAndTheRoomMembers() throws {
        let assignment = Assignment(reason: .reassigned, note: "sick")
        let moved = try #require(self.change(
            self.lifecycle.reassign(self.call, to: .number(2), assignment: assignment, at: self.afterStart)))
        #expect(moved.call.expertID == .number(2) && moved.call.assignment == assignment)
        #expect(moved.event == CallEvent(from: .scheduled, to: .scheduled, kind: .reassigned))
        #expect(moved.effects == [.syncRoomMembers, .revokeRoomAccess(.number(1)), .replanReminders])
    }

    @Test func unmarkingANoShowReturnsToScheduledAndChecksAgainNotBeforeNow() throws {
        let marked = try #require(self.change(self.lifecycle.markNoShow(self.call, party: .customer, at: self.afterStart)))
        #expect(marked.event.kind == .noShowMarked)
        let widened = try #require(self.change(self.lifecycle.markNoShow(marked.call, party: .expert, at: self.afterStart)))
        #expect(widened.call.noShowParty == .both && widened.event == CallEvent(from: .noShow, to: .noShow, kind: .noShowPartyWidened))
        #expect(widened.effects.isEmpty)
        let now = Date.utc("2030-03-04T11:00:00Z")
        let unmarked = try #require(self.change(self.lifecycle.unmarkNoShow(widened.call, previous: .scheduled, at: now)))
        #expect(unmarked.call.state == .scheduled && unmarked.call.noShowParty == nil)
        #expect(unmarked.effects == [.replanReminders, .checkNoShow(at: now)])
    }

    @Test func aRecordingSendsItsOwnFollowUpWithoutChangingTheCall() {
        #expect(self.lifecycle.recordingReady(self.call, filename: "rec.mp4")
            == .noChange(self.call, effects: [.sendFollowUp(recording: "rec.mp4")]))
    }

    @Test func completingTwiceKeepsTheFirstEndTime() throws {
        let completed = try #require(self.change(self.lifecycle.complete(self.call, at: self.afterStart)))
        #expect(completed.event == CallEvent(from: .scheduled, to: .completed, kind: .completed))
        #expect(self.lifecycle.complete(completed.call, at: self.afterStart.addingTimeInterval(60))
            == .noChange(completed.call, effects: []))
    }
}
