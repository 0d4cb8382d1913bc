import BookingAPI
import BookingDomain
import ProtoWire

extension BookingAPI.Expert {
    /// `showPrivate`: email, Clerk and Calendly ids, scheduling and time off are for admins and
    /// the expert themselves (CONTRACT.md "Who may do what").
    init(_ expert: BookingDomain.Expert, showPrivate: Bool, availableSlots: [BookingDomain.TimeSlot] = []) {
        self.init()
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
        self.availableSlots = availableSlots.map(BookingAPI.TimeSlot.init)
        self.topics = expert.topics
        self.preparationInstructions = expert.preparationInstructions
        guard showPrivate else { return }
        self.email = expert.email
        self.clerkUserID = expert.clerkUserID
        self.calendlyUserURI = expert.calendlyUserURI
        self.timeOff = expert.timeOff.map(BookingAPI.TimeSlot.init)
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
    init(_ slot: BookingDomain.TimeSlot) {
        self.init()
        self.start = Timestamp(date: slot.start)
        self.end = Timestamp(date: slot.end)
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
