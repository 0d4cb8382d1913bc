import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// The one rule for local times DST makes ambiguous: the first instant the wall clock reads
/// that time or later.
@Suite struct LocalTimeZoneTests {
    func instant(_ zone: String, _ date: String, _ time: String) -> Date? {
        guard let zone = TimeZone(identifier: zone), let date = LocalDate(date) else { return nil }
        return ZoneClock(zone).firstInstant(on: date, at: .of(time))
    }

    @Test func anOrdinaryLocalTimeHasOneInstant() {
        #expect(instant("Europe/Berlin", "2025-06-02", "09:00") == .utc("2025-06-02T09:00:00+02:00"))
        #expect(instant("America/New_York", "2025-01-15", "17:30") == .utc("2025-01-15T17:30:00-05:00"))
    }

    @Test func aTimeSkippedBySpringForwardMeansTheJump() {
        #expect(instant("Europe/Berlin", "2025-03-30", "02:00") == .utc("2025-03-30T03:00:00+02:00"))
        #expect(instant("Europe/Berlin", "2025-03-30", "02:30") == .utc("2025-03-30T03:00:00+02:00"))
        #expect(instant("America/New_York", "2025-03-09", "02:45") == .utc("2025-03-09T03:00:00-04:00"))
    }

    @Test func aTimeRepeatedByFallBackMeansItsFirstOccurrence() {
        #expect(instant("Europe/Berlin", "2025-10-26", "02:30") == .utc("2025-10-26T02:30:00+02:00"))
        #expect(instant("America/New_York", "2025-11-02", "01:00") == .utc("2025-11-02T01:00:00-04:00"))
        #expect(instant("America/New_York", "2025-11-02", "02:00") == .utc("2025-11-02T02:00:00-05:00"))
    }

    @Test func twentyFourHundredIsTheNextMidnight() {
        #expect(instant("Europe/Berlin", "2025-03-29", "24:00") == .utc("2025-03-30T00:00:00+01:00"))
    }

    @Test func theWallClockOfAnInstantGivesTheLocalDate() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let clock = ZoneClock(berlin).wallClock(at: .utc("2025-10-25T23:30:00Z"))
        #expect(clock.date == LocalDate("2025-10-26"))
        #expect(clock.secondsOfDay == 90 * 60)
        let pacific = try #require(TimeZone(identifier: "America/Los_Angeles"))
        #expect(ZoneClock(pacific).wallClock(at: .utc("1969-12-31T12:00:00Z")).date == LocalDate("1969-12-31"))
    }

    @Test func theGridFollowsTheLocalClockInHalfHourZones() throws {
        let kathmandu = try #require(TimeZone(identifier: "Asia/Kathmandu"))   // +05:45
        let next = ZoneClock(kathmandu).nextOnLocalGrid(atOrAfter: .utc("2025-06-02T09:07:10+05:45"), minutes: 15)
        #expect(next == .utc("2025-06-02T09:15:00+05:45"))
        let kolkata = try #require(TimeZone(identifier: "Asia/Kolkata"))      // +05:30
        #expect(ZoneClock(kolkata).nextOnLocalGrid(atOrAfter: .utc("2025-06-02T09:15:00+05:30"), minutes: 30)
            == .utc("2025-06-02T09:30:00+05:30"))
    }
}
