import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// What a change counts for in the call volume figures: a booking, the end of a live call in
/// its final state, and a completed call's session length.
@Suite struct CallVolumeTests {
    let lifecycle = CallLifecycle()
    let start = Date.utc("2030-03-04T10:00:00Z")
    var call: Call { lifecycleCall(start: "2030-03-04T10:00:00Z") }

    func change(_ decision: CallDecision, sourceLocation: SourceLocation = #_sourceLocation) throws -> CallChange {
        guard case .change(let change) = decision else {
            Issue.record("expected a change, got \(decision)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return change
    }

    @Test func aBookingIsCountedUnderItsSource() {
        let booked = self.lifecycle.book(self.call)
        #expect(booked.books && booked.finishes == nil && booked.completedDuration == nil)
        #expect(booked.call.bookingSource == .api)
        var calendly = self.call
        calendly.calendlyInviteeURI = "https://api.calendly.com/scheduled_events/E/invitees/I"
        #expect(self.lifecycle.book(calendly).call.bookingSource == .calendly)
    }

    @Test func aCompletedSessionFinishesTheCallWithItsLength() throws {
        let started = try self.change(self.lifecycle.start(self.call, at: self.start + 120))
        #expect(!started.books && started.finishes == nil)
        let completed = try self.change(self.lifecycle.complete(started.call, at: self.start + 1920))
        #expect(completed.finishes == .completed)
        #expect(completed.completedDuration == 1800)
    }

    @Test func aCallCompletedWithoutASessionHasNoLength() throws {
        let completed = try self.change(self.lifecycle.complete(self.call, at: self.start + 1800))
        #expect(completed.finishes == .completed && completed.completedDuration == nil)
    }

    @Test func aNoShowFinishesOnceAndWideningOrUnmarkingItCountsNothing() throws {
        let marked = try self.change(self.lifecycle.markNoShow(self.call, party: .customer, at: self.start + 900))
        #expect(marked.finishes == .noShow && marked.call.noShowParty == .customer)
        let widened = try self.change(self.lifecycle.markNoShow(marked.call, party: .expert, at: self.start + 960))
        #expect(widened.call.noShowParty == .both && widened.finishes == nil)
        let unmarked = try self.change(self.lifecycle.unmarkNoShow(widened.call, previous: .scheduled, at: self.start + 999))
        #expect(unmarked.finishes == nil)
    }

    @Test func aCancellationFinishesTheCall() throws {
        let cancelled = try self.change(self.lifecycle.cancel(self.call, reason: "ill", at: self.start - 3600))
        #expect(cancelled.finishes == .cancelled && cancelled.completedDuration == nil)
    }
}
