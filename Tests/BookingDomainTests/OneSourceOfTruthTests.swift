import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// The scheduling property, for weekly hours and time off alone: every offered slot books, and every slot
/// on the grid that would book is offered. Random rule sets in zones with DST (one with a
/// 30-minute shift) and odd offsets, over weeks that contain a change.
@Suite struct OneSourceOfTruthTests {
    static let cases: [(zone: String, week: String)] = [
        ("Europe/Berlin", "2025-03-26T00:00:00Z"), ("Europe/Berlin", "2025-10-22T00:00:00Z"),
        ("America/New_York", "2025-03-05T00:00:00Z"), ("America/New_York", "2025-10-29T00:00:00Z"),
        ("Australia/Lord_Howe", "2025-04-02T00:00:00Z"), ("Asia/Kathmandu", "2025-06-02T00:00:00Z"),
    ]

    @Test(arguments: 0..<cases.count)
    func everyOfferedSlotBooksAndEveryBookableGridSlotIsOffered(_ index: Int) throws {
        let (zoneName, weekStart) = Self.cases[index]
        let zone = try #require(TimeZone(identifier: zoneName))
        var random = SplitMix64(seed: UInt64(index + 1))
        var offeredInAllRounds = 0
        for round in 0..<4 {
            let from = Date.utc(weekStart)
            let to = from.addingTimeInterval(7 * 86_400)
            let expert = Self.randomExpert(zone: zoneName, from: from, random: &random)
            let booked = (0..<3).map { _ in
                TimeSlot(start: from.addingTimeInterval(Double(random.next(upTo: 7 * 96)) * 900),
                         end: from.addingTimeInterval(Double(random.next(upTo: 7 * 96)) * 900 + 1800))
            }.filter { $0.start < $0.end }
            let minutes = [15, 30, 45, 60, 90][random.next(upTo: 5)]
            let query = try SlotQuery(from: from, to: to, slotMinutes: minutes)
            let now = from.addingTimeInterval(Double(random.next(upTo: 86_400)))
            let availability = ExpertAvailability(expert: expert, booked: booked)
            let offered = availability.bookableSlots(query, now: now)
            offeredInAllRounds += offered.count

            // Offered ⇒ bookable, in order, on the local grid, all distinct.
            for slot in offered {
                #expect(availability.check(slot, now: now) == nil, "round \(round): \(slot) offered but refused")
                #expect(ZoneClock(zone).isOnLocalGrid(slot.start, minutes: 15))
            }
            #expect(zip(offered, offered.dropFirst()).allSatisfy { $0.start < $1.start })

            // Bookable on the grid inside the window ⇒ offered (checked minute by minute).
            var expected: [TimeSlot] = []
            var t = from
            while t.addingTimeInterval(query.slotLength) <= to {
                let slot = TimeSlot(start: t, end: t.addingTimeInterval(query.slotLength))
                if ZoneClock(zone).isOnLocalGrid(t, minutes: 15) && availability.check(slot, now: now) == nil {
                    expected.append(slot)
                }
                t = t.addingTimeInterval(60)
            }
            #expect(offered == expected, "round \(round) in \(zoneName)")

            // Booking offered slots one after another never meets a refusal.
            var taken = booked
            while let next = ExpertAvailability(expert: expert, booked: taken).bookableSlots(query, now: now).first {
                #expect(ExpertAvailability.isBookable(expert, slot: next, booked: taken, now: now))
                taken.append(next)
            }
        }
        #expect(offeredInAllRounds > 100, "the random rules should leave slots to test")
    }

    static func randomExpert(zone: String, from: Date, random: inout SplitMix64) -> Expert {
        var hours: [WeeklyHours] = []
        for day in Weekday.allCases where random.next(upTo: 4) != 0 {
            // One or two ranges a day, on the quarter hour, anywhere in the day (nights too).
            var cursor = random.next(upTo: 48) * 15
            for _ in 0..<(1 + random.next(upTo: 2)) {
                let end = min(24 * 60, cursor + 30 + random.next(upTo: 24) * 15)
                guard cursor < end, let start = LocalTime(minutes: cursor), let stop = LocalTime(minutes: end) else { break }
                hours.append(WeeklyHours(day: day, start: start, end: stop))
                cursor = end + random.next(upTo: 8) * 15
            }
        }
        let offStart = from.addingTimeInterval(Double(random.next(upTo: 7 * 24)) * 3600)
        let timeOff = [TimeSlot(start: offStart, end: offStart.addingTimeInterval(Double(1 + random.next(upTo: 10)) * 3600))]
        return Expert.fixture(timeZone: zone, weeklyHours: hours, timeOff: timeOff)
    }
}
