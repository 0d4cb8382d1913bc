import BookingAPI
import BookingDomain
import Foundation
import ProtoWire

extension BookingAPI.Expert {
    /// `showPrivate`: email, Clerk and Calendly ids, scheduling, time off and calendar busy
    /// times are for admins and the expert themselves (CONTRACT.md "Who may do what"). Slots
    /// carry their local times in `slotZone` (ListExperts' `timezone`) or else the expert's
    /// zone; time off and busy times always in theirs.
    init(
        _ expert: BookingDomain.Expert, showPrivate: Bool, availableSlots: [BookingDomain.TimeSlot] = [],
        slotZone: TimeZone? = nil
    ) {
        self.init()
        let ownClock = TimeZone(identifier: expert.timeZone).map(ZoneClock.init)
        self.id = expert.id.uuidString
        self.name = expert.name
        self.specialties = expert.specialties
        self.timezone = expert.timeZone
        self.active = expert.active
        self.weeklyHours = expert.weeklyHours.map(BookingAPI.WeeklyHours.init)
        self.dateOverrides = expert.dateOverrides.map { override in
            BookingAPI.DateOverride.with {
                $0.date = override.date.description
                $0.hours = override.hours.map { range in
                    BookingAPI.LocalTimeRange.with {
                        $0.startTime = range.start.description
                        $0.endTime = range.end.description
                    }
                }
            }
        }
        let slotClock = slotZone.map(ZoneClock.init)
        self.availableSlots = availableSlots.map { BookingAPI.TimeSlot($0, localOn: slotClock ?? ownClock) }
        self.topics = expert.topics
        self.preparationInstructions = expert.preparationInstructions
        guard showPrivate else { return }
        self.email = expert.email
        self.clerkUserID = expert.clerkUserID
        self.calendlyUserURI = expert.calendlyUserURI
        self.timeOff = expert.timeOff.map { BookingAPI.TimeSlot($0, localOn: ownClock) }
        self.calendarBusy = expert.calendarBusy.map { BookingAPI.TimeSlot($0, localOn: ownClock) }
        let rules = expert.scheduling
        self.scheduling = BookingAPI.SchedulingRules.with {
            $0.bufferBeforeMinutes = Int32(rules.bufferBeforeMinutes)
            $0.bufferAfterMinutes = Int32(rules.bufferAfterMinutes)
            $0.minimumNoticeMinutes = Int32(rules.minimumNoticeMinutes)
            $0.bookingHorizonDays = Int32(rules.bookingHorizonDays)
            $0.maxCallsPerDay = Int32(rules.maxCallsPerDay)
            $0.maxCallsPerWeek = Int32(rules.maxCallsPerWeek)
            $0.weight = Int32(rules.weight)
            $0.priority = Int32(rules.priority)
        }
    }
}

extension BookingAPI.WeeklyHours {
    init(_ hours: BookingDomain.WeeklyHours) {
        self.init()
        self.day = BookingAPI.DayOfWeek(rawValue: Int32(hours.day.rawValue))
        self.startTime = hours.start.description
        self.endTime = hours.end.description
    }
}

extension BookingAPI.TimeSlot {
    /// With `localStart`/`localEnd` on `clock` (none without one).
    init(_ slot: BookingDomain.TimeSlot, localOn clock: ZoneClock?) {
        self.init()
        self.start = Timestamp(date: slot.start)
        self.end = Timestamp(date: slot.end)
        if let clock {
            self.localStart = LocalTimestamp.text(slot.start, on: clock)
            self.localEnd = LocalTimestamp.text(slot.end, on: clock)
        }
    }
}

extension BookingDomain.TimeSlot {
    /// A slot from a request; `field` names it in the error.
    init(_ message: BookingAPI.TimeSlot, field: String) throws(BookingError) {
        let start = try Timestamp.required(message.start, field: "\(field).start")
        let end = try Timestamp.required(message.end, field: "\(field).end")
        guard start < end else { throw .invalidArgument("\(field): start must be before end") }
        self.init(start: start, end: end)
    }
}
