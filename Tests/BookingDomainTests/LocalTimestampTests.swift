import Foundation
import Testing
import TestSupport

@testable import BookingDomain

/// Local times as slots and calls show them: RFC 3339 with the zone's offset at the instant.
@Suite struct LocalTimestampTests {
    @Test(arguments: [
        // Berlin's spring switch, 2030-03-31 02:00 CET → 03:00 CEST, at 01:00 UTC.
        ("2030-03-31T00:30:00Z", "Europe/Berlin", "2030-03-31T01:30:00+01:00"),
        ("2030-03-31T00:59:59Z", "Europe/Berlin", "2030-03-31T01:59:59+01:00"),
        ("2030-03-31T01:00:00Z", "Europe/Berlin", "2030-03-31T03:00:00+02:00"),
        ("2030-03-31T08:00:00Z", "Europe/Berlin", "2030-03-31T10:00:00+02:00"),
        // Autumn, 2030-10-27 03:00 CEST → 02:00 CET: the repeated hour keeps the two offsets apart.
        ("2030-10-27T00:30:00Z", "Europe/Berlin", "2030-10-27T02:30:00+02:00"),
        ("2030-10-27T01:30:00Z", "Europe/Berlin", "2030-10-27T02:30:00+01:00"),
        // Behind UTC, a local date before the UTC one, and a zone without daylight saving.
        ("2030-01-07T01:15:00Z", "America/New_York", "2030-01-06T20:15:00-05:00"),
        ("2030-01-07T09:00:00Z", "Asia/Kathmandu", "2030-01-07T14:45:00+05:45"),
        ("2030-01-07T09:00:00Z", "UTC", "2030-01-07T09:00:00+00:00"),
    ])
    func writesTheInstantWithTheZonesOffsetAtThatInstant(instant: String, zone: String, local: String) throws {
        #expect(LocalTimestamp.text(.utc(instant), zoneIdentifier: zone) == local)
        #expect(Date.utc(local) == Date.utc(instant))
    }

    @Test func aSlotAcrossTheSpringSwitchEndsAnHourLaterOnTheClockThanItsLength() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let slot = TimeSlot(start: .utc("2030-03-31T00:30:00Z"), end: .utc("2030-03-31T01:30:00Z"))
        #expect(LocalTimestamp.text(slot.start, in: berlin) == "2030-03-31T01:30:00+01:00")
        #expect(LocalTimestamp.text(slot.end, in: berlin) == "2030-03-31T03:30:00+02:00")
    }

    @Test(arguments: ["", "Mars/Olympus_Mons"])
    func anUnknownZoneHasNoLocalText(zone: String) {
        #expect(LocalTimestamp.text(.utc("2030-01-07T09:00:00Z"), zoneIdentifier: zone) == nil)
    }

    @Test(arguments: ["", "Europe/Nowhere", "not a zone", String(repeating: "A", count: 65)])
    func aZoneFromAClientMustBeKnown(zone: String) {
        #expect(throws: BookingError.self) { try LocalTimestamp.zone(zone, field: "timezone") }
    }

    @Test func aCallsLocalStartsAreInTheCustomersAndTheExpertsZones() {
        var call = lifecycleCall(start: "2030-03-31T08:00:00Z")
        call.customer.timeZone = "America/New_York"
        call.expertTimeZone = "Europe/Berlin"
        #expect(call.customerLocalStart == "2030-03-31T04:00:00-04:00")
        #expect(call.expertLocalStart == "2030-03-31T10:00:00+02:00")
        call.customer.timeZone = ""
        call.expertTimeZone = nil
        #expect(call.customerLocalStart == nil)
        #expect(call.expertLocalStart == nil)
    }
}
