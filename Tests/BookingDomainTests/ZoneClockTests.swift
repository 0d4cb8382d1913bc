import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// `ZoneClock` reads offsets from a table of each zone's transitions instead of asking ICU per
/// instant; the table must agree with the zone everywhere, including the odd transitions.
@Suite struct ZoneClockTests {
    /// DST both ways, half-hour DST (Lord Howe), 45-minute offsets (Chatham), a skipped day
    /// (Apia, end of 2011), standard-time changes (Pyongyang 2015 and 2018, Moscow 2011 and
    /// 2014, São Paulo dropping DST in 2019), Casablanca's Ramadan switches, and a zone with none.
    static let zones = [
        "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Apia",
        "Asia/Pyongyang", "Europe/Moscow", "America/Sao_Paulo", "Africa/Casablanca", "Antarctica/Troll",
        "Asia/Kolkata", "UTC",
    ]

    @Test(arguments: zones)
    func theTableAgreesWithTheZoneAtEveryInstantSampled(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let clock = ZoneClock(zone)
        // Every 6 h 7 min 30 s from 2005 to 2035: the step drifts through every time of day.
        var seconds: TimeInterval = 1_104_537_600
        var mismatches: [String] = []
        while seconds < 2_051_222_400 {
            let instant = Date(timeIntervalSince1970: seconds)
            if clock.secondsFromGMT(for: instant) != zone.secondsFromGMT(for: instant) { mismatches.append("\(instant)") }
            seconds += 22_050
        }
        #expect(mismatches.isEmpty, "\(identifier): \(mismatches.prefix(5))")
    }

    @Test func theOffsetChangesAtTheTransitionItselfNotASecondEarlyOrLate() throws {
        let clock = ZoneClock(try #require(TimeZone(identifier: "Europe/Berlin")))
        let jump = Date.utc("2025-03-30T01:00:00Z")
        #expect(clock.secondsFromGMT(for: jump.addingTimeInterval(-1)) == 3600)
        #expect(clock.secondsFromGMT(for: jump) == 7200)
        let back = Date.utc("2025-10-26T01:00:00Z")
        #expect(clock.secondsFromGMT(for: back.addingTimeInterval(-0.5)) == 7200)
        #expect(clock.secondsFromGMT(for: back) == 3600)
    }

    @Test func instantsOutsideTheTablesYearsAskTheZone() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let clock = ZoneClock(zone)
        for instant in [Date.utc("1975-07-01T12:00:00Z"), Date.utc("2150-07-01T12:00:00Z"), Date.distantPast] {
            #expect(clock.secondsFromGMT(for: instant) == zone.secondsFromGMT(for: instant))
        }
    }

    @Test func aLocalTimestampIsWrittenWithItsOffset() throws {
        let chatham = try #require(TimeZone(identifier: "Pacific/Chatham"))
        #expect(LocalTimestamp.text(.utc("2025-01-15T10:00:00Z"), in: chatham) == "2025-01-15T23:45:00+13:45")
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        #expect(LocalTimestamp.text(.utc("2025-01-15T10:00:05Z"), in: newYork) == "2025-01-15T05:00:05-05:00")
        #expect(LocalTimestamp.text(.utc("1950-03-01T00:00:00Z"), in: TimeZone(identifier: "UTC")!) == "1950-03-01T00:00:00+00:00")
    }
}
