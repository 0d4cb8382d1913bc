import BookingDomain
import Calendly
import Foundation
import Testing
import TestSupport

@testable import CallBookingApp

@Suite struct CalendlyAvailabilityConversionTests {

    static func schedule(
        _ rules: [AvailabilityRule], timezone: String = "America/New_York", isDefault: Bool = true, name: String = "Working hours"
    ) -> AvailabilitySchedule {
        AvailabilitySchedule(
            uri: "https://api.calendly.com/user_availability_schedules/\(name.hashValue)", isDefault: isDefault, name: name,
            user: "https://api.calendly.com/users/HOST", timezone: timezone, rules: rules)
    }

    static func hours(_ day: Weekday, _ start: String, _ end: String) -> WeeklyHours {
        WeeklyHours(day: day, start: LocalTime(start)!, end: LocalTime(end)!)
    }

    static func range(_ start: String, _ end: String) -> LocalTimeRange {
        LocalTimeRange(start: LocalTime(start)!, end: LocalTime(end)!)
    }

    static func slot(_ start: String, _ end: String) -> BookingDomain.TimeSlot {
        BookingDomain.TimeSlot(start: .utc(start), end: .utc(end))
    }

    // MARK: - Schedule → hours

    @Test func theDefaultScheduleIsTheOneSynced() throws {
        let other = Self.schedule([], isDefault: false, name: "Evenings")
        let main = Self.schedule([], name: "Working hours")
        #expect(try CalendlyAvailabilityConversion.defaultSchedule([other, main]) == main)
        #expect(throws: CalendlySyncFailure.self) { try CalendlyAvailabilityConversion.defaultSchedule([other]) }
        #expect(throws: CalendlySyncFailure.self) { try CalendlyAvailabilityConversion.defaultSchedule([]) }
    }

