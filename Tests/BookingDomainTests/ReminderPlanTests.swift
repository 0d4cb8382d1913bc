import Foundation
import Testing
import TestSupport

@testable import BookingDomain

@Suite struct ReminderPlanTests {
    static let offsets = [1440, 15]

    func summary(_ plan: ReminderPlan) -> [String] {
        plan.reminders.map { "\($0.minutesBefore) \($0.recipient.role.rawValue) \(ZonedTime.utcText($0.sendAt))" }
    }

    @Test func eachOffsetGoesToBothSidesEarliestFirst() {
        let call = lifecycleCall(start: "2030-03-18T14:00:00Z")
        let plan = ReminderPlan(call: call, expert: .named(zone: "America/New_York"), offsetsMinutes: [15, 1440], now: longAgo)
        #expect(summary(plan) == [
            "1440 customer 2030-03-17T14:00:00Z", "1440 expert 2030-03-17T14:00:00Z",
            "15 customer 2030-03-18T13:45:00Z", "15 expert 2030-03-18T13:45:00Z",
        ])
    }

    /// A failed delivery is given up, not planned again on the next change of the call (its
    /// dead job is what an operator retries); a cancelled one comes back under a new key.
    @Test func aFailedDeliveryIsNotPlannedAgainButACancelledOneIs() {
        let call = lifecycleCall(start: "2030-03-18T14:00:00Z")
        let plan = ReminderPlan(call: call, expert: .named(zone: "UTC"), offsetsMinutes: [15], now: longAgo)
        let keys = plan.reminders.map(\.idempotencyKey)
        #expect(keys.count == 2)
        let (cancel, planned) = plan.reconcile(with: [
            keys[0]: [DeliveryRecord(deliveryKey: keys[0], status: .failed)],
            keys[1]: [DeliveryRecord(deliveryKey: keys[1], status: .cancelled)],
        ])
        #expect(cancel.isEmpty)
        #expect(planned.map(\.deliveryKey) == ["\(keys[1]):2"])
    }

    /// Between the US change (10 March 2030) and the EU one (31 March): the same instant is
    /// 15:00 CET for the customer in Berlin and 10:00 EDT for the expert in New York.
    @Test func eachRecipientReadsTheTimesInTheirOwnZone() throws {
        let call = lifecycleCall(start: "2030-03-18T14:00:00Z", minutes: 45)
        let expert = Expert.named(zone: "America/New_York")
        let plan = ReminderPlan(call: call, expert: expert, offsetsMinutes: [15], now: longAgo)
        let payloads = plan.reminders.map { ReminderPayload($0, call: call, expert: expert, join: .fixture(call.id)) }
        #expect(payloads.map(\.start.display) == ["Monday, 18 March 2030, 15:00 CET", "Monday, 18 March 2030, 10:00 EDT"])
        #expect(payloads.map(\.end.display) == ["Monday, 18 March 2030, 15:45 CET", "Monday, 18 March 2030, 10:45 EDT"])
        #expect(payloads.map(\.start.local) == ["2030-03-18T15:00:00+01:00", "2030-03-18T10:00:00-04:00"])
        #expect(payloads.map(\.start.utc) == ["2030-03-18T14:00:00Z", "2030-03-18T14:00:00Z"])
    }

    /// Offsets are elapsed time: the day before a 10:00 CEST call on the first day of summer
    /// time, the 24-hour reminder comes at 09:00 CET, and the call is shown in CEST.
    @Test func aDayBeforeASpringForwardCallIsTwentyFourRealHours() throws {
        let call = lifecycleCall(start: "2030-03-31T10:00:00+02:00")
        let plan = ReminderPlan(call: call, expert: .named(zone: "Europe/Berlin"), offsetsMinutes: [1440], now: longAgo)
        let reminder = try #require(plan.reminders.first)
        #expect(reminder.sendAt == .utc("2030-03-30T09:00:00+01:00"))
        let payload = ReminderPayload(reminder, call: call, expert: .named(zone: "Europe/Berlin"), join: .fixture(call.id))
        #expect(payload.start.display == "Sunday, 31 March 2030, 10:00 CEST")
        #expect(ZonedTime(reminder.sendAt, timeZone: "Europe/Berlin").display == "Saturday, 30 March 2030, 09:00 CET")
    }

    @Test func aDayBeforeAFallBackCallIsTwentyFourRealHours() throws {
        let call = lifecycleCall(start: "2030-10-27T10:00:00+01:00")
        let plan = ReminderPlan(call: call, expert: nil, offsetsMinutes: [1440], now: longAgo)
        let reminder = try #require(plan.reminders.first)
        #expect(reminder.sendAt == .utc("2030-10-26T11:00:00+02:00"))
        #expect(ReminderPayload(reminder, call: call, expert: nil, join: .fixture(call.id)).start.display == "Sunday, 27 October 2030, 10:00 CET")
    }

    @Test(arguments: [
        // Booked well ahead: everything.
        ("2030-03-10T00:00:00Z", ["1440 customer", "1440 expert", "15 customer", "15 expert"]),
        // Booked 20 minutes ahead: the 24-hour reminder's time has passed.
        ("2030-03-18T13:40:00Z", ["15 customer", "15 expert"]),
        // Booked exactly at the 15-minute mark: that one has passed too.
        ("2030-03-18T13:45:00Z", []),
        ("2030-03-18T13:55:00Z", []),
        ("2030-03-18T15:00:00Z", []),
    ])
    func remindersWhoseTimeHasPassedAtBookingAreNotPlanned(now: String, expected: [String]) {
        let call = lifecycleCall(start: "2030-03-18T14:00:00Z")
        let plan = ReminderPlan(call: call, expert: .named(zone: "Europe/Berlin"), offsetsMinutes: Self.offsets, now: .utc(now))
        #expect(plan.reminders.map { "\($0.minutesBefore) \($0.recipient.role.rawValue)" } == expected)
    }

    @Test func onlyTheCustomerIsRemindedWhileNoExpertIsAssigned() {
        let unassigned = lifecycleCall(start: "2030-03-18T14:00:00Z", expert: nil)
        let other = Expert(id: .number(2), name: "Not theirs", timeZone: "UTC")
        #expect(ReminderPlan(call: unassigned, expert: nil, offsetsMinutes: [15], now: longAgo).reminders.map(\.recipient.role) == [.customer])
        let assigned = lifecycleCall(start: "2030-03-18T14:00:00Z")
        #expect(ReminderPlan(call: assigned, expert: other, offsetsMinutes: [15], now: longAgo).reminders.map(\.recipient.role) == [.customer])
    }

    @Test(arguments: [CallState.inProgress, .completed, .cancelled, .noShow])
    func aCallThatIsNotScheduledHasNoReminders(state: CallState) {
        let call = lifecycleCall(start: "2030-03-18T14:00:00Z", state: state)
        #expect(ReminderPlan(call: call, expert: .named(zone: "UTC"), offsetsMinutes: Self.offsets, now: longAgo).reminders.isEmpty)
    }

    @Test func badOffsetsAreIgnored() {
        let call = lifecycleCall(start: "2030-03-18T14:00:00Z")
        let plan = ReminderPlan(call: call, expert: nil, offsetsMinutes: [0, -5, 15, 15], now: longAgo)
        #expect(plan.reminders.map(\.minutesBefore) == [15])
    }

    @Test func theIdempotencyKeyNamesCallStartOffsetAndRecipient() {
        let call = lifecycleCall(start: "2030-03-18T14:00:00Z")
        let plan = ReminderPlan(call: call, expert: .named(zone: "UTC"), offsetsMinutes: Self.offsets, now: longAgo)
        let start = Int(Date.utc("2030-03-18T14:00:00Z").timeIntervalSince1970)
        #expect(plan.reminders.map(\.idempotencyKey) == [
            "call-booking:reminder:\(call.id):\(start):1440m:customer",
            "call-booking:reminder:\(call.id):\(start):1440m:expert-\(ExpertID.number(1))",
            "call-booking:reminder:\(call.id):\(start):15m:customer",
            "call-booking:reminder:\(call.id):\(start):15m:expert-\(ExpertID.number(1))",
        ])
        // The same call planned again (a retried job) gives the same keys.
        #expect(ReminderPlan(call: call, expert: .named(zone: "UTC"), offsetsMinutes: Self.offsets, now: .utc("2030-03-01T00:00:00Z")) == plan)
    }

    @Test func aStaleReminderIsOneWhoseCallHasStarted() throws {
        let call = lifecycleCall(start: "2030-03-18T14:00:00Z")
        let reminder = try #require(ReminderPlan(call: call, expert: nil, offsetsMinutes: [15], now: longAgo).reminders.first)
        #expect(!reminder.isStale(at: .utc("2030-03-18T13:59:59Z")))
        #expect(reminder.isStale(at: .utc("2030-03-18T14:00:00Z")))
    }

    // MARK: - Recomputing

    @Test func movingTheStartCancelsEveryReminderAndPlansNewOnes() {
        let expert = Expert.named(zone: "UTC")
        let before = ReminderPlan(call: lifecycleCall(start: "2030-03-18T14:00:00Z"), expert: expert, offsetsMinutes: Self.offsets, now: longAgo)
        let moved = ReminderPlan(call: lifecycleCall(start: "2030-03-19T09:00:00Z"), expert: expert, offsetsMinutes: Self.offsets, now: longAgo)
        // Every key changes: each old run is cancelled and each new reminder planned.
        #expect(keys(before).isDisjoint(with: keys(moved)))
        #expect(moved.reminders.count == before.reminders.count)
    }

    /// CONTRACT: a rescheduled call is CANCELLED and a new call replaces it.
    @Test func aRescheduleCancelsTheOldCallsRemindersAndPlansTheNewCalls() {
        let expert = Expert.named(zone: "UTC")
        let old = lifecycleCall(start: "2030-03-18T14:00:00Z")
        var cancelled = old
        cancelled.state = .cancelled
        var replacement = lifecycleCall(start: "2030-03-20T14:00:00Z")
        replacement.id = .number(8)
        let oldPlan = ReminderPlan(call: old, expert: expert, offsetsMinutes: Self.offsets, now: longAgo)
        #expect(ReminderPlan(call: cancelled, expert: expert, offsetsMinutes: Self.offsets, now: longAgo).reminders.isEmpty)
        let newPlan = ReminderPlan(call: replacement, expert: expert, offsetsMinutes: Self.offsets, now: .utc("2030-03-18T13:50:00Z"))
        #expect(newPlan.reminders.count == 4)
        #expect(Set(newPlan.reminders.map(\.idempotencyKey)).isDisjoint(with: oldPlan.reminders.map(\.idempotencyKey)))
    }

    @Test func reassigningTheExpertMovesOnlyTheExpertsReminders() {
        let call = lifecycleCall(start: "2030-03-18T14:00:00Z")
        var reassigned = call
        reassigned.expertID = .number(2)
        let first = ReminderPlan(call: call, expert: .named(zone: "UTC"), offsetsMinutes: Self.offsets, now: longAgo)
        let second = ReminderPlan(
            call: reassigned, expert: Expert(id: .number(2), name: "Bo", timeZone: "Asia/Tokyo"), offsetsMinutes: Self.offsets,
            now: longAgo)
        let gone = first.reminders.filter { !keys(second).contains($0.idempotencyKey) }
        let added = second.reminders.filter { !keys(first).contains($0.idempotencyKey) }
        #expect(gone.map(\.recipient.expertID) == [.number(1), .number(1)])
        #expect(added.map(\.recipient.expertID) == [.number(2), .number(2)])
        #expect(keys(first) == keys(ReminderPlan(call: call, expert: .named(zone: "UTC"), offsetsMinutes: Self.offsets, now: longAgo)))
    }

    private func keys(_ plan: ReminderPlan) -> Set<String> {
        Set(plan.reminders.map(\.idempotencyKey))
    }
}
