import BookingAPI
import BookingDomain
import BookingStore
import ProtoWire

extension BookingAPI.CallTimeline {
    /// The stored records as the API shows them; the call id and assignment are the caller's.
    init(_ records: CallRecords) {
        self.init()
        self.events = records.events.map(BookingAPI.CallEvent.init)
        self.attendance = records.attendance.map(BookingAPI.Attendance.init)
        self.quality = records.quality.map(BookingAPI.CallQuality.init)
        self.deliveries = records.deliveries.map(BookingAPI.NotificationDelivery.init)
        self.truncated = records.truncated
    }
}

extension BookingAPI.CallEvent {
    init(_ event: CallRecords.Event) {
        self.init()
        self.kind = event.kind
        self.time = Timestamp(date: event.occurredAt)
        self.actor = event.actor
        self.detail = event.detail
        self.fromState = event.fromState.map(BookingAPI.CallState.init) ?? .unspecified
        self.toState = event.toState.map(BookingAPI.CallState.init) ?? .unspecified
    }
}

extension BookingAPI.Attendance {
    init(_ session: AttendanceSession) {
        self.init()
        self.userID = session.userID
        switch session.role {
        case .customer: self.role = .customer
        case .expert: self.role = .expert
        case .other: self.role = .other
        }
        self.joinedAt = Timestamp(date: session.joinedAt)
        self.leftAt = session.leftAt.map(Timestamp.init(date:))
    }
}

extension BookingAPI.CallQuality {
    init(_ quality: CallRecords.Quality) {
        self.init()
        let report = quality.report
        self.sessionID = report.sessionID
        self.qualityScore = Int32(clamping: report.qualityScore)
        self.jitterAverageSeconds = report.jitterAverageSeconds ?? 0
        self.jitterMaxSeconds = report.jitterMaxSeconds ?? 0
        self.latencyAverageSeconds = report.latencyAverageSeconds ?? 0
        self.latencyMaxSeconds = report.latencyMaxSeconds ?? 0
        self.maxFreezesDurationSeconds = Int32(clamping: report.maxFreezesDurationSeconds ?? 0)
        self.maxParticipants = Int32(clamping: report.maxParticipants ?? 0)
        self.reportedAt = Timestamp(date: quality.reportedAt)
    }
}

extension BookingAPI.NotificationDelivery {
    init(_ delivery: NotificationDeliveries.Delivery) {
        self.init()
        switch delivery.kind {
        case .reminder: self.kind = .reminder
        case .followUp: self.kind = .followUp
        case .recording: self.kind = .recording
        }
        self.recipient = delivery.recipient ?? ""
        self.minutesBefore = Int32(clamping: delivery.minutesBefore ?? 0)
        self.dueAt = Timestamp(date: delivery.sendAt)
        switch delivery.status {
        case .planned: self.state = .planned
        case .triggered: self.state = .triggered
        case .skipped: self.state = .skipped
        case .cancelled: self.state = .cancelled
        case .superseded: self.state = .superseded
        case .failed: self.state = .failed
        }
        self.error = delivery.detail ?? ""
    }
}