    @Test func weekdayRulesBecomeWeeklyHoursInTheSchedulesZone() throws {
        let schedule = Self.schedule([
            AvailabilityRule(type: "wday", wday: "monday", intervals: [
                AvailabilityInterval(from: "13:00", to: "17:00"), AvailabilityInterval(from: "09:00", to: "12:00"),
            ]),
            AvailabilityRule(type: "wday", wday: "saturday", intervals: []),
            AvailabilityRule(type: "wday", wday: "sunday", intervals: [AvailabilityInterval(from: "20:00", to: "24:00")]),
        ])
        let hours = try CalendlyAvailabilityConversion.hours(from: schedule, now: Date.utc("2025-03-01T12:00:00Z"))
        #expect(hours.timeZone == "America/New_York")
        #expect(hours.weeklyHours == [
            Self.hours(.monday, "09:00", "12:00"), Self.hours(.monday, "13:00", "17:00"),
            Self.hours(.sunday, "20:00", "24:00"),
        ])
        #expect(hours.dateOverrides.isEmpty)
        #expect(hours.ignored.isEmpty)
    }

    /// The decision this suite documents: a schedule in another zone than the expert's makes the
    /// expert adopt the schedule's zone. New York and Berlin change clocks on different Sundays
    /// (2025-03-09 and 2025-03-30), so between them they are 5 hours apart instead of 6: Monday
    /// 09:00–17:00 in New York is 14:00–22:00 UTC before the 9th and 13:00–21:00 UTC after, and
    /// only the schedule's own zone gives both.
    @Test func aScheduleInAnotherZoneIsKeptInItsZoneSoDSTWeeksOpenWhenCalendlyDoes() throws {
        let expertsZoneBefore = "Europe/Berlin"
        let schedule = Self.schedule([
            AvailabilityRule(type: "wday", wday: "monday", intervals: [AvailabilityInterval(from: "09:00", to: "17:00")])
        ])
        let hours = try CalendlyAvailabilityConversion.hours(from: schedule, now: Date.utc("2025-03-01T12:00:00Z"))
        #expect(hours.timeZone != expertsZoneBefore)
        let calendar = try #require(ExpertCalendar(timeZoneIdentifier: hours.timeZone, weeklyHours: hours.weeklyHours))
        #expect(calendar.openIntervals(on: LocalDate("2025-03-03")!) == [Self.slot("2025-03-03T14:00:00Z", "2025-03-03T22:00:00Z")])
        #expect(calendar.openIntervals(on: LocalDate("2025-03-10")!) == [Self.slot("2025-03-10T13:00:00Z", "2025-03-10T21:00:00Z")])
        #expect(calendar.openIntervals(on: LocalDate("2025-03-31")!) == [Self.slot("2025-03-31T13:00:00Z", "2025-03-31T21:00:00Z")])

        // What converting to the expert's zone at the offset of the sync's day would have stored
        // (15:00–23:00 Berlin) is an hour late in the week between the two changes.
        let converted = try #require(ExpertCalendar(
            timeZoneIdentifier: expertsZoneBefore, weeklyHours: [Self.hours(.monday, "15:00", "23:00")]))
        #expect(converted.openIntervals(on: LocalDate("2025-03-10")!) != calendar.openIntervals(on: LocalDate("2025-03-10")!))
    }

    @Test func dateRulesBecomeOverridesFromTodayInTheSchedulesZone() throws {
        let schedule = Self.schedule([
            AvailabilityRule(type: "date", date: "2025-12-23", intervals: [AvailabilityInterval(from: "09:00", to: "10:00")]),
            AvailabilityRule(type: "date", date: "2025-12-24", intervals: []),
            AvailabilityRule(type: "date", date: "2025-12-26", intervals: [
                AvailabilityInterval(from: "11:00", to: "14:00"), AvailabilityInterval(from: "09:00", to: "12:00"),
            ]),
            AvailabilityRule(type: "wday", wday: "friday", intervals: [AvailabilityInterval(from: "09:00", to: "17:00")]),
        ], timezone: "Asia/Tokyo")
        // 2025-12-23T16:00Z is already the 24th in Tokyo: the 23rd is past there.
        let hours = try CalendlyAvailabilityConversion.hours(from: schedule, now: Date.utc("2025-12-23T16:00:00Z"))
        #expect(hours.dateOverrides == [
            DateOverride(date: LocalDate("2025-12-24")!, hours: []),
            DateOverride(date: LocalDate("2025-12-26")!, hours: [Self.range("09:00", "14:00")]),
        ])
        #expect(hours.weeklyHours == [Self.hours(.friday, "09:00", "17:00")])
    }

    @Test func rulesTheDomainCannotHoldAreLeftOutAndNamed() throws {
        let schedule = Self.schedule([
            AvailabilityRule(type: "wday", wday: "funday", intervals: [AvailabilityInterval(from: "09:00", to: "17:00")]),
            AvailabilityRule(type: "holiday", intervals: []),
            AvailabilityRule(type: "date", date: "2025-02-30", intervals: []),
            AvailabilityRule(type: "wday", wday: "tuesday", intervals: [
                AvailabilityInterval(from: "17:00", to: "09:00"), AvailabilityInterval(from: "9am", to: "5pm"),
                AvailabilityInterval(from: "10:00", to: "11:00"),
            ]),
        ])
        let hours = try CalendlyAvailabilityConversion.hours(from: schedule, now: Date.utc("2025-01-01T00:00:00Z"))
        #expect(hours.weeklyHours == [Self.hours(.tuesday, "10:00", "11:00")])
        #expect(hours.ignored.count == 5)
        #expect(hours.ignored.contains { $0.contains("funday") })
        #expect(hours.ignored.contains { $0.contains("holiday") })
    }

    @Test func aZoneThisMachineDoesNotKnowFailsTheExpert() {
        let schedule = Self.schedule([], timezone: "Mars/Olympus_Mons")
        #expect(throws: CalendlySyncFailure.self) {
            try CalendlyAvailabilityConversion.hours(from: schedule, now: Date.utc("2025-01-01T00:00:00Z"))
        }
    }

    @Test func convertedHoursPassTheDomainsValidation() throws {
        let schedule = Self.schedule([
            AvailabilityRule(type: "wday", wday: "monday", intervals: [AvailabilityInterval(from: "09:00", to: "12:00")]),
            AvailabilityRule(type: "wday", wday: "monday", intervals: [AvailabilityInterval(from: "11:00", to: "13:00")]),
            AvailabilityRule(type: "date", date: "2025-06-02", intervals: [AvailabilityInterval(from: "09:00", to: "12:00")]),
            AvailabilityRule(type: "date", date: "2025-06-02", intervals: [AvailabilityInterval(from: "10:00", to: "15:00")]),
        ], timezone: "Europe/Paris")
        let hours = try CalendlyAvailabilityConversion.hours(from: schedule, now: Date.utc("2025-06-01T00:00:00Z"))
        #expect(hours.weeklyHours == [Self.hours(.monday, "09:00", "13:00")])
        #expect(hours.dateOverrides == [DateOverride(date: LocalDate("2025-06-02")!, hours: [Self.range("09:00", "15:00")])])
        _ = try AvailabilityUpdate(
            validating: hours.weeklyHours, timeOff: [], dateOverrides: hours.dateOverrides, timeZone: hours.timeZone)
    }

    // MARK: - Busy times → time off

    @Test func busyTimesBecomeTimeOffWithCalendlysBuffersAndWithoutOurOwnCalls() {
        let ours = "https://api.calendly.com/scheduled_events/OURS"
        let busy = [
            BusyTime(
                type: "calendly", startTime: Date.utc("2025-06-10T14:00:00Z"), endTime: Date.utc("2025-06-10T14:30:00Z"),
                bufferedStartTime: Date.utc("2025-06-10T13:45:00Z"), bufferedEndTime: Date.utc("2025-06-10T14:45:00Z"),
                eventURI: "https://api.calendly.com/scheduled_events/THEIRS"),
            BusyTime(
                type: "calendly", startTime: Date.utc("2025-06-11T09:00:00Z"), endTime: Date.utc("2025-06-11T09:30:00Z"),
                bufferedStartTime: Date.utc("2025-06-11T09:00:00Z"), bufferedEndTime: Date.utc("2025-06-11T09:30:00Z"),
                eventURI: ours),
            BusyTime(type: "external", startTime: Date.utc("2025-06-12T08:00:00Z"), endTime: Date.utc("2025-06-12T10:00:00Z")),
        ]
        let timeOff = CalendlyAvailabilityConversion.timeOff(from: busy, ownEvents: [ours])
        #expect(timeOff.slots == [
            Self.slot("2025-06-10T13:45:00Z", "2025-06-10T14:45:00Z"),
            Self.slot("2025-06-12T08:00:00Z", "2025-06-12T10:00:00Z"),
        ])
        #expect(timeOff.skippedOwnCalls == 1)
    }

    @Test func overlappingAndTouchingBusyTimesMergeSoTheStoreAcceptsThem() {
        let busy = [
            BusyTime(type: "external", startTime: Date.utc("2025-06-10T10:00:00Z"), endTime: Date.utc("2025-06-10T11:00:00Z")),
            BusyTime(type: "external", startTime: Date.utc("2025-06-10T09:00:00Z"), endTime: Date.utc("2025-06-10T10:30:00Z")),
            BusyTime(type: "external", startTime: Date.utc("2025-06-10T11:00:00Z"), endTime: Date.utc("2025-06-10T11:15:00Z")),
            BusyTime(type: "external", startTime: Date.utc("2025-06-10T12:00:00Z"), endTime: Date.utc("2025-06-10T12:00:00Z")),
        ]
        let timeOff = CalendlyAvailabilityConversion.timeOff(from: busy, ownEvents: [])
        #expect(timeOff.slots == [Self.slot("2025-06-10T09:00:00Z", "2025-06-10T11:15:00Z")])
        #expect(throws: Never.self) { try AvailabilityUpdate(validating: [], timeOff: timeOff.slots, timeZone: "UTC") }
    }

    /// Busy times are instants: across New York's spring-forward night they keep their real
    /// length (01:30–03:30 local that night is one hour).
    @Test func busyTimesAcrossADSTChangeKeepTheirInstants() {
        let busy = [
            BusyTime(type: "external", startTime: Date.utc("2025-03-09T06:30:00Z"), endTime: Date.utc("2025-03-09T07:30:00Z"))
        ]
        let timeOff = CalendlyAvailabilityConversion.timeOff(from: busy, ownEvents: [])
        #expect(timeOff.slots.map(\.duration) == [3600])
    }

    // MARK: - The window

    @Test func theWindowStartsAtTheNextWholeMinuteAndSpansTheHorizon() {
        let now = Date.utc("2025-06-10T14:00:01Z")
        let start = Date.utc("2025-06-10T14:01:00Z")
        #expect(CalendlyAvailabilitySync.window(now: now, horizonDays: 0) == BookingDomain.TimeSlot(start: start, end: start.addingTimeInterval(60 * 86_400)))
        #expect(CalendlyAvailabilitySync.window(now: now, horizonDays: 14).duration == 14 * 86_400)
        #expect(CalendlyAvailabilitySync.window(now: now, horizonDays: 3000).duration == 366 * 86_400)
        #expect(CalendlyAvailabilitySync.window(now: Date.utc("2025-06-10T14:00:00Z"), horizonDays: 1).start == Date.utc("2025-06-10T14:00:00Z"))
    }
}
