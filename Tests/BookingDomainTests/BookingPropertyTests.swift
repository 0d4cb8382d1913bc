import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// The scheduling property: for random rule sets in zones with DST, book offered slots one after
/// another, re-listing after each booking, and never meet a refusal; afterwards no booked
/// call breaks a rule, rechecked by `check` against the others and by an oracle written with
/// Foundation's `Calendar` instead of the domain's own date arithmetic.
@Suite struct BookingPropertyTests {
    /// Weeks containing a DST change (two of them with odd shifts), and a zone at +05:45.
    static let cases: [(zone: String, from: String)] = [
        ("Europe/Berlin", "2025-10-20T00:00:00Z"), ("America/New_York", "2025-03-04T00:00:00Z"),
        ("Australia/Lord_Howe", "2025-03-31T00:00:00Z"), ("Asia/Kathmandu", "2025-06-02T00:00:00Z"),
        ("Europe/Berlin", "2025-03-26T00:00:00Z"),
    ]
    static let me = "user_me"

    struct Booking {
        var slot: TimeSlot
        var occupied: TimeSlot
        var bookedAt: Date
    }

    @Test(arguments: 0..<cases.count)
    func offeredSlotsAlwaysBookAndBookedCallsKeepEveryRule(_ index: Int) throws {
        let (zoneName, fromText) = Self.cases[index]
        let zone = try #require(TimeZone(identifier: zoneName))
        var random = SplitMix64(seed: UInt64(0x8000 + index))
        var totalBooked = 0
        var roundsWithCaps = 0
        var roundsWithoutCaps = 0
        for round in 0..<6 {
            let from = Date.utc(fromText)
            let to = from.addingTimeInterval(8 * 86_400)
            let expert = Self.randomExpert(zone: zone, from: from, random: &random)
            let rules = expert.scheduling
            if rules.maxCallsPerDay > 0 || rules.maxCallsPerWeek > 0 { roundsWithCaps += 1 } else { roundsWithoutCaps += 1 }
            let query = try SlotQuery(from: from, to: to, slotMinutes: [15, 30, 45, 60, 90][random.next(upTo: 5)])
            let holds = Self.randomHolds(from: from, random: &random)
            var now = from.addingTimeInterval(Double(random.next(upTo: 48 * 4) - 48) * 900 + 7)
            var booked: [Booking] = []

            while booked.count < 40 {
                let availability = ExpertAvailability(
                    expert: expert, booked: booked.map(\.occupied), bookedStarts: booked.map(\.slot.start), holds: holds)
                let offered = availability.bookableSlots(query, now: now, for: Self.me)
                if booked.isEmpty {
                    try Self.expectListingIsComplete(offered, availability, query: query, now: now, zone: zone, round: round)
                }
                guard !offered.isEmpty else { break }
                let slot = offered[random.next(upTo: offered.count)]
                let refusal = availability.check(slot, now: now, for: Self.me)
                #expect(refusal == nil, "\(zoneName) round \(round): offered \(slot) refused: \(refusal?.description ?? "")")
                if refusal != nil { break }
                booked.append(Booking(slot: slot, occupied: rules.occupiedRange(of: slot), bookedAt: now))
                now = now.addingTimeInterval(Double(random.next(upTo: 90)) * 60)
            }
            totalBooked += booked.count

            // Every booked call, rechecked against all the others at its booking time: with the
            // holds but without caps (a hold that counted towards a cap may have expired since,
            // freeing its place for a later call), and with the caps but without holds.
            for (i, call) in booked.enumerated() {
                let others = booked.enumerated().filter { $0.offset != i }.map(\.element)
                let withHolds = ExpertAvailability(
                    expert: expert, booked: others.map(\.occupied), bookedStarts: others.map(\.slot.start), holds: holds)
                    .check(call.slot, now: call.bookedAt, for: Self.me, rules: RuleSet.all.subtracting(.caps))
                let withCaps = ExpertAvailability(
                    expert: expert, booked: others.map(\.occupied), bookedStarts: others.map(\.slot.start))
                    .check(call.slot, now: call.bookedAt, for: Self.me)
                for refusal in [withHolds, withCaps] {
                    #expect(refusal == nil, "\(zoneName) round \(round): \(call.slot) breaks \(refusal?.description ?? "")")
                }
            }
            Self.expectOracleHolds(booked, expert: expert, holds: holds, zone: zone, context: "\(zoneName) round \(round)")
        }
        #expect(totalBooked > 30, "the random rules should leave slots to book")
        #expect(roundsWithCaps > 0 && roundsWithoutCaps > 0, "\(roundsWithCaps) rounds with caps, \(roundsWithoutCaps) without")
    }

