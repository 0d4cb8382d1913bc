import Foundation

/// `ZoneClock`'s conversions for callers that hold a `TimeZone`: each finds the zone's shared
/// offset table first (a dictionary lookup under a lock), so loops over many instants should
/// hold a `ZoneClock` instead.
extension TimeZone {
    func wallClock(at instant: Date) -> (date: LocalDate, secondsOfDay: Int) {
        ZoneClock(self).wallClock(at: instant)
    }

    func firstInstant(on date: LocalDate, at time: LocalTime) -> Date {
        ZoneClock(self).firstInstant(on: date, at: time)
    }

    func isOnLocalGrid(_ instant: Date, minutes: Int) -> Bool {
        ZoneClock(self).isOnLocalGrid(instant, minutes: minutes)
    }

    func nextOnLocalGrid(atOrAfter instant: Date, minutes: Int) -> Date {
        ZoneClock(self).nextOnLocalGrid(atOrAfter: instant, minutes: minutes)
    }
}
