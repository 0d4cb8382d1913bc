import Foundation
import Testing
import TestSupport

@testable import BookingDomain

@Suite struct ZonedTimeTests {
    @Test(arguments: [
        // Winter and summer time on either side of the Atlantic.
        ("2030-01-07T09:00:00Z", "Europe/Berlin", "Europe/Berlin", "2030-01-07T10:00:00+01:00", "Monday, 7 January 2030, 10:00 CET"),
        ("2030-07-02T09:00:00Z", "Europe/Berlin", "Europe/Berlin", "2030-07-02T11:00:00+02:00", "Tuesday, 2 July 2030, 11:00 CEST"),
        ("2030-01-07T09:00:00Z", "America/New_York", "America/New_York", "2030-01-07T04:00:00-05:00", "Monday, 7 January 2030, 04:00 EST"),
        ("2030-03-18T14:00:00Z", "America/New_York", "America/New_York", "2030-03-18T10:00:00-04:00", "Monday, 18 March 2030, 10:00 EDT"),
        // The local date differs from the UTC one.
        ("2030-01-07T23:30:00Z", "Asia/Tokyo", "Asia/Tokyo", "2030-01-08T08:30:00+09:00", "Tuesday, 8 January 2030, 08:30 JST"),
        ("2030-01-07T01:15:00Z", "America/Los_Angeles", "America/Los_Angeles", "2030-01-06T17:15:00-08:00", "Sunday, 6 January 2030, 17:15 PST"),
        // Zones the tz database names only by their offset.
        ("2030-01-07T09:00:00Z", "America/Sao_Paulo", "America/Sao_Paulo", "2030-01-07T06:00:00-03:00", "Monday, 7 January 2030, 06:00 UTC-03:00"),
        ("2030-01-07T09:00:00Z", "Asia/Kathmandu", "Asia/Kathmandu", "2030-01-07T14:45:00+05:45", "Monday, 7 January 2030, 14:45 UTC+05:45"),
        // No usable zone: UTC, and the payload says so.
        ("2030-01-07T09:00:00Z", "", "UTC", "2030-01-07T09:00:00+00:00", "Monday, 7 January 2030, 09:00 UTC"),
        ("2030-01-07T09:00:00Z", "Mars/Olympus_Mons", "UTC", "2030-01-07T09:00:00+00:00", "Monday, 7 January 2030, 09:00 UTC"),
        ("2030-01-07T09:00:00Z", "UTC", "UTC", "2030-01-07T09:00:00+00:00", "Monday, 7 January 2030, 09:00 UTC"),
    ])
    func rendersAnInstantInTheRecipientsZone(instant: String, zone: String, shownZone: String, local: String, display: String) {
        let time = ZonedTime(.utc(instant), timeZone: zone)
        #expect(time.timeZone == shownZone)
        #expect(time.local == local)
        #expect(time.utc == instant)
        #expect(time.display == display)
        #expect(Date.utc(time.local) == Date.utc(instant))
    }
}