    /// On the first listing: every slot on the local 15-minute grid that `check` accepts is
    /// offered, and every offered slot is on the grid (checked minute by minute).
    static func expectListingIsComplete(
        _ offered: [TimeSlot], _ availability: ExpertAvailability, query: SlotQuery, now: Date, zone: TimeZone, round: Int
    ) throws {
        var expected: [TimeSlot] = []
        var t = query.window.start
        while t.addingTimeInterval(query.slotLength) <= query.window.end {
            let slot = TimeSlot(start: t, end: t.addingTimeInterval(query.slotLength))
            if ZoneClock(zone).isOnLocalGrid(t, minutes: 15), availability.check(slot, now: now, for: Self.me) == nil {
                expected.append(slot)
            }
            t = t.addingTimeInterval(60)
        }
        #expect(offered == expected, "round \(round) in \(zone.identifier): listing differs from check")
    }

    // MARK: Oracle

    /// The rules restated with `Calendar` (ISO 8601 weeks, local dates) and plain interval
    /// arithmetic, independent of `ExpertAvailability`.
    static func expectOracleHolds(_ booked: [Booking], expert: Expert, holds: [HeldSlot], zone: TimeZone, context: String) {
        let rules = expert.scheduling
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        for (i, a) in booked.enumerated() {
            for b in booked[(i + 1)...] {
                #expect(!a.occupied.overlaps(b.occupied), "\(context): \(a.slot) and \(b.slot) overlap with buffers")
            }
            #expect(!expert.timeOff.contains { $0.overlaps(a.slot) }, "\(context): \(a.slot) in time off")
            let notice = a.bookedAt.addingTimeInterval(Double(rules.minimumNoticeMinutes * 60))
            #expect(a.slot.start >= notice, "\(context): \(a.slot) booked at \(a.bookedAt) without notice")
            if rules.bookingHorizonDays > 0 {
                #expect(a.slot.start <= a.bookedAt.addingTimeInterval(Double(rules.bookingHorizonDays * 86_400)),
                        "\(context): \(a.slot) beyond the horizon")
            }
            for hold in holds where hold.customerUserID != Self.me && a.bookedAt < hold.expiresAt {
                #expect(!rules.occupiedRange(of: hold.slot).overlaps(a.occupied), "\(context): \(a.slot) on a hold")
            }
            // The start's local wall time lies in one of that date's ranges.
            let local = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: a.slot.start)
            guard let year = local.year, let month = local.month, let day = local.day,
                let date = LocalDate(year: year, month: month, day: day)
            else {
                Issue.record("\(context): no local date for \(a.slot.start)")
                continue
            }
            let minute = (local.hour ?? 0) * 60 + (local.minute ?? 0)
            let ranges: [(Int, Int)] = expert.dateOverrides.first { $0.date == date }.map {
                $0.hours.map { ($0.start.minutes, $0.end.minutes) }
            } ?? expert.weeklyHours.filter { $0.day == date.weekday }.map { ($0.start.minutes, $0.end.minutes) }
            #expect(ranges.contains { $0.0 <= minute && minute < $0.1 }, "\(context): \(a.slot) outside hours of \(date)")
        }
        if rules.maxCallsPerDay > 0 {
            let perDay = Dictionary(grouping: booked) { calendar.dateComponents([.year, .month, .day], from: $0.slot.start) }
            #expect(perDay.values.allSatisfy { $0.count <= rules.maxCallsPerDay }, "\(context): a day over its cap")
        }
        if rules.maxCallsPerWeek > 0 {
            let perWeek = Dictionary(grouping: booked) {
                calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: $0.slot.start)
            }
            #expect(perWeek.values.allSatisfy { $0.count <= rules.maxCallsPerWeek }, "\(context): a week over its cap")
        }
    }

    // MARK: Random inputs

    static func randomExpert(zone: TimeZone, from: Date, random: inout SplitMix64) -> Expert {
        // Each limit is off (0) about half the time, so that unlimited packing is tried too.
        func sometimes(_ upTo: Int, _ random: inout SplitMix64) -> Int {
            random.next(upTo: 2) == 0 ? 0 : random.next(upTo: upTo + 1)
        }
        let rules = SchedulingRules(
            bufferBeforeMinutes: sometimes(30, &random), bufferAfterMinutes: sometimes(30, &random),
            minimumNoticeMinutes: sometimes(240, &random), bookingHorizonDays: sometimes(30, &random),
            maxCallsPerDay: sometimes(5, &random), maxCallsPerWeek: sometimes(15, &random))
        var weeklyHours: [WeeklyHours] = []
        for day in Weekday.allCases where random.next(upTo: 5) != 0 {
            weeklyHours += randomRanges(random: &random).map { WeeklyHours(day: day, start: $0.start, end: $0.end) }
        }
        // Up to three overrides on dates of the window, a third of them closed days.
        let firstDate = LocalDate(daysSinceEpoch: Int(from.timeIntervalSince1970 / 86_400))
        var overrides: [DateOverride] = []
        for _ in 0..<random.next(upTo: 4) {
            let date = firstDate.adding(days: random.next(upTo: 8))
            guard !overrides.contains(where: { $0.date == date }) else { continue }
            overrides.append(DateOverride(date: date, hours: random.next(upTo: 3) == 0 ? [] : randomRanges(random: &random)))
        }
        let offStart = from.addingTimeInterval(Double(random.next(upTo: 8 * 24)) * 3600)
        let timeOff = random.next(upTo: 2) == 0
            ? [] : [TimeSlot(start: offStart, end: offStart.addingTimeInterval(Double(1 + random.next(upTo: 8)) * 3600))]
        let expert = Expert.fixture(
            timeZone: zone.identifier, weeklyHours: weeklyHours, timeOff: timeOff, scheduling: rules, dateOverrides: overrides)
        #expect(throws: Never.self) { try expert.validated() }
        return expert
    }

    /// One or two ranges in a day, on the quarter hour, anywhere (nights too), not overlapping.
    static func randomRanges(random: inout SplitMix64) -> [LocalTimeRange] {
        var ranges: [LocalTimeRange] = []
        var cursor = random.next(upTo: 48) * 15
        for _ in 0..<(1 + random.next(upTo: 2)) {
            let end = min(24 * 60, cursor + 60 + random.next(upTo: 32) * 15)
            guard cursor < end, let start = LocalTime(minutes: cursor), let stop = LocalTime(minutes: end) else { break }
            ranges.append(LocalTimeRange(start: start, end: stop))
            cursor = end + 15 * (1 + random.next(upTo: 8))
        }
        return ranges
    }

    /// A few holds by someone else (some expiring during the bookings) and one of our own.
    static func randomHolds(from: Date, random: inout SplitMix64) -> [HeldSlot] {
        (0..<random.next(upTo: 5)).map { n in
            let start = from.addingTimeInterval(Double(random.next(upTo: 8 * 96)) * 900)
            return HeldSlot(
                slot: TimeSlot(start: start, end: start.addingTimeInterval(Double(1 + random.next(upTo: 4)) * 900)),
                customerUserID: n == 0 ? Self.me : "user_other",
                expiresAt: from.addingTimeInterval(Double(random.next(upTo: 72)) * 3600))
        }
    }
}
